"""The direct fan-out (facilitation/realtime/fanout.py) against the real eventlet WebSocket and
Engine.IO classes: which deliveries go straight to the socket and which take the library's
queue, that a slow phone neither blocks the others nor gets a frame cut in two, and that the
library still has the attributes the direct path reads (so an upgrade that changes them fails
here, not in a hall)."""
import errno
import warnings

import pytest

with warnings.catch_warnings():  # eventlet warns on import that it is in bugfix-only mode
    warnings.simplefilter("ignore")
    import eventlet
    import eventlet.queue
    from engineio.async_drivers import eventlet as engineio_eventlet
    from eventlet.websocket import RFC6455WebSocket
from engineio import packet as eio_packet
from engineio.socket import Socket

from facilitation.realtime.fanout import enable_direct_fanout


class FakeFd:
    """The OS socket under a green socket: `send` answers from a script of results."""

    def __init__(self, script=()):
        self.script = list(script)
        self.data = b""

    def send(self, data):
        result = self.script.pop(0) if self.script else len(data)
        if isinstance(result, Exception):
            raise result
        self.data += data[:result]
        return result


class FakeGreenSocket:
    def __init__(self, script=()):
        self.fd = FakeFd(script)

    def sendall(self, data):
        eventlet.sleep(0)  # a slow phone: the tail goes out later
        self.fd.data += data


class FakeEio:
    async_mode = "eventlet"

    def __init__(self):
        self._async = dict(engineio_eventlet._async)
        self.sockets = {}


class FakeServer:
    def __init__(self):
        self.eio = FakeEio()
        self.queued = []
        self._send_eio_packet = lambda eio_sid, pkt: self.queued.append((eio_sid, pkt))


class FakeEioSocket:
    """The attributes of engineio.socket.Socket that the direct path reads."""

    def __init__(self, ws):
        self.takt_ws = ws
        self.closed = False
        self.upgraded = True
        self.upgrading = False
        self.queue = eventlet.queue.Queue()


def phone(server, sid, script=()):
    ws = RFC6455WebSocket(FakeGreenSocket(script), {}, version=13)
    server.eio.sockets[sid] = FakeEioSocket(ws)
    return ws


@pytest.fixture
def server():
    s = FakeServer()
    assert enable_direct_fanout(s)
    return s


def frame_of(text):
    return RFC6455WebSocket(FakeGreenSocket(), {}, version=13)._pack_message(text)


def message(n):
    return eio_packet.Packet(eio_packet.MESSAGE, f'2["event",{{"rev":{n}}}]')


def test_idle_phones_get_one_shared_frame_without_the_queue(server):
    phones = [phone(server, f"s{n}") for n in range(3)]
    pkt = message(1)
    for n in range(3):
        server._send_eio_packet(f"s{n}", pkt)
    assert server.queued == []
    for ws in phones:
        assert ws.socket.fd.data == frame_of(pkt.encode())
        assert ws._sendlock.counter == 1
    assert pkt.takt_frame == frame_of(pkt.encode())  # framed once for everyone


def test_a_full_buffer_falls_back_to_the_queue(server):
    ws = phone(server, "slow", [BlockingIOError(errno.EAGAIN, "full")])
    pkt = message(1)
    server._send_eio_packet("slow", pkt)
    assert server.queued == [("slow", pkt)]
    assert ws.socket.fd.data == b"" and ws._sendlock.counter == 1


def test_a_broken_socket_falls_back_to_the_queue(server):
    phone(server, "gone", [BrokenPipeError(errno.EPIPE, "gone")])
    server._send_eio_packet("gone", message(1))
    assert [sid for sid, _ in server.queued] == ["gone"]


