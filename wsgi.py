"""The app for the server: `python wsgi.py` serves it with Socket.IO on HOST:PORT."""
import os

from config import Config

# The server patches the standard library before anything else is imported; the CLI
# (`flask --app wsgi ...`) and gunicorn's own workers do not need it here.
if __name__ == "__main__":
    if Config.SOCKETIO_ASYNC_MODE == "eventlet":
        import eventlet
        eventlet.monkey_patch()
    elif Config.SOCKETIO_ASYNC_MODE == "gevent":
        from gevent import monkey
        monkey.patch_all()

from facilitation import create_app  # noqa: E402
from facilitation.extensions import socketio  # noqa: E402

app = create_app()


def port_is_free(host, port):
    """Whether nothing listens on host:port. eventlet listens with SO_REUSEPORT, so a second
    `python wsgi.py` on a taken port would share it silently with the first (requests going
    to either at random); a bind without that option tells. SO_REUSEADDR lets the probe pass
    over the TIME_WAIT connections a crashed server leaves for a minute (still refused while
    anything listens), so that the app restarts at once after a crash."""
    import socket
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def tune_gc():
    """Fewer, cheaper cyclic GC passes for a long-running server with many connections.

    With 1,000 sockets alive, CPython's default thresholds (700, 10, 10) ran full collections
    of 150-500 ms in the middle of fan-outs (bench/fanout.py). The objects that exist after
    start-up are frozen out of collection, and young collections run less often.
    TAKT_GC_THRESHOLDS="700,10,10" brings back the defaults.
    """
    import gc
    gc.collect()
    gc.freeze()
    thresholds = os.environ.get("TAKT_GC_THRESHOLDS", "50000,20,100")
    gc.set_threshold(*(int(x) for x in thresholds.split(",")))


if __name__ == "__main__":
    tune_gc()
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "5000"))
    if not port_is_free(host, port):
        raise SystemExit(f"Takt: {host}:{port} is already in use (another server?); "
                         "stop it or set PORT to another number.")
    print(f"Takt is serving on http://{host}:{port}/ ({Config.SOCKETIO_ASYNC_MODE})", flush=True)
    socketio.run(app, host=host, port=port, log_output=os.environ.get("TAKT_ACCESS_LOG") == "1")
