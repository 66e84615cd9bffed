"""The scenarios of `bench/run.py` (issue 8) and the anchors, each returning one flat dict of
figures (p50_ms, p99_ms, max_ms, lost, duplicated, out_of_order, cpu_us_per_delivery,
mem_kb_per_conn and what else tells the story).

Latency is always to the *last* recipient: from the moment the trigger was sent (the
moderator's reveal, the phone's post) to the arrival of the event at the last phone that
should get it. `mem_kb_per_conn` is the server's resident memory added by the connections
(RSS with the phones connected, at the end, minus RSS before they connected, divided by the
connections); `rss_kb_per_conn_total` divides the whole RSS, the app included.
`cpu_us_per_delivery` is the server's user+system CPU over the measured window divided by the
deliveries seen in it.
"""
import json
import shutil
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

from common import (BENCH, Moderator, Server, anchor_card, app_env, free_port, in_process,
                    listen_drops, migrate, moderator_login, pct, pin, postgres_database, prepare,
                    r1, redis_available)
from phones import Fleet

NODE_DIR = BENCH / "anchors" / "node"


def workers_for(n, most):
    return max(1, min(most, (n + 249) // 250))


def latency_fields(last_ms, prefix=""):
    return {f"{prefix}p50_ms": r1(pct(last_ms, 50)), f"{prefix}p99_ms": r1(pct(last_ms, 99)),
            f"{prefix}max_ms": r1(max(last_ms)) if last_ms else None}


class Scratch:
    """A temporary folder, scratch PostgreSQL databases and servers, all undone by close()."""

    def __init__(self, keep_logs=False):
        self.dir = Path(tempfile.mkdtemp(prefix="takt-bench-"))
        self.servers, self.drops, self.fleets = [], [], []
        self.keep_logs = keep_logs

    def database(self, kind):
        if kind == "sqlite":
            return f"sqlite:///{self.dir / f'bench-{uuid.uuid4().hex[:6]}.db'}"
        url, drop = postgres_database(f"takt_bench_{uuid.uuid4().hex[:10]}")
        self.drops.append(drop)
        return url

    def server(self, env, port, **kw):
        srv = Server(env, port, self.dir / f"server-{len(self.servers)}.log", **kw)
        self.servers.append(srv)
        return srv.start()

    def fleet(self, urls, session_id, n, most):
        fleet = Fleet(urls, session_id, workers_for(n, most))
        self.fleets.append(fleet)
        return fleet

    def close(self):
        for fleet in self.fleets:
            fleet.close()
        for srv in self.servers:
            srv.stop()
        for drop in self.drops:
            try:
                drop()
            except Exception as exc:  # noqa: BLE001
                print(f"  (could not drop a scratch database: {exc})")
        if self.keep_logs:
            print(f"  logs kept in {self.dir}")
        else:
            shutil.rmtree(self.dir, ignore_errors=True)


def wait_delivered(fleet, expected, timeout):
    """Wait until the phones hold `expected` deliveries of the watched events (or timeout)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = sum(r["count"] for r in fleet.send("count"))
        if got >= expected:
            return got
        time.sleep(0.25)
    return sum(r["count"] for r in fleet.send("count"))


def memory(servers, idle_kb, connections):
    rss = sum(s.rss_kb() for s in servers)
    return {"mem_kb_per_conn": r1((rss - idle_kb) / max(1, connections)),
            "rss_kb_per_conn_total": r1(rss / max(1, connections)),
            "server_rss_mb": r1(rss / 1024)}


# -- S1 and its relatives: one card every 400 ms to every phone ---------------------------------
def fanout(cfg, variant="app"):
    """S1 (variant "app", eventlet), the gevent anchor ("gevent"), S5 ("redis": two processes
    over Redis on PostgreSQL) and the raw and Node anchors ("raw", "node")."""
    n, reveals, interval = cfg.clients, cfg.reveals, cfg.interval
    scratch = Scratch(cfg.keep_logs)
    row = {"variant": variant, "N": n, "reveals": reveals, "interval_s": interval}
    try:
        secret = uuid.uuid4().hex
        if variant in ("raw", "node"):
            port = free_port()
            if variant == "raw":
                cmd = [cfg.python, str(BENCH / "anchors" / "raw_ws.py")]
                row.update(mode="python websockets", database=None)
            else:
                node_install()
                cmd = ["node", str(NODE_DIR / "server.js")]
                versions = node_version()
                row.update(mode="node/socket.io " + versions.get("socket.io", "?"),
                           database=None, node=versions.get("node"))
            servers = [scratch.server({"PORT": str(port)}, port, cmd=cmd, name=variant)]
            phones = [{"index": i, "group": None} for i in range(n)]
            session_id, card_ids, cookie = 0, list(range(1, reveals + 1)), None
        else:
            database = "postgresql" if variant == "redis" else "sqlite"
            url = scratch.database(database)
            mode = "gevent" if variant == "gevent" else "eventlet"
            ports = [free_port() for _ in range(2 if variant == "redis" else 1)]
            extra = {}
            if variant == "redis":  # a channel of its own: no cross-talk with other runs
                extra["SOCKETIO_MESSAGE_QUEUE"] = cfg.redis_url
                extra["SOCKETIO_CHANNEL"] = f"takt-bench-{uuid.uuid4().hex[:8]}"
            envs = [app_env(url, p, mode, secret, **extra) for p in ports]
            migrate(envs[0])
            data = in_process(prepare, envs[0], {"kind": "brainstorm", "groups": 1,
                                                 "per_group": n, "hidden": True,
                                                 "cards": reveals})
            row.update(mode=mode, database=database, processes=len(ports))
            servers = [scratch.server(env, p) for env, p in zip(envs, ports)]
            phones, session_id, card_ids = data["phones"], data["session_id"], data["card_ids"]
        time.sleep(1)
        idle_kb = sum(s.rss_kb() for s in servers)
        fleet = scratch.fleet([s.url for s in servers], session_id, n, cfg.workers)
        t0 = time.monotonic()
        connected = len(fleet.connect(phones))
        row.update(connected=connected, connect_s=r1(time.monotonic() - t0))
        pin()
        if variant in ("raw", "node"):
            moderator = Moderator(servers[0].url)
        else:
            cookie = moderator_login(servers[0].url, data["email"], data["password"])
            moderator = Moderator(servers[0].url, session_id, cookie)
        fleet.send("watch", types=["card.updated"])
        cpu0 = [s.cpu() for s in servers]
        load0 = fleet.cpu()
        sent, errors = {}, 0
        next_at = time.monotonic()
        for card_id in card_ids[:reveals]:
            next_at += interval
            trigger = {"kind": "idea", "id": card_id}
            if variant in ("raw", "node"):
                trigger["card"] = anchor_card(card_id)
            t_sent = time.monotonic()
            ack = moderator.call("reveal_card", trigger)
            if ack and ack.get("ok"):
                sent[ack["card"]["rev"]] = t_sent
            else:
                errors += 1
            time.sleep(max(0.0, next_at - time.monotonic()))
        wait_delivered(fleet, connected * len(sent), cfg.drain)
        cpu = sum(s.cpu() for s in servers) - sum(cpu0)
        load = fleet.cpu() - load0
        row.update(memory(servers, idle_kb, connected))
        agg, _gagg, dup, ooo, frame = fleet.report()
        moderator.close()
    finally:
        scratch.close()
    last, first, got = [], [], 0
    for rev, t_sent in sent.items():
        entry = agg.get(rev)
        if entry:
            got += min(entry[0], connected)
            first.append((entry[1] - t_sent) * 1000)
            last.append((entry[2] - t_sent) * 1000)
    deliveries = sum(entry[0] for entry in agg.values())
    row.update(latency_fields(last))
    row.update(first_p50_ms=r1(pct(first, 50)), deliveries=deliveries,
               lost=connected * len(sent) - got, duplicated=dup, out_of_order=ooo,
               unexpected=deliveries - got, trigger_errors=errors, frame_bytes=frame,
               cpu_us_per_delivery=r1(cpu * 1e6 / max(1, deliveries)),
               load_cpu_us_per_delivery=r1(load * 1e6 / max(1, deliveries)))
    return row


# -- S2: 40 groups × 25 phones posting, stored ------------------------------------------------
def group_posts(cfg, database):
    """S2: every post (a trend, into the current group item) goes to the 25 phones of its
    group (`g` room) and the projectors; 20 posts/s spread over the phones for 60 s."""
    scratch = Scratch(cfg.keep_logs)
    groups, per_group = cfg.groups, cfg.per_group
    rate, window = cfg.post_rate, cfg.post_window
    row = {"N": groups * per_group, "groups": groups, "per_group": per_group,
           "posts_per_s": rate, "window_s": window, "database": database, "mode": "eventlet"}
    try:
        url = scratch.database(database)
        port = free_port()
        env = app_env(url, port)
        migrate(env)
        data = in_process(prepare, env, {"kind": "trends", "groups": groups,
                                         "per_group": per_group})
        srv = scratch.server(env, port)
        time.sleep(1)
        idle_kb = srv.rss_kb()
        fleet = scratch.fleet(srv.url, data["session_id"], len(data["phones"]), cfg.workers)
        members = {}
        for index, group in fleet.connect(data["phones"]):
            members.setdefault(group, []).append(index)
        connected = sum(len(v) for v in members.values())
        pin()
        fleet.send("watch", types=["card.created"])
        # Post k comes from group k % G, its member (k // G) % size: each phone posts rarely
        # (well under POST_LIMIT_PER_PARTICIPANT, 30 a minute).
        order = sorted(members)
        total = int(rate * window)
        start = time.monotonic() + 1.0
        owner = {index: w for w, share in enumerate(fleet.shares) for index in
                 (p["index"] for p in share)}
        schedule = [[] for _ in range(len(fleet))]
        for k in range(total):
            group = order[k % len(order)]
            index = members[group][(k // len(order)) % len(members[group])]
            schedule[owner[index]].append((start + k / rate, index, f"Тренд {k}: молодёжь "
                                                                    "выбирает экотуризм"))
        cpu0 = srv.cpu()
        results = fleet.send("post", per_worker=[{"schedule": s} for s in schedule],
                             item_id=data["item_id"], timeout=window + 300)
        posts = [p for r in results for p in r["posts"]]
        acked = [p for p in posts if p.get("ok")]
        expected = sum(len(members[p["group"]]) for p in acked)
        wait_delivered(fleet, expected, cfg.drain)
        cpu = srv.cpu() - cpu0
        row.update(memory([srv], idle_kb, connected))
        agg, gagg, dup, ooo, frame = fleet.report()
    finally:
        scratch.close()
    last, ack_ms, got = [], [], 0
    for p in acked:
        ack_ms.append((p["acked"] - p["sent"]) * 1000)
        entry = agg.get(p["rev"])
        if entry:
            last.append((entry[2] - p["sent"]) * 1000)
            got += min(gagg.get((p["rev"], p["group"]), 0), len(members[p["group"]]))
    deliveries = sum(entry[0] for entry in agg.values())
    row.update(latency_fields(last))
    row.update(connected=connected, posts=len(posts), acked=len(acked),
               refused=sum(1 for p in posts if p.get("ok") is False),
               unanswered=sum(1 for p in posts if p.get("ok") is None),
               ack_p50_ms=r1(pct(ack_ms, 50)), ack_p99_ms=r1(pct(ack_ms, 99)),
               deliveries=deliveries, lost=expected - got, duplicated=dup, out_of_order=ooo,
               unexpected=deliveries - got, frame_bytes=frame,
               cpu_us_per_delivery=r1(cpu * 1e6 / max(1, deliveries)))
    errors = sorted({p.get("error") for p in posts if p.get("error")})
    if errors:
        row["post_errors"] = errors[:5]
    return row


# -- S3: the post rate ramped until p99 > 250 ms ----------------------------------------------
def ramp(cfg):
    """S3: ideas into a plenary item (each to every phone: `s` room), in steps of rising
    posts/s; stops at the first step whose last-recipient p99 exceeds the limit."""
    scratch = Scratch(cfg.keep_logs)
    n = cfg.clients
    row = {"N": n, "mode": "eventlet", "database": "sqlite", "step_s": cfg.step_s,
           "limit_p99_ms": cfg.ramp_limit_ms}
    steps = []
    try:
        url = scratch.database("sqlite")
        port = free_port()
        env = app_env(url, port)
        migrate(env)
        data = in_process(prepare, env, {"kind": "brainstorm", "groups": 1, "per_group": n})
        srv = scratch.server(env, port)
        time.sleep(1)
        idle_kb = srv.rss_kb()
        fleet = scratch.fleet(srv.url, data["session_id"], n, cfg.workers)
        connected_pairs = fleet.connect(data["phones"])
        connected = len(connected_pairs)
        indexes = [i for i, _g in connected_pairs]
        owner = {index: w for w, share in enumerate(fleet.shares) for index in
                 (p["index"] for p in share)}
        pin()
        fleet.send("watch", types=["card.created"])
        k = 0
        rates, retried = list(cfg.ramp_rates), set()
        while rates:
            rate = rates.pop(0)
            total = max(1, int(rate * cfg.step_s))
            start = time.monotonic() + 0.5
            schedule = [[] for _ in range(len(fleet))]
            for j in range(total):
                index = indexes[k % len(indexes)]  # round robin: each phone posts rarely
                k += 1
                schedule[owner[index]].append((start + j / rate, index, f"Идея {k}"))
            cpu0 = srv.cpu()
            results = fleet.send("post", per_worker=[{"schedule": s} for s in schedule],
                                 item_id=data["item_id"], timeout=cfg.step_s + 300)
            posts = [p for r in results for p in r["posts"]]
            acked = [p for p in posts if p.get("ok")]
            wait_delivered(fleet, connected * len(acked), cfg.drain + 10)
            cpu = srv.cpu() - cpu0
            agg, _gagg, dup, ooo, _frame = fleet.report()
            last, got = [], 0
            for p in acked:
                entry = agg.get(p["rev"])
                if entry:
                    got += min(entry[0], connected)
                    last.append((entry[2] - p["sent"]) * 1000)
            deliveries = sum(e[0] for e in agg.values())
            step = {"posts_per_s": rate, "offered_deliveries_per_s": rate * connected,
                    "posts": len(posts), "acked": len(acked),
                    "delivered_per_s": round(deliveries / cfg.step_s),
                    **latency_fields(last), "lost": connected * len(acked) - got,
                    "duplicated": dup, "out_of_order": ooo,
                    "refused": sum(1 for p in posts if p.get("ok") is False),
                    "unanswered": sum(1 for p in posts if p.get("ok") is None),
                    "deliveries": deliveries,
                    "cpu_us_per_delivery": r1(cpu * 1e6 / max(1, deliveries)),
                    "server_cpu_busy": round(cpu / cfg.step_s, 2)}
            print(f"    S3 step {rate:>4} posts/s × {connected} phones: p99 {step['p99_ms']} ms, "
                  f"delivered {step['delivered_per_s']}/s, lost {step['lost']}", flush=True)
            if step["p99_ms"] is None or step["p99_ms"] > cfg.ramp_limit_ms:
                if rate not in retried:  # one hiccup of a shared machine is not the limit:
                    retried.add(rate)    # a step over the limit is run once more
                    rates.insert(0, rate)
                    step["retried"] = True
                    steps.append(step)
                    continue
                steps.append(step)
                break
            steps.append(step)
        row.update(memory([srv], idle_kb, connected))
    finally:
        scratch.close()
    passed = [s for s in steps if s["p99_ms"] is not None and s["p99_ms"] <= cfg.ramp_limit_ms]
    broke = steps[-1] if steps and steps[-1] not in passed else None
    # The figures of a first try that was over the limit but passed on its retry stay in
    # `steps` (with "retried") and count for lost/duplicated/out_of_order.
    best = passed[-1] if passed else None
    row.update(connected=connected, steps=steps,
               deliveries_per_s_at_limit=best["offered_deliveries_per_s"] if best else 0,
               delivered_per_s_at_limit=best["delivered_per_s"] if best else 0,
               broke_at_deliveries_per_s=broke["offered_deliveries_per_s"] if broke else None,
               deliveries=sum(s["deliveries"] for s in steps),
               lost=sum(s["lost"] for s in steps),
               duplicated=sum(s["duplicated"] for s in steps),
               out_of_order=sum(s["out_of_order"] for s in steps))
    ref = best or (steps[0] if steps else {})
    row.update({key: ref.get(key) for key in ("p50_ms", "p99_ms", "max_ms",
                                              "cpu_us_per_delivery")})
    row["figures_from_step_posts_per_s"] = ref.get("posts_per_s")
    return row


# -- S4: 1,000 joins over HTTP, then all reconnect at once ------------------------------------
def joins_and_storm(cfg):
    """S4: N phones take the real join path over HTTP at once (form, POST with CSRF, the phone
    page, WebSocket with the cookie, sync); items are posted and acked (some by phones while
    connected, some by the moderator while the phones are cut off); then every phone's TCP
    connection is cut and all reconnect at once, each syncing from its last revision. Every
    phone must hold every acked item afterwards."""
    scratch = Scratch(cfg.keep_logs)
    n = cfg.clients
    groups = max(1, min(10, n // 25))
    row = {"N": n, "mode": "eventlet", "database": "sqlite", "groups": groups}
    try:
        url = scratch.database("sqlite")
        port = free_port()
        env = app_env(url, port)
        migrate(env)
        data = in_process(prepare, env, {"kind": "brainstorm", "groups": groups,
                                         "per_group": 0})
        srv = scratch.server(env, port)
        time.sleep(1)
        idle_kb = srv.rss_kb()
        fleet = scratch.fleet(srv.url, data["session_id"], n, cfg.workers)
        pin()
        specs = [{"index": i, "group": data["group_ids"][i % groups]} for i in range(n)]
        shares = [specs[w::len(fleet)] for w in range(len(fleet))]
        fleet.shares = shares
        start = time.monotonic() + 1.0
        cpu0, drops0 = srv.cpu(), listen_drops()
        joins = [j for r in fleet.send("join", per_worker=[{"phones": s} for s in shares],
                                       code=data["join_code"], start_at=start, timeout=600)
                 for j in r["joins"]]
        join_cpu = srv.cpu() - cpu0
        drops1 = listen_drops()
        live = [j for j in joins if "live" in j]
        join_errors = sorted({j["error"] for j in joins if "error" in j})
        row.update(joined=len(live), join_failed=n - len(live),
                   join_s=r1(max(j["live"] for j in live) - start) if live else None,
                   join_http_s=r1(max(j["joined"] for j in live) - start) if live else None,
                   join_p50_ms=r1(pct([(j["live"] - start) * 1000 for j in live], 50)),
                   join_cpu_ms_per_phone=r1(join_cpu * 1000 / max(1, len(live))),
                   join_listen_overflows=None if drops0 is None else drops1 - drops0)
        if join_errors:
            row["join_errors"] = join_errors[:5]
        fleet.send("watch", types=["card.created"], keep_ids=True)
        cookie = moderator_login(srv.url, data["email"], data["password"])
        moderator = Moderator(srv.url, data["session_id"], cookie)
        # Items acked before the storm: K phones post one idea each, delivered live.
        k = cfg.storm_items
        authors = [j["index"] for j in live[:k]]
        owner = {s["index"]: w for w, share in enumerate(shares) for s in share}
        schedule = [[] for _ in range(len(fleet))]
        now = time.monotonic()
        for m, index in enumerate(authors):
            schedule[owner[index]].append((now + m * 0.02, index, f"Идея до обрыва {m}"))
        posts = [p for r in fleet.send("post", per_worker=[{"schedule": s} for s in schedule],
                                       item_id=data["item_id"]) for p in r["posts"]]
        acked_ids = [p["id"] for p in posts if p.get("ok")]
        wait_delivered(fleet, len(live) * len(acked_ids), 10)
        # The network goes: every connection cut; the moderator posts while they are away.
        fleet.send("cut")
        time.sleep(1.0)
        for m in range(k):
            ack = moderator.call("post_card", {"client_id": str(uuid.uuid4()),
                                               "item_id": data["item_id"],
                                               "text": f"Идея во время обрыва {m}"})
            if ack and ack.get("ok"):
                acked_ids.append(ack["card"]["id"])
        row["acked_items"] = len(acked_ids)
        # The storm: all at once.
        cpu1 = srv.cpu()
        start = time.monotonic() + 0.5
        syncs = [s for r in fleet.send("reconnect", start_at=start, timeout=600)
                 for s in r["syncs"]]
        storm_cpu = srv.cpu() - cpu1
        drops2 = listen_drops()
        synced = [s for s in syncs if "synced" in s]
        storm_ms = [(s["synced"] - start) * 1000 for s in synced]
        row.update(reconnected=len(synced), reconnect_failed=len(syncs) - len(synced),
                   storm_s=r1(max(storm_ms) / 1000) if storm_ms else None,
                   synced_by_snapshot=sum(1 for s in synced if s["how"] == "snapshot"),
                   storm_retries=sum(s["attempts"] - 1 for s in synced),
                   storm_cpu_ms_per_phone=r1(storm_cpu * 1000 / max(1, len(synced))),
                   storm_listen_overflows=None if drops0 is None else drops2 - drops1)
        row.update(latency_fields(storm_ms))
        missing = fleet.send("missing", ids=acked_ids)
        row.update(memory([srv], idle_kb, len(synced)))
        _agg, _gagg, dup, ooo, _frame = fleet.report()
        moderator.close()
    finally:
        scratch.close()
    items_missing = sum(m["items_missing"] for m in missing)
    row.update(lost=items_missing + row["join_failed"] + row["reconnect_failed"],
               acked_items_missing=items_missing,
               phones_missing_items=sum(m["phones_missing"] for m in missing),
               duplicated=dup, out_of_order=ooo, cpu_us_per_delivery=None,
               latency_is="per-phone time from the storm's start to its sync ack")
    return row


def join_floor(cfg):
    """The anchor of S4: the same N joins at once, then the same storm, against
    bench/anchors/join_floor.py (the app's stack, Flask, Flask-WTF's CSRF, itsdangerous and
    Flask-SocketIO on eventlet, with nothing of the app): what a join and a reconnect cost any
    app on this stack before its own work."""
    scratch = Scratch(cfg.keep_logs)
    n = cfg.clients
    row = {"N": n, "mode": "eventlet, no app", "database": None}
    try:
        port = free_port()
        srv = scratch.server({"PORT": str(port), "SECRET_KEY": uuid.uuid4().hex}, port,
                             cmd=[cfg.python, str(BENCH / "anchors" / "join_floor.py")],
                             name="join-floor")
        time.sleep(1)
        fleet = scratch.fleet(srv.url, 1, n, cfg.workers)
        pin()
        specs = [{"index": i, "group": 1} for i in range(n)]
        shares = [specs[w::len(fleet)] for w in range(len(fleet))]
        start = time.monotonic() + 1.0
        cpu0 = srv.cpu()
        joins = [j for r in fleet.send("join", per_worker=[{"phones": s} for s in shares],
                                       code="FLOOR", start_at=start, timeout=600)
                 for j in r["joins"]]
        cpu = srv.cpu() - cpu0
        live = [j for j in joins if "live" in j]
        row.update(joined=len(live), join_failed=n - len(live),
                   join_s=r1(max(j["live"] for j in live) - start) if live else None,
                   join_http_s=r1(max(j["joined"] for j in live) - start) if live else None,
                   join_cpu_ms_per_phone=r1(cpu * 1000 / max(1, len(live))),
                   lost=n - len(live), duplicated=0, out_of_order=0,
                   cpu_us_per_delivery=None)
        errors = sorted({j["error"] for j in joins if "error" in j})
        if errors:
            row["join_errors"] = errors[:5]
        # And S4's storm: every connection cut, all reconnecting at once.
        fleet.send("cut")
        time.sleep(1.0)
        cpu1 = srv.cpu()
        start = time.monotonic() + 0.5
        syncs = [s for r in fleet.send("reconnect", start_at=start, timeout=600)
                 for s in r["syncs"]]
        storm_cpu = srv.cpu() - cpu1
        synced = [(s["synced"] - start) * 1000 for s in syncs if "synced" in s]
        row.update(reconnected=len(synced), storm_s=r1(max(synced) / 1000) if synced else None,
                   storm_cpu_ms_per_phone=r1(storm_cpu * 1000 / max(1, len(synced))),
                   lost=n - len(live) + len(syncs) - len(synced),
                   latency_is="per-phone time from the storm's start to its sync")
        row.update(latency_fields(synced))
    finally:
        scratch.close()
    return row


# -- the Node anchor's packages ---------------------------------------------------------------
def node_install():
    """`npm ci` into bench/anchors/node/node_modules when it is missing or older than the lock."""
    modules = NODE_DIR / "node_modules" / ".package-lock.json"
    lock = NODE_DIR / "package-lock.json"
    if modules.exists() and modules.stat().st_mtime >= lock.stat().st_mtime:
        return
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=NODE_DIR,
                   check=True)


def node_version():
    out = subprocess.run(["node", "-e", "process.stdout.write(JSON.stringify({node: "
                          "process.version, 'socket.io': require('socket.io/package.json')"
                          ".version}))"], cwd=NODE_DIR, capture_output=True, text=True)
    try:
        return json.loads(out.stdout)
    except ValueError:
        return {}


def redis_ready(cfg):
    host_port = cfg.redis_url.split("//", 1)[1].split("/", 1)[0]
    host, _, port = host_port.partition(":")
    return redis_available(host, int(port or 6379))
