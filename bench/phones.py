"""Phones: lean raw Engine.IO 4 / Socket.IO 5 clients, many per load-generator process.

python-socketio's client costs about 0.2 ms of CPU per message: 1,000 of them on one shared
core would measure the load generator rather than the server. A lean phone (bench/leanws.py under
it) only answers pings, sends what the scenario asks (sync, post_card) and notes, for each
event it gets, the revision, the type and the arrival time (`time.monotonic()`: one clock for all processes on
Linux). The same client talks to the app, the Node socket.io anchor and the raw anchor.

`Fleet` (in the coordinating process) drives a few worker processes pinned to the load core by
commands over queues; each worker holds its share of the phones in one asyncio loop and keeps
per-revision aggregates (how many phones, first and last arrival), so that what travels back is
small whatever the number of deliveries:

- per revision: count, first and last arrival, and the count per recipient group;
- per phone: `duplicated` (a revision seen twice) and `out_of_order` (a revision lower than one
  seen before: events must arrive in revision order, which is send order).
"""
import asyncio
import json
import multiprocessing as mp
import re
import time
import uuid

import leanws
from common import LOAD_CORE, cpu_seconds, dumps, pin, raise_open_files

EVENT = re.compile(r'"type": ?"([^"]+)", ?"rev": ?(\d+)')
DATA_ID = re.compile(r'"id": ?(\d+)')
ACK = re.compile(r"^43/live,(\d+)\[(.*)\]$", re.S)
SYNCED = '42/live,["synced",'
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Phone:
    __slots__ = ("index", "group", "token", "http", "ws", "rev", "seen", "last", "ids", "acks",
                 "next_ack", "waiter", "synced")

    def __init__(self, index, group, token=None):
        self.index, self.group, self.token = index, group, token
        self.http = self.ws = self.waiter = self.synced = None
        self.rev = -1          # the last revision applied (for sync after a reconnect)
        self.seen = set()      # revisions seen (duplicates)
        self.last = -1         # highest revision seen (order)
        self.ids = set()       # card ids held (S4: what it has after the storm)
        self.acks = {}         # ack id -> future
        self.next_ack = 1