def test_a_partial_send_finishes_in_order_without_blocking_the_others(server):
    slow = phone(server, "slow", [5])
    fast = phone(server, "fast")
    first, second = message(1), message(2)
    server._send_eio_packet("slow", first)
    server._send_eio_packet("fast", first)
    # The slow phone's frame is cut after 5 bytes: its lock stays taken until the tail is out,
    # so the next event goes to its queue (behind the tail), and the fast phone is not held up.
    assert slow._sendlock.counter == 0
    assert fast.socket.fd.data == frame_of(first.encode())
    server._send_eio_packet("slow", second)
    assert server.queued == [("slow", second)]
    eventlet.sleep(0)
    eventlet.sleep(0)
    assert slow.socket.fd.data == frame_of(first.encode())
    assert slow._sendlock.counter == 1


@pytest.mark.parametrize("state", ["queued", "in_flight", "waiting", "upgrading", "polling",
                                   "closed", "compressed", "unknown"])
def test_anything_but_an_idle_websocket_takes_the_library_path(server, state):
    ws = phone(server, "p")
    socket = server.eio.sockets["p"]
    if state == "queued":
        socket.queue.put("an earlier packet")
    elif state == "in_flight":
        ws._sendlock.acquire()
    elif state == "waiting":
        ws._sendlock._waiters.append(object())
    elif state == "upgrading":
        socket.upgrading = True
    elif state == "polling":
        socket.takt_ws = None
    elif state == "closed":
        socket.closed = True
    elif state == "compressed":
        ws.extensions = {"permessage-deflate": {}}
    sid = "nobody" if state == "unknown" else "p"
    pkt = message(1)
    server._send_eio_packet(sid, pkt)
    assert server.queued == [(sid, pkt)]
    assert ws.socket.fd.data == b""


def test_the_websocket_is_kept_on_its_engineio_socket_and_compression_is_not_offered():
    calls, seen = [], {}

    class LibraryWebSocketApp:  # stands in for engineio's eventlet WebSocketWSGI
        def __init__(self, handler, server):
            self.handler = handler

        def __call__(self, environ, start_response):
            calls.append(dict(environ))
            return self.handler(environ["ws"])

    class Owner:  # stands in for the Engine.IO socket whose bound method is the handler
        takt_ws = None

        def handler(self, ws):
            seen["during"] = self.takt_ws

    server = FakeServer()
    server.eio._async["websocket"] = LibraryWebSocketApp
    assert enable_direct_fanout(server)
    owner = Owner()
    app = server.eio._async["websocket"](owner.handler, None)
    ws = RFC6455WebSocket(FakeGreenSocket(), {}, version=13)
    app({"HTTP_SEC_WEBSOCKET_EXTENSIONS": "permessage-deflate; client_max_window_bits",
         "ws": ws}, None)
    assert "HTTP_SEC_WEBSOCKET_EXTENSIONS" not in calls[0]
    assert seen["during"] is ws and owner.takt_ws is None
    # A WebSocket of another shape (no green socket under it) is not kept: the library's path.
    app({"ws": type("OtherWebSocket", (), {"socket": object()})()}, None)
    assert seen["during"] is None


def test_only_under_eventlet_and_not_when_turned_off(monkeypatch):
    server = FakeServer()
    server.eio.async_mode = "gevent"
    assert not enable_direct_fanout(server)
    server.eio.async_mode = "eventlet"
    monkeypatch.setenv("TAKT_DIRECT_FANOUT", "0")
    assert not enable_direct_fanout(server)


def test_the_library_still_has_what_the_direct_path_reads():
    socket = Socket(type("S", (), {"create_queue": lambda self: eventlet.queue.Queue()})(), "s")
    for name in ("closed", "upgraded", "upgrading", "queue"):
        assert hasattr(socket, name), name
    ws = RFC6455WebSocket(FakeGreenSocket(), {}, version=13)
    assert ws.extensions == {} and ws._sendlock.counter == 1 and not ws._sendlock._waiters
    assert hasattr(ws.socket, "fd")
    # python-socketio encodes a room event once and hands the same Engine.IO packet to every
    # recipient (socketio/manager.py), which is what lets one frame serve them all.
    import inspect

    from socketio import manager
    assert "_send_eio_packet(eio_sid, p)" in inspect.getsource(manager.Manager.emit)
