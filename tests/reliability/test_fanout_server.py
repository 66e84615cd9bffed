"""The direct fan-out against the real server (eventlet): a phone that stops reading while the
hall posts (its socket buffers fill, so the server's sends to it come back short or refused and
take the slow paths of facilitation/realtime/fanout.py) still gets every event, whole and in
order, and the phones around it are not held up."""
import asyncio
import base64
import json
import os
import re
import socket
import struct
import subprocess
import time

import pytest

from .conftest import size
from .live import LiveServer, connect_all, phone, run

pytestmark = pytest.mark.reliability
POSTS_PER_AUTHOR = size(12, 25)
AUTHORS = 6
LISTENERS = size(4, 20)


class RawPhone:
    """A phone speaking WebSocket by hand over a socket with a tiny receive buffer, so that the
    server's side fills up while it does not read."""

    def __init__(self, url, auth):
        host, port = re.match(r"http://([^:]+):(\d+)", url).groups()
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 2048)
        self.sock.connect((host, int(port)))
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
                           f"Host: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                           f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        self.buf = b""
        while b"\r\n\r\n" not in self.buf:
            self.buf += self.sock.recv(4096)
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        assert b" 101 " in head.split(b"\r\n")[0], head
        assert self.text().startswith("0{")
        self.send("40/live," + json.dumps(auth))
        self.until(lambda t: t.startswith("40/live"))
        self.send('42/live,1["sync",{"rev":-1}]')
        ack = json.loads(self.until(lambda t: t.startswith("43/live,1"))[len("43/live,1"):])[0]
        assert ack["ok"], ack
        self.rev = ack["rev"]
        self.events = []

    def _read(self, n):
        while len(self.buf) < n:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed by the server")
            self.buf += chunk
        data, self.buf = self.buf[:n], self.buf[n:]
        return data

    def text(self):
        """The next text message (a frame of the server's: unmasked, unfragmented)."""
        b0, b1 = self._read(2)
        assert b0 == 0x81, f"not one whole text frame: {b0:#x}"
        length = b1 & 0x7F
        if length == 126:
            length = struct.unpack("!H", self._read(2))[0]
        elif length == 127:
            length = struct.unpack("!Q", self._read(8))[0]
        return self._read(length).decode()

    def send(self, text):
        data, mask = text.encode(), os.urandom(4)
        n = len(data)
        head = bytes([0x81]) + (bytes([0x80 | n]) if n < 126 else
                                bytes([0x80 | 126]) + struct.pack("!H", n))
        self.sock.sendall(head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def until(self, found):
        while True:
            t = self.text()
            if t == "2":
                self.send("3")
            elif t.startswith("42/live,"):
                name, event = json.loads(t[len("42/live,"):])
                self.events.append(event)
            if found(t):
                return t


def test_a_phone_that_stops_reading_gets_every_event_whole_and_in_order(tmp_path, figure):
    server = LiveServer(tmp_path)
    seed = server.seed(AUTHORS + LISTENERS + 1)
    server.start()
    slow = None
    try:
        sid, item = seed["sid"], seed["item_id"]
        phones = [phone(p, sid) for p in seed["phones"]]
        authors, listeners = phones[:AUTHORS], phones[AUTHORS:-1]
        slow = RawPhone(server.url, {"session_id": sid, "role": "participant",
                                     "token": seed["phones"][-1]["token"]})
        backlog = []

        async def scenario():
            await connect_all(authors + listeners, server.url)
            t0 = time.monotonic()

            async def author(a, n):
                for k in range(POSTS_PER_AUTHOR):
                    ack = await a.post(item, f"Идея {n}.{k}: " + "длинный текст карточки " * 12)
                    assert ack.get("ok"), ack

            await asyncio.gather(*(author(a, n) for n, a in enumerate(authors)))
            elapsed = time.monotonic() - t0
            # What the server holds for the silent phone: its socket's send queue.
            out = subprocess.run(["ss", "-tnH", "state", "established", "(", "sport", "=",
                                  f":{server.port}", "and", "dport", "=",
                                  f":{slow.sock.getsockname()[1]}", ")"],
                                 capture_output=True, text=True)
            backlog.append(int(out.stdout.split()[1]) if out.stdout.split() else -1)
            await asyncio.sleep(1)
            for c in authors + listeners:
                await c.drop()
            return elapsed

        elapsed = run(scenario())
        assert elapsed < 9, "the posts took longer than a ping interval: the test proves less"
        posted = {card["id"] for a in authors for card in a.acked.values()}
        slow.sock.settimeout(20)
        seen = lambda: {e["data"]["id"] for e in slow.events  # noqa: E731
                        if e["type"] == "card.created"}
        while not posted <= seen():
            slow.until(lambda t: t.startswith("42/live"))
        revs = [e["rev"] for e in slow.events]
        out_of_order = sum(1 for a, b in zip(revs, revs[1:]) if b <= a)
        listener_revs = set().union(*(c.applied for c in listeners))
        missing = len(listener_revs - set(revs))
        figure(f"a phone that stops reading ({len(posted)} posts, {backlog[0]} bytes held for "
               "it): events missing or cut", missing, 0, missing == 0)
        figure("a phone that stops reading: events out of order", out_of_order, 0,
               out_of_order == 0)
        late = sum(len(posted - set(c.cards)) for c in listeners)
        figure("the phones around it: posts missing", late, 0, late == 0)
    finally:
        if slow is not None:
            slow.sock.close()
        server.stop()