class Worker:
    """One load-generator process: its phones and the command loop."""

    def __init__(self, url, session_id, out):
        self.url, self.session_id, self.out = url, session_id, out
        self.ws_url = url.replace("http", "ws", 1) + "/socket.io/?EIO=4&transport=websocket"
        self.phones = []
        self.shared = None          # the aiohttp connector of S4's joins over HTTP
        self.watch = {"card.created", "card.updated"}
        self.keep_ids = False
        self.agg, self.gagg = {}, {}
        self.reset()

    def reset(self):
        """Clear the aggregates in place."""
        self.agg.clear()            # rev -> [count, first, last]
        self.gagg.clear()           # (rev, group) -> count
        self.duplicated = self.out_of_order = 0
        self.frame_bytes = 0

    # -- connection ---------------------------------------------------------------------------
    async def open(self, phone, auth, cookie=None, sync_timeout=60):
        """WebSocket, Engine.IO open, Socket.IO connect to /live, sync; returns the sync ack."""
        loop = asyncio.get_running_loop()
        phone.waiter = loop.create_future()
        phone.ws = await leanws.connect(self.ws_url, lambda text: self.on_text(phone, text),
                                        cookie=cookie)
        await asyncio.wait_for(phone.waiter, 30)  # "0{...}": the Engine.IO open packet
        # The revision rides on the handshake, as the app's live.js sends it: the server's
        # answer (`synced`, before its CONNECT packet) is the sync; no second round trip.
        phone.synced = loop.create_future()
        phone.waiter = loop.create_future()
        phone.ws.send_text("40/live," + json.dumps({**auth, "rev": phone.rev}))
        await asyncio.wait_for(phone.waiter, 30)  # "40/live,{sid}"
        phone.waiter = None
        if not phone.synced.done():  # a server without it (the anchors) is asked, as live.js does
            return await self.call(phone, "sync", {"rev": phone.rev}, timeout=sync_timeout)
        return phone.synced.result()

    def auth(self, phone):
        auth = {"session_id": self.session_id, "role": "participant"}
        if phone.token:
            auth["token"] = phone.token
        return auth

    def cookie(self, phone):
        if phone.http is None:
            return None
        jar = phone.http.cookie_jar.filter_cookies(self.url)
        return "; ".join(f"{k}={m.value}" for k, m in jar.items()) or None

    async def connect_one(self, phone, attempts=5):
        for attempt in range(attempts):
            try:
                ack = await self.open(phone, self.auth(phone), self.cookie(phone))
                self.apply_sync(phone, ack)
                return True
            except Exception:  # noqa: BLE001 — retried, then counted as not connected
                self.drop(phone)
                await asyncio.sleep(0.5 * (attempt + 1))
        return False

    def apply_sync(self, phone, ack):
        if not ack or not ack.get("ok"):
            raise ConnectionError(f"sync refused: {ack}")
        if "snapshot" in ack:
            snap = ack["snapshot"]
            for key in ("cards", "ideas", "trends"):
                for card in snap.get(key) or ():
                    if isinstance(card, dict) and "id" in card:
                        phone.ids.add(card["id"])
        for event in ack.get("events") or ():
            if event.get("type") in self.watch and isinstance(event.get("data"), dict):
                phone.ids.add(event["data"].get("id"))
        phone.rev = max(phone.rev, ack.get("rev", -1))

    def drop(self, phone, abort=False):
        """Close (or, with abort, cut) the phone's connection; its pending acks fail."""
        ws, phone.ws = phone.ws, None
        for fut in [*phone.acks.values(), phone.waiter]:
            if fut is not None and not fut.done():
                fut.set_exception(ConnectionError("dropped"))
        if phone.synced is not None:
            phone.synced.cancel()  # awaited only after the connect: nobody may be waiting
        phone.acks.clear()
        phone.waiter = None
        if ws is not None:
            ws.abort() if abort else ws.close()

    async def call(self, phone, event, data, timeout=30):
        ack_id = phone.next_ack
        phone.next_ack += 1
        fut = asyncio.get_running_loop().create_future()
        phone.acks[ack_id] = fut
        ws = phone.ws
        try:
            ws.send_text(f"42/live,{ack_id}" + dumps([event, data]))
            done, _ = await asyncio.wait({fut, ws.closed}, timeout=timeout,
                                         return_when=asyncio.FIRST_COMPLETED)
            if fut in done:
                return fut.result()
            raise ConnectionError("closed" if done else "ack timed out")
        finally:
            phone.acks.pop(ack_id, None)

    def on_text(self, phone, text):
        """The hot path: one message at a time, as little work as possible."""
        if text == "2":
            phone.ws.send_text("3")
            return
        if text.startswith(SYNCED):
            if phone.synced is not None and not phone.synced.done():
                phone.synced.set_result(json.loads(text[len(SYNCED):-1]))
            return
        if text.startswith("42/live"):
            found = EVENT.search(text)
            if not found:
                return
            now = time.monotonic()
            rev = int(found.group(2))
            if rev in phone.seen:
                self.duplicated += 1
                return
            phone.seen.add(rev)
            if rev < phone.last:
                self.out_of_order += 1
            else:
                phone.last = rev
            if rev > phone.rev:
                phone.rev = rev
            if found.group(1) in self.watch:
                agg = self.agg
                entry = agg.get(rev)
                if entry is None:
                    agg[rev] = [1, now, now]
                    self.frame_bytes = self.frame_bytes or len(text.encode())
                else:
                    entry[0] += 1
                    entry[2] = now
                key = (rev, phone.group)
                self.gagg[key] = self.gagg.get(key, 0) + 1
                if self.keep_ids:
                    got = DATA_ID.search(text, text.find('"data"'))
                    if got:
                        phone.ids.add(int(got.group(1)))
        elif text.startswith("43/live"):
            got = ACK.match(text)
            if got:
                fut = phone.acks.get(int(got.group(1)))
                if fut is not None and not fut.done():
                    fut.set_result(json.loads(got.group(2)))
        elif phone.waiter is not None and not phone.waiter.done():
            if text.startswith("0") or text.startswith("40/live"):
                phone.waiter.set_result(text)
            elif text.startswith("44/live"):
                phone.waiter.set_exception(ConnectionError(text))

    # -- commands -----------------------------------------------------------------------------
    async def cmd_connect(self, phones, batch=50):
        """Phones with signed tokens (made by the services), connected batch by batch."""
        new = [Phone(p["index"], p.get("group"), p.get("token")) for p in phones]
        ok = []
        for i in range(0, len(new), batch):
            chunk = new[i:i + batch]
            ok += await asyncio.gather(*(self.connect_one(p) for p in chunk))
        self.phones += [p for p, good in zip(new, ok) if good]
        return {"connected": [(p.index, p.group) for p, good in zip(new, ok) if good]}

    async def cmd_join(self, phones, code, start_at):
        """The real join path over HTTP, all at once from `start_at`: GET /j/<code> (the form
        and its CSRF token), POST it (the signed cookie), GET the phone page it redirects to,
        then the WebSocket with that cookie and sync. Per phone: when each stage ended."""
        import aiohttp
        connector = self.shared = aiohttp.TCPConnector(limit=0)
        await asyncio.sleep(max(0.0, start_at - time.monotonic()))

        async def one(spec):
            phone = Phone(spec["index"], spec["group"])
            phone.http = aiohttp.ClientSession(connector=connector, connector_owner=False,
                                               cookie_jar=aiohttp.CookieJar(unsafe=True))
            times = {"index": phone.index}
            try:
                async with phone.http.get(f"{self.url}/j/{code}") as r:
                    page = await r.text()
                token = CSRF.search(page).group(1)
                form = {"csrf_token": token, "display_name": f"Phone {phone.index}",
                        "group_id": str(spec["group"]), "client_id": str(uuid.uuid4())}
                async with phone.http.post(f"{self.url}/j/{code}", data=form,
                                           allow_redirects=False) as r:
                    await r.read()
                    if r.status not in (302, 303):
                        raise ConnectionError(f"join answered {r.status}")
                    location = r.headers["Location"]
                times["joined"] = time.monotonic()
                async with phone.http.get(self.url + location if location.startswith("/")
                                          else location) as r:
                    await r.read()
                    if r.status != 200:
                        raise ConnectionError(f"phone page answered {r.status}")
                times["page"] = time.monotonic()
                self.apply_sync(phone, await self.open(phone, {
                    "session_id": self.session_id, "role": "participant"}, self.cookie(phone)))
                times["live"] = time.monotonic()
                self.phones.append(phone)
            except Exception as exc:  # noqa: BLE001 — reported as a failed join
                times["error"] = repr(exc)[:200]
                self.drop(phone)
            return times

        return {"joins": await asyncio.gather(*(one(s) for s in phones))}

    async def cmd_watch(self, types=("card.created", "card.updated"), keep_ids=False):
        self.watch.clear()
        self.watch.update(types)
        self.keep_ids = keep_ids
        self.reset()
        return {}

    async def cmd_post(self, schedule, item_id, timeout=60):
        """schedule: [(monotonic time, phone index, text)]; each post a post_card from that
        phone at that moment. Per post: sent, acked, ok, rev, card id, error."""
        by_index = {p.index: p for p in self.phones}

        async def one(at, index, text):
            await asyncio.sleep(max(0.0, at - time.monotonic()))
            phone = by_index.get(index)
            post = {"phone": index, "group": phone.group if phone else None, "at": at,
                    "sent": time.monotonic(), "ok": None}
            if phone is None or phone.ws is None:
                post["error"] = "not connected"
                return post
            try:
                ack = await self.call(phone, "post_card", {
                    "client_id": str(uuid.uuid4()), "item_id": item_id, "text": text},
                    timeout=timeout)
            except Exception as exc:  # noqa: BLE001
                post["error"] = repr(exc)[:200]
                return post
            post.update(acked=time.monotonic(), ok=bool(ack.get("ok")))
            if ack.get("ok"):
                post.update(rev=ack["card"]["rev"], id=ack["card"]["id"])
            else:
                post["error"] = ack.get("code")
            return post

        return {"posts": await asyncio.gather(*(one(*s) for s in schedule))}

    async def cmd_count(self):
        return {"count": sum(entry[0] for entry in self.agg.values())}

    async def cmd_report(self):
        """The aggregates since the last watch/report, then cleared."""
        out = {"agg": dict(self.agg), "gagg": dict(self.gagg), "duplicated": self.duplicated,
               "out_of_order": self.out_of_order, "frame_bytes": self.frame_bytes,
               "phones": len(self.phones)}
        self.reset()
        return out

    async def cmd_cut(self):
        """Every phone's TCP connection cut at once (no closing handshake)."""
        for phone in self.phones:
            self.drop(phone, abort=True)
        return {}

    async def cmd_reconnect(self, start_at):
        """Every phone reconnects at `start_at` at once and syncs from its last revision."""
        await asyncio.sleep(max(0.0, start_at - time.monotonic()))

        async def one(phone):
            for attempt in range(20):
                try:
                    ack = await self.open(phone, self.auth(phone), self.cookie(phone),
                                          sync_timeout=120)
                    self.apply_sync(phone, ack)
                    return {"index": phone.index, "synced": time.monotonic(),
                            "how": "snapshot" if "snapshot" in ack else "events",
                            "attempts": attempt + 1}
                except Exception as exc:  # noqa: BLE001 — a refused or timed-out reconnect
                    error = repr(exc)[:200]
                    self.drop(phone)
                    await asyncio.sleep(0.25 * (attempt + 1))
            return {"index": phone.index, "error": error}
        return {"syncs": await asyncio.gather(*(one(p) for p in self.phones))}

    async def cmd_missing(self, ids):
        """How many of `ids` each phone lacks: (phones lacking any, items missing in all)."""
        wanted = set(ids)
        lacking = [len(wanted - p.ids) for p in self.phones]
        return {"phones_missing": sum(1 for n in lacking if n), "items_missing": sum(lacking)}

    async def cmd_close(self):
        for phone in self.phones:
            self.drop(phone)
            if phone.http:
                await phone.http.close()
        if self.shared:
            await self.shared.close()
        await asyncio.sleep(0.2)  # let the closing frames go out
        return {}


