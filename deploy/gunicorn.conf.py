"""gunicorn's configuration for one Takt app process (docs/DEPLOY.md).

    gunicorn -c deploy/gunicorn.conf.py --bind 127.0.0.1:8001 wsgi:app

Socket.IO needs every request of a client's session to reach the same process, and gunicorn's
own balancing between workers cannot promise that: so ONE worker per gunicorn, several
gunicorns on several ports (the systemd unit takt@PORT), nginx in front hashing each client to
one of them, and Redis (SOCKETIO_MESSAGE_QUEUE) carrying events between them. That is
Flask-SocketIO's documented deployment (its "Deployment" chapter: gunicorn with `-w 1`).

The worker class follows SOCKETIO_ASYNC_MODE, the same variable the app reads: `eventlet`
(default) or `gevent`. The eventlet worker monkey-patches the standard library (psycopg2
included) before it imports the app; the gevent worker patches with gevent.monkey, and
post_worker_init below makes psycopg2 cooperative there too. Settings from the environment:
TAKT_WORKER_CONNECTIONS (default 5000, connections one process serves at once), TAKT_ACCESS_LOG=1
(an access line per request on stdout, for the journal), GUNICORN_CMD_ARGS (any other option).
"""
import os
import warnings

ASYNC_MODE = os.environ.get("SOCKETIO_ASYNC_MODE", "eventlet")
if ASYNC_MODE not in ("eventlet", "gevent"):
    raise SystemExit(f"Takt under gunicorn: SOCKETIO_ASYNC_MODE must be eventlet or gevent, "
                     f"not {ASYNC_MODE!r}")

# gunicorn 25 marks its eventlet worker deprecated (26 removes it: requirements.txt pins 25.x);
# it works, and eventlet stays this app's default until the benchmark says gevent is as good.
warnings.filterwarnings("ignore", message="The eventlet worker is deprecated",
                        category=DeprecationWarning)

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8001')}"
workers = 1  # never more: see above
worker_class = ASYNC_MODE
# Each phone keeps one connection open (two for a moment while polling upgrades): this bounds
# the phones a process takes. The systemd unit raises the open-file limit to match.
worker_connections = int(os.environ.get("TAKT_WORKER_CONNECTIONS", "5000"))
# A worker that has not reported for this long (a green thread hogging the CPU) is restarted.
timeout = 30
# On stop or restart, open sockets never finish by themselves: wait this long, then close
# them; phones reconnect (to another process behind nginx) and catch up by revision.
graceful_timeout = 5
keepalive = 5
# nginx on the same machine: trust its X-Forwarded-Proto (the app's ProxyFix does the rest).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
proc_name = f"takt-{bind.rsplit(':', 1)[-1]}"
accesslog = "-" if os.environ.get("TAKT_ACCESS_LOG") == "1" else None
errorlog = "-"
# gunicorn 25's control socket lives at one path per user ($HOME/.gunicorn/gunicorn.ctl), which
# several processes on one machine would share: off (systemd controls the processes).
control_socket_disable = True
capture_output = True


def post_worker_init(worker):
    """In the worker, after it has loaded the app (wsgi.py) and before it accepts connections:
    psycopg2 made cooperative under gevent, then wsgi.py's GC tuning, which `python wsgi.py`
    applies in its __main__ and gunicorn never runs. Nothing has connected to PostgreSQL yet
    at this point, so the wait callback applies to every connection of the pool."""
    import wsgi
    if ASYNC_MODE == "gevent":
        wsgi.green_psycopg2()
    wsgi.tune_gc()
    try:
        from psycopg2 import extensions
        green = extensions.get_wait_callback() is not None
    except ImportError:
        green = False
    worker.log.info("Takt worker ready (%s, pid %s, psycopg2 cooperative: %s)", ASYNC_MODE,
                    os.getpid(), "yes" if green else "no")
