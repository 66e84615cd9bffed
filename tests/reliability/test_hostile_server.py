"""Hostile frames to the real server (`python wsgi.py`, eventlet): a message over the 16 KiB
limit, 1,000-level JSON, invalid UTF-8 and malformed packets. The server closes or refuses
each, never crashes, stores nothing, and keeps serving everyone else."""
import json
import re
import sqlite3
import urllib.request

import pytest
import websocket

from tests.e2e.conftest import Server

pytestmark = pytest.mark.reliability


@pytest.fixture(scope="module")
def real_server(tmp_path_factory):
    srv = Server(tmp_path_factory.mktemp("hostile"))
    try:
        srv.flask("db", "upgrade")
        out = srv.flask("demo")
        srv.sid = int(re.search(r"^session: (\d+)$", out, re.M).group(1))
        srv.key = re.search(r"projector: \S+\?key=([^\s&]+)", out).group(1)
        srv.start()
        yield srv
    finally:
        srv.stop()


def _open(srv):
    """A raw WebSocket, connected to /live as the projector."""
    ws = websocket.create_connection(
        srv.url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket",
        origin=srv.url, timeout=3)
    assert ws.recv().startswith("0")
    ws.send("40/live," + json.dumps({"session_id": srv.sid, "role": "projector", "key": srv.key}))
    assert ws.recv().startswith("40/live,")
    return ws


def _answer(ws, ack_id):
    """The ack with this id, or "closed" when the server closed the connection."""
    try:
        while True:
            msg = ws.recv()
            if msg in ("", None):
                return "closed"
            if msg == "2":
                ws.send("3")
            elif msg.startswith(f"43/live,{ack_id}"):
                args = json.loads(msg[len(f"43/live,{ack_id}"):])
                return args[0] if args else "empty ack"
    except websocket.WebSocketTimeoutException:
        return "no answer"
    except (websocket.WebSocketException, OSError):
        return "closed"


def _close(ws):
    try:
        ws.close(timeout=1)
    except (websocket.WebSocketException, OSError):
        pass
    finally:
        ws.shutdown()  # the socket itself, also when the server closed first


def _rows(srv):
    with sqlite3.connect(srv.env["DATABASE_URL"].removeprefix("sqlite:///")) as conn:
        return sum(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in
                   ("trends", "ideas", "changes", "participants", "initiatives"))


def test_hostile_frames_to_the_real_server(real_server, figure):
    srv = real_server
    deep = "[" * 1000 + "]" * 1000
    frames = [
        ("post over 16 KiB", "text", '42/live,7["post_card",' + json.dumps(
            {"client_id": "00000000-0000-4000-8000-000000000000", "item_id": 1,
             "text": "x" * 20_000}) + "]", "closed"),
        ("1 MB frame", "text", '42/live,7["sync",{"rev":"' + "x" * 1_000_000 + '"}]', "closed"),
        ("1,000-level JSON payload", "text", '42/live,7["post_card",' + deep + "]", None),
        ("1,000-level JSON field", "text",
         '42/live,7["post_card",{"item_id":1,"text":' + deep + "}]", None),
        ("invalid UTF-8 (binary frame)", "binary", b'42/live,7["sync",{"rev":"\xff\xfe"}]',
         None),
        ("lone surrogate escape", "text", '42/live,7["post_card",{"text":"\\ud800"}]', None),
        ("not JSON", "text", '42/live,7["post_card",{text:}', None),
        ("unknown event", "text", '42/live,7["drop_database",{}]', None),
        ("garbage packet", "text", "4\x00\x01\x02", None),
    ]
    before = _rows(srv)
    good, results = 0, []
    for name, kind, frame, expect in frames:
        ws = _open(srv)
        try:
            if kind == "binary":
                ws.send_binary(frame)
            else:
                ws.send(frame)
            answer = _answer(ws, 7)
        finally:
            _close(ws)
        with urllib.request.urlopen(f"{srv.url}/healthz", timeout=5) as health:
            healthy = health.status == 200
        fresh = _open(srv)  # someone else still connects and gets their sync
        fresh.send('42/live,1["sync",{"rev":-1}]')
        synced = isinstance(_answer(fresh, 1), dict)
        _close(fresh)
        # Undecodable packets and oversize messages close the connection; a decodable one
        # gets a clear refusal; nothing is left without an answer.
        clear = (answer == "closed" if expect == "closed" else
                 answer == "closed" or (isinstance(answer, dict) and answer.get("ok") is False
                                        and answer.get("code") != "server_error"))
        results.append((name, answer if answer == "closed" else str(answer)[:80]))
        good += clear and healthy and synced
    log = srv.log_path.read_text()
    crashed = srv.proc.poll() is not None
    tracebacks = log.count("Traceback")
    changed = _rows(srv) - before
    if good < len(frames):
        print(results, log[-6000:])
    figure("hostile frames to the real server closed or refused, server still serving",
           f"{good}/{len(frames)}", "all", good == len(frames) and not crashed)
    figure("hostile frames: rows written, tracebacks in the server log",
           f"{changed}, {tracebacks}", "0, 0", changed == 0 and tracebacks == 0)
