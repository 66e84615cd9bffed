"""The join floor: S4's join exchange served by the app's own stack with nothing of the app.

The same four steps a phone takes (bench/phones.py `cmd_join`), on Flask, Flask-WTF's CSRF,
itsdangerous and Flask-SocketIO under eventlet, as `python wsgi.py` serves the app, but with no
database, no forms beyond the token, no translations and a page of one line:

    GET  /j/<code>      a page with a CSRF token (the session cookie signed)
    POST /j/<code>      the token checked, a signed participant cookie set, 302 to /s/1
    GET  /s/1           the cookie read back, a page of one line
    WS   /socket.io/    connect to /live with {rev}: `synced` with an empty snapshot first

What one join costs here is what any app on this stack pays before its own work: S4's joins
beside it tell how much of a join is the app's.

    PORT=8766 python bench/anchors/join_floor.py
"""
import eventlet

eventlet.monkey_patch()

import os  # noqa: E402 — after the monkey patch, as wsgi.py does

from flask import Flask, abort, make_response, redirect, request  # noqa: E402
from flask_socketio import SocketIO  # noqa: E402
from flask_wtf.csrf import CSRFProtect, generate_csrf  # noqa: E402
from itsdangerous import BadSignature, URLSafeSerializer  # noqa: E402

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY", "floor")
CSRFProtect(app)
socketio = SocketIO(app, async_mode="eventlet")
tokens = URLSafeSerializer(app.config["SECRET_KEY"], salt="floor.participant")
joined = [0]


@app.route("/j/<code>", methods=["GET", "POST"])
def join(code):
    if request.method == "POST":  # CSRFProtect has checked the token
        joined[0] += 1
        response = make_response(redirect("/s/1"))
        response.set_cookie("p", tokens.dumps({"p": joined[0], "s": 1}), httponly=True,
                            samesite="Lax")
        return response
    return (f'<form method="post"><input id="csrf_token" name="csrf_token" type="hidden" '
            f'value="{generate_csrf()}"><input name="display_name"></form>')


@app.get("/s/<int:session_id>")
def phone(session_id):
    try:
        tokens.loads(request.cookies.get("p", ""))
    except BadSignature:
        abort(403)
    return "<p>phone</p>"


@socketio.on("connect", namespace="/live")
def connect(auth=None):
    try:
        tokens.loads(request.cookies.get("p", ""))
    except BadSignature:
        return False
    socketio.emit("synced", {"ok": True, "rev": 0, "snapshot": {}}, to=request.sid,
                  namespace="/live", ignore_queue=True)
    return True


if __name__ == "__main__":  # served as wsgi.py serves the app: a listen queue of 2,048
    import eventlet.wsgi
    listener = eventlet.listen(("127.0.0.1", int(os.environ.get("PORT", "8766"))), backlog=2048)
    eventlet.wsgi.server(listener, app, log_output=False, max_size=5000)
