"""A bare WebSocket client on an asyncio Protocol, for the bench's phones.

aiohttp's WebSocket client costs about 40 µs of load-generator CPU per message (its reader, a
queue, a task wake-up per message): with 1,000 phones on one core that alone spread one
reveal's arrivals over 40 ms, and the bench measured the load generator. Here each text frame
is parsed in `data_received` and handed to a plain callback, with no task or queue per
message. Only what a phone needs: the HTTP upgrade (with a Cookie header), unmasked server
frames (text, continuation, ping, close), masked client text frames, and an abort that cuts
the TCP connection without a closing handshake (a network that goes away).
"""
import asyncio
import base64
import os
from urllib.parse import urlsplit


class Closed(ConnectionError):
    pass


class LeanWS(asyncio.Protocol):
    def __init__(self, on_text):
        self.on_text = on_text          # called with each text message (str)
        self.transport = None
        self.buf = bytearray()
        self.upgraded = asyncio.get_running_loop().create_future()
        self.closed = asyncio.get_running_loop().create_future()
        self.fragments = None

    # -- asyncio.Protocol ---------------------------------------------------------------------
    def connection_made(self, transport):
        self.transport = transport

    def connection_lost(self, exc):
        if not self.upgraded.done():
            self.upgraded.set_exception(Closed("closed before the upgrade"))
        if not self.closed.done():
            self.closed.set_result(None)

    def data_received(self, data):
        buf = self.buf
        buf += data
        if not self.upgraded.done():
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                return
            head = bytes(buf[:end]).decode("latin-1")
            del buf[:end + 4]
            if not head.startswith("HTTP/1.1 101"):
                self.upgraded.set_exception(Closed(head.split("\r\n", 1)[0]))
                self.transport.close()
                return
            self.upgraded.set_result(None)
        while len(buf) >= 2:
            b0, b1 = buf[0], buf[1]
            length, pos = b1 & 0x7F, 2
            if length == 126:
                if len(buf) < 4:
                    return
                length, pos = int.from_bytes(buf[2:4], "big"), 4
            elif length == 127:
                if len(buf) < 10:
                    return
                length, pos = int.from_bytes(buf[2:10], "big"), 10
            if len(buf) < pos + length:
                return
            payload = bytes(buf[pos:pos + length])
            del buf[:pos + length]
            opcode = b0 & 0x0F
            if opcode == 1:
                if b0 & 0x80:
                    self.on_text(payload.decode())
                else:
                    self.fragments = [payload]
            elif opcode == 0 and self.fragments is not None:
                self.fragments.append(payload)
                if b0 & 0x80:
                    text, self.fragments = b"".join(self.fragments).decode(), None
                    self.on_text(text)
            elif opcode == 9:
                self._frame(0xA, payload)
            elif opcode == 8:
                self.transport.close()
                return

    # -- sending ------------------------------------------------------------------------------
    def _frame(self, opcode, data):
        n = len(data)
        if n < 126:
            head = bytes((0x80 | opcode, 0x80 | n))
        elif n < 65536:
            head = bytes((0x80 | opcode, 0x80 | 126)) + n.to_bytes(2, "big")
        else:
            head = bytes((0x80 | opcode, 0x80 | 127)) + n.to_bytes(8, "big")
        mask = os.urandom(4)
        if n:
            key = (mask * (n // 4 + 1))[:n]
            data = (int.from_bytes(data, "big") ^ int.from_bytes(key, "big")).to_bytes(n, "big")
        self.transport.write(head + mask + data)

    def send_text(self, text):
        if self.transport is None or self.transport.is_closing():
            raise Closed("not connected")
        self._frame(1, text.encode())

    def abort(self):
        """Cut the TCP connection (RST), no closing handshake."""
        if self.transport is not None:
            self.transport.abort()

    def close(self):
        if self.transport is not None and not self.transport.is_closing():
            try:
                self._frame(8, b"\x03\xe8")
            finally:
                self.transport.close()


async def connect(url, on_text, cookie=None, timeout=30):
    """Open a WebSocket to ws://host:port/path?query; returns the LeanWS once upgraded."""
    parts = urlsplit(url)
    loop = asyncio.get_running_loop()
    _transport, ws = await asyncio.wait_for(loop.create_connection(
        lambda: LeanWS(on_text), parts.hostname, parts.port), timeout)
    key = base64.b64encode(os.urandom(16)).decode()
    path = parts.path + ("?" + parts.query if parts.query else "")
    lines = [f"GET {path} HTTP/1.1", f"Host: {parts.hostname}:{parts.port}",
             "Upgrade: websocket", "Connection: Upgrade", f"Sec-WebSocket-Key: {key}",
             "Sec-WebSocket-Version: 13"]
    if cookie:
        lines.append(f"Cookie: {cookie}")
    ws.transport.write(("\r\n".join(lines) + "\r\n\r\n").encode())
    try:
        await asyncio.wait_for(asyncio.shield(ws.upgraded), timeout)
    except BaseException:
        ws.abort()
        raise
    return ws
