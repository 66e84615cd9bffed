"""Direct fan-out under eventlet: a room's event written straight into each phone's socket.

Measured with bench/ (issue 8): python-engine.io hands every delivery to the recipient's queue
and its writer greenlet, which re-encodes and re-frames the same packet, arms and cancels a
timer, raises and catches `Empty`, and switches greenlets twice: about 100 µs of server CPU
per phone per event, where the TCP send itself is under 10 µs. Here, when a room event goes out
(the library encodes its packet once for all recipients), the WebSocket frame is built once
and written with one non-blocking send to every phone whose connection is idle; anything else
takes the library's own path, so ordering and the reconnect rules stay the library's:

- the direct write is tried only on a WebSocket connection (not polling, not mid-upgrade) whose
  queue is empty and whose send lock is free, so nothing queued earlier can be overtaken and
  no frame can be interleaved with one in flight (eventlet's WebSocket holds that lock around
  every send);
- a full send buffer (a slow phone) sends nothing and falls back to the queue; a partial send
  keeps the lock and finishes the frame in a green thread of its own, so the writer's next
  frame waits behind it and the fan-out loop never waits for one slow phone;
- a send error falls back to the queue: the writer meets the same error and closes the
  connection as before, and the phone resyncs on reconnect;
- WebSocket compression is not negotiated (see RecordingWebSocket.__call__); a connection that
  has it anyway takes the library's path.

Other async modes (gevent, threading in tests) keep the library's path unchanged, and
TAKT_DIRECT_FANOUT=0 turns the direct path off (to compare, or should a library upgrade break
its assumptions: tests/realtime/test_fanout.py checks them).
"""
import logging
import os

log = logging.getLogger(__name__)


def enable_direct_fanout(server):
    """Install the direct path on a python-socketio Server running under eventlet; return
    whether it was installed."""
    eio = server.eio
    if eio.async_mode != "eventlet" or os.environ.get("TAKT_DIRECT_FANOUT", "1") == "0":
        return False
    import eventlet

    library_websocket = eio._async["websocket"]

    class RecordingWebSocket(library_websocket):
        """The library's WebSocket WSGI app, keeping the open WebSocket on its Engine.IO
        socket (the handler is that socket's bound method)."""

        def __init__(self, handler, server_):
            socket = getattr(handler, "__self__", None)

            def keep(ws):
                # Only a WebSocket of the shape the direct path reads (eventlet's, over a green
                # socket: `python wsgi.py` and gunicorn's eventlet worker alike).
                if socket is not None and hasattr(getattr(ws, "socket", None), "fd") \
                        and hasattr(ws, "_sendlock"):
                    socket.takt_ws = ws
                try:
                    return handler(ws)
                finally:
                    if socket is not None:
                        socket.takt_ws = None

            super().__init__(keep, server_)

        def __call__(self, environ, start_response):
            # No permessage-deflate (Socket.IO's own server leaves it off by default too): a
            # deflate context with context takeover costs ~300 KB per phone and a compression
            # per phone per event, and events are a few hundred bytes of JSON. Uncompressed,
            # one frame serves every phone.
            environ.pop("HTTP_SEC_WEBSOCKET_EXTENSIONS", None)
            return super().__call__(environ, start_response)

    eio._async = {**eio._async, "websocket": RecordingWebSocket}
    library_send = server._send_eio_packet
    sockets = eio.sockets

    def finish(ws, rest):
        """The tail of a partly sent frame, under the send lock taken by the caller."""
        try:
            ws.socket.sendall(rest)
        except OSError:
            pass  # the writer meets the closed socket too and ends the session
        finally:
            ws._sendlock.release()

    def send(eio_sid, pkt):
        socket = sockets.get(eio_sid)
        ws = getattr(socket, "takt_ws", None)
        if (ws is None or ws.extensions or socket.closed or not socket.upgraded
                or socket.upgrading or socket.queue.qsize()):
            return library_send(eio_sid, pkt)
        lock = ws._sendlock
        if lock.counter < 1 or lock._waiters:  # a frame in flight, or the writer waits for one
            return library_send(eio_sid, pkt)
        lock.acquire(blocking=False)  # free and nobody waiting: taken without yielding
        frame = pkt.__dict__.get("takt_frame")
        if frame is None:  # one emit sends the same packet object to everyone: frame it once
            frame = pkt.takt_frame = ws._pack_message(pkt.encode())
        try:
            sent = ws.socket.fd.send(frame)
        except BlockingIOError:
            sent = 0
        except OSError:
            sent = 0  # the library's writer meets the same error and ends the session
        if sent == len(frame):
            lock.release()
        elif sent > 0:
            eventlet.spawn_n(finish, ws, frame[sent:])
        else:
            lock.release()
            library_send(eio_sid, pkt)

    server._send_eio_packet = send
    return True
