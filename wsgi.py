"""The app for the server: `python wsgi.py` serves it with Socket.IO on HOST:PORT."""
import os

from config import Config


def green_psycopg2():
    """Under gevent, make psycopg2 wait for PostgreSQL through gevent's hub instead of blocking
    the whole process. eventlet.monkey_patch() does this itself; gevent's patch_all() does not.
    Called by the gevent branch below and by deploy/gunicorn.conf.py for gevent workers."""
    try:
        import psycopg2
        from psycopg2 import extensions
    except ImportError:
        return
    from gevent.socket import wait_read, wait_write

    def wait(conn, timeout=None):
        while True:
            state = conn.poll()
            if state == extensions.POLL_OK:
                return
            if state == extensions.POLL_READ:
                wait_read(conn.fileno(), timeout=timeout)
            elif state == extensions.POLL_WRITE:
                wait_write(conn.fileno(), timeout=timeout)
            else:
                raise psycopg2.OperationalError(f"bad state from poll: {state}")
    extensions.set_wait_callback(wait)


# The server patches the standard library before anything else is imported; the CLI
# (`flask --app wsgi ...`) does not need it, and gunicorn's workers patch themselves
# (deploy/gunicorn.conf.py).
if __name__ == "__main__":
    if Config.SOCKETIO_ASYNC_MODE == "eventlet":
        import eventlet
        eventlet.monkey_patch()
    elif Config.SOCKETIO_ASYNC_MODE == "gevent":
        from gevent import monkey
        monkey.patch_all()
        green_psycopg2()

from facilitation import create_app  # noqa: E402
from facilitation.extensions import socketio  # noqa: E402

app = create_app()
if app.config["PROXY_COUNT"]:  # behind nginx (TAKT_PROXIES): its X-Forwarded-* headers count
    from werkzeug.middleware.proxy_fix import ProxyFix
    app.wsgi_app = ProxyFix(app.wsgi_app, **dict.fromkeys(("x_for", "x_proto", "x_host"),
                                                           app.config["PROXY_COUNT"]))


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
    if os.environ.get("TAKT_GC_LOG") == "1":  # each collection over 10 ms, to stderr
        import sys
        import time
        started = {}

        def log(phase, info):
            if phase == "start":
                started["at"] = time.perf_counter()
            elif "at" in started:
                ms = (time.perf_counter() - started.pop("at")) * 1000
                if ms > 10:
                    print(f"gc: generation {info['generation']} took {ms:.0f} ms, "
                          f"{info['collected']} collected", file=sys.stderr, flush=True)
        gc.callbacks.append(log)


def raise_open_files_limit(connections):
    """Each phone holds a socket: lift the soft limit on open files to the hard one (Linux
    sets 1,024 by default) and return how many connections the server may take at once
    (eventlet's own default is 1,024), keeping 100 files for the database and logs."""
    try:
        import resource
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        wanted = connections + 100 if hard == resource.RLIM_INFINITY else min(hard,
                                                                              connections + 100)
        if soft != resource.RLIM_INFINITY and soft < wanted:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
            soft = wanted
    except (ImportError, ValueError, OSError):
        return min(connections, 1024)
    return connections if soft == resource.RLIM_INFINITY else min(connections, soft - 100)


# Connections waiting to be accepted: a hall reconnecting at once (the Wi-Fi came back) sends
# a thousand at the same moment, and the listen queue's default of 50 made the kernel drop the
# rest, which then retried after 1, 2, 4, 8 and 16 s (bench S4). The kernel caps it at
# net.core.somaxconn.
LISTEN_BACKLOG = 2048


def serve(host, port, connections, log_output):
    """Serve the app until stopped: eventlet's WSGI server on a listening socket of our own
    (Flask-SocketIO's run() neither lets the backlog nor the connection cap be set there),
    gevent's through Flask-SocketIO."""
    if Config.SOCKETIO_ASYNC_MODE == "eventlet":
        import socket

        import eventlet
        import eventlet.wsgi
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        listener = eventlet.listen((host, port), family, backlog=LISTEN_BACKLOG)
        eventlet.wsgi.server(listener, app, log_output=log_output, max_size=connections)
    else:
        socketio.run(app, host=host, port=port, log_output=log_output, backlog=LISTEN_BACKLOG)


if __name__ == "__main__":
    tune_gc()
    host = os.environ.get("HOST", "127.0.0.1")
    port = int(os.environ.get("PORT", "5000"))
    if not port_is_free(host, port):
        raise SystemExit(f"Takt: {host}:{port} is already in use (another server?); "
                         "stop it or set PORT to another number.")
    print(f"Takt is serving on http://{host}:{port}/ ({Config.SOCKETIO_ASYNC_MODE})", flush=True)
    connections = raise_open_files_limit(int(os.environ.get("TAKT_MAX_CONNECTIONS", "5000")))
    serve(host, port, connections, log_output=os.environ.get("TAKT_ACCESS_LOG") == "1")