def worker_main(url, session_id, inbox, outbox):
    pin(LOAD_CORE)
    raise_open_files(8192)  # a socket per phone: past 1,000 phones a worker needs more
    try:  # libuv's loop: half the load generator's CPU per message of asyncio's own
        import uvloop
        run = uvloop.run
    except ImportError:
        run = asyncio.run
    run(_worker(url, session_id, inbox, outbox))


async def _worker(url, session_id, inbox, outbox):
    worker = Worker(url, session_id, outbox)
    loop = asyncio.get_running_loop()
    while True:
        name, kwargs = await loop.run_in_executor(None, inbox.get)
        try:
            result = await getattr(worker, f"cmd_{name}")(**kwargs)
        except Exception as exc:  # noqa: BLE001 — reported to the coordinator
            result = {"error": repr(exc)}
        outbox.put(result)
        if name == "close":
            return


class Fleet:
    """The coordinator's handle on the worker processes. `urls` may list several servers
    (S5): worker w talks to urls[w % len(urls)]."""

    def __init__(self, urls, session_id, workers):
        if isinstance(urls, str):
            urls = [urls]
        ctx = mp.get_context("spawn")
        self.inboxes = [ctx.Queue() for _ in range(workers)]
        self.outboxes = [ctx.Queue() for _ in range(workers)]
        self.procs = [ctx.Process(target=worker_main, daemon=True,
                                  args=(urls[w % len(urls)], session_id, self.inboxes[w],
                                        self.outboxes[w])) for w in range(workers)]
        for p in self.procs:
            p.start()

    def __len__(self):
        return len(self.procs)

    def send(self, name, per_worker=None, timeout=900, **kwargs):
        """Run a command on every worker at once; `per_worker` gives each its own kwargs."""
        for w, inbox in enumerate(self.inboxes):
            inbox.put((name, {**kwargs, **(per_worker[w] if per_worker else {})}))
        results = [out.get(timeout=timeout) for out in self.outboxes]
        for result in results:
            if "error" in result and len(result) == 1:
                raise RuntimeError(f"phones' {name} failed: {result['error']}")
        return results

    def connect(self, phones):
        """Spread phones over the workers (whole groups together); [(index, group)]."""
        groups = sorted({p.get("group") for p in phones}, key=lambda g: (g is None, g or 0))
        by_group = {g: i for i, g in enumerate(groups)}
        shares = [[] for _ in self.procs]
        if len(groups) >= len(self.procs):
            for p in phones:
                shares[by_group[p.get("group")] % len(self.procs)].append(p)
        else:
            for i, p in enumerate(phones):
                shares[i % len(self.procs)].append(p)
        self.shares = shares
        results = self.send("connect", per_worker=[{"phones": s} for s in shares])
        return [pair for r in results for pair in r["connected"]]

    def cpu(self):
        """The load generator's own CPU seconds so far (all workers)."""
        return sum(cpu_seconds(p.pid) for p in self.procs)

    def report(self):
        """Merge the workers' aggregates: {rev: [count, first, last]}, {(rev, group): count},
        duplicated, out_of_order, frame_bytes."""
        agg, gagg, dup, ooo, frame = {}, {}, 0, 0, 0
        for r in self.send("report"):
            for rev, (count, first, last) in r["agg"].items():
                entry = agg.get(rev)
                if entry is None:
                    agg[rev] = [count, first, last]
                else:
                    entry[0] += count
                    entry[1] = min(entry[1], first)
                    entry[2] = max(entry[2], last)
            for key, count in r["gagg"].items():
                gagg[key] = gagg.get(key, 0) + count
            dup += r["duplicated"]
            ooo += r["out_of_order"]
            frame = frame or r["frame_bytes"]
        return agg, gagg, dup, ooo, frame

    def close(self):
        try:
            self.send("close", timeout=60)
        except Exception:  # noqa: BLE001
            pass
        for p in self.procs:
            p.join(10)
            if p.is_alive():
                p.terminate()
