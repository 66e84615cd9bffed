"""Two app processes on one PostgreSQL and one Redis (SOCKETIO_MESSAGE_QUEUE): a card posted
through one reaches the phones connected to the other, in order, with revisions intact (issue 8's
multi-process mode, checked here beside the other real-server tests)."""
import asyncio
import socket
import uuid

import pytest

from .conftest import size
from .live import LiveServer, connect_all, phone, postgres_database, run

pytestmark = pytest.mark.reliability
POSTS = size(20, 200)
LISTENERS = size(6, 40)


def _redis_or_skip():
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=2) as s:
            s.sendall(b"PING\r\n")
            if not s.recv(16).startswith(b"+PONG"):
                raise OSError("no PONG")
    except OSError as exc:
        pytest.skip(f"Redis at 127.0.0.1:6379 is not reachable: {exc}")


def test_two_processes_share_one_hall(tmp_path, figure):
    _redis_or_skip()
    name = f"takt_mp_{uuid.uuid4().hex[:8]}"
    url, drop = postgres_database(name)
    queue = f"redis://127.0.0.1:6379/{7}"
    servers = [LiveServer(tmp_path / f"p{n}", url) for n in (0, 1)]
    try:
        for n, srv in enumerate(servers):
            (tmp_path / f"p{n}").mkdir(exist_ok=True)
            # One app behind a proxy: the processes share the secret that signs phones' tokens.
            srv.env.update({"PG_DATABASE": name, "SOCKETIO_MESSAGE_QUEUE": queue,
                            "SOCKETIO_CHANNEL": name,
                            "SECRET_KEY": servers[0].env["SECRET_KEY"]})
        authors_n = max(2, -(-POSTS // 25))  # each author under the 30-a-minute post limit
        authors_n += authors_n % 2
        seed = servers[0].seed(LISTENERS + authors_n)
        for srv in servers:
            srv.start()
        sid, item = seed["sid"], seed["item_id"]
        phones = [phone(p, sid) for p in seed["phones"]]
        authors, listeners = phones[:authors_n], phones[authors_n:]
        half = len(listeners) // 2
        # Post n goes through author n % authors_n: even authors on process 0, odd on 1.
        by_post = [authors[n % authors_n] for n in range(POSTS)]

        async def scenario():
            await connect_all(authors[0::2] + listeners[:half], servers[0].url)
            await connect_all(authors[1::2] + listeners[half:], servers[1].url)
            for n, author in enumerate(by_post):  # each post acked before the next
                ack = await author.post(item, f"Идея через процесс {n % 2}: №{n}")
                assert ack.get("ok"), ack
            await asyncio.sleep(2)
            for c in authors + listeners:
                await c.drop()

        run(scenario())
        acked = {cid: card for a in authors for cid, card in a.acked.items()}
        wanted = {card["id"] for card in acked.values()}
        missing = sum(len(wanted - set(c.cards)) for c in listeners)
        gaps = 0
        for c in listeners:
            seen = sorted(c.applied)
            gaps += sum(1 for a, b in zip(seen, seen[1:]) if b != a + 1)
        # Posts were acked one after another: their revisions must rise in that order.
        sent_order = [by_post[n].sent[n // authors_n] for n in range(POSTS)]
        revs = [acked[cid]["rev"] for cid in sent_order]
        out_of_order = sum(1 for a, b in zip(revs, revs[1:]) if b <= a)
        figure(f"two processes on Redis, {POSTS} posts, {len(listeners)} phones: items missing "
               "from a phone on the other process", missing, 0, missing == 0)
        figure("two processes on Redis: revision gaps in a phone's view", gaps, 0, gaps == 0)
        figure("two processes on Redis: posts out of order", out_of_order, 0, out_of_order == 0)
    finally:
        for srv in servers:
            srv.stop()
        drop()
