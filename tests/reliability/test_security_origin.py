"""A WebSocket handshake to the real server (`python wsgi.py`, eventlet) from a foreign Origin is
refused; the configured origin connects, is let into /live and gets its sync ack."""
import json
import re
import urllib.error
import urllib.request

import pytest
import socketio
import websocket

from tests.e2e.conftest import Server

pytestmark = pytest.mark.reliability

ALLOWED = "https://hall.example"
FOREIGN = ["https://evil.example", "http://evil.example", "null",
           "https://hall.example.evil.example", "https://evil.example/https://hall.example",
           "http://127.0.0.1.evil.example"]


def _status(url, headers):
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        exc.close()
        return exc.code


def _ws_live(server, origin, auth):
    """A raw WebSocket handshake with exactly this Origin (websocket-client, no other origin
    header added), then Socket.IO's connect to /live and a `sync`: (connected, sync ack)."""
    url = server.url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
    try:
        ws = websocket.create_connection(url, origin=origin, timeout=5)
    except (websocket.WebSocketException, OSError):
        return False, None
    try:
        if not ws.recv().startswith("0"):  # engine.io open packet
            return False, None
        ws.send("40/live," + json.dumps(auth))
        reply = ws.recv()
        while reply == "2":  # a ping before the namespace answers
            ws.send("3")
            reply = ws.recv()
        if not reply.startswith("40/live,"):
            return False, None
        ws.send('42/live,1["sync",{"rev":-1}]')
        while True:
            msg = ws.recv()
            if msg.startswith("43/live,1"):
                return True, json.loads(msg[len("43/live,1"):])[0]
            if msg == "2":
                ws.send("3")
    except (websocket.WebSocketException, OSError):
        return False, None
    finally:
        ws.close()


def _polling_live(server, origin, auth):
    """python-socketio's client over long-polling with this Origin: (connected, sync ack)."""
    client = socketio.Client(reconnection=False)
    try:
        client.connect(server.url, headers={"Origin": origin}, auth=auth, namespaces=["/live"],
                       transports=["polling"], wait_timeout=5)
    except socketio.exceptions.ConnectionError:
        return False, None
    try:
        return True, client.call("sync", {"rev": -1}, namespace="/live", timeout=5)
    finally:
        client.disconnect()


@pytest.fixture(scope="module")
def origin_server(tmp_path_factory):
    srv = Server(tmp_path_factory.mktemp("origin"))
    srv.env["SOCKETIO_CORS_ALLOWED_ORIGINS"] = ALLOWED
    try:
        srv.flask("db", "upgrade")
        out = srv.flask("demo")
        srv.sid = int(re.search(r"^session: (\d+)$", out, re.M).group(1))
        srv.key = re.search(r"projector: \S+\?key=([^\s&]+)", out).group(1)
        srv.start()
        yield srv
    finally:
        srv.stop()


def test_foreign_origin_handshake_is_refused(origin_server, figure):
    srv = origin_server
    auth = {"session_id": srv.sid, "role": "projector", "key": srv.key}
    refused, tried = 0, 0
    for origin in FOREIGN:
        for live in (_ws_live, _polling_live):
            tried += 1
            connected, _ = live(srv, origin, auth)
            status = _status(f"{srv.url}/socket.io/?EIO=4&transport=polling",
                             {"Origin": origin})
            refused += (not connected) and status in (400, 403)
    own_ok = True
    for live in (_ws_live, _polling_live):
        connected, ack = live(srv, ALLOWED, auth)
        own_ok = own_ok and connected and bool(ack) and ack.get("ok") is True and "rev" in ack
    figure("security: foreign-Origin WebSocket handshakes refused", f"{refused}/{tried}", "all",
           refused == tried)
    figure("security: the configured origin connects (websocket and polling)",
           "yes" if own_ok else "no", "yes", own_ok)
