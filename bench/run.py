"""Takt's benchmark (issue 8): the scenarios S1–S5 against the real server, beside the anchors,
with the goals marked met or missed. Prints a table and writes bench/results/<UTC time>.json.

    python bench/run.py                        # everything (`make bench`), about 15 minutes
    python bench/run.py --quick                # S1 (40 reveals) and the raw anchor, ~1 minute
    python bench/run.py --scenario S1,S4 --clients 200

Scenarios: S1 (one card every 400 ms to a 1,000-phone room, 100 times), S2 (40 groups × 25
phones, 20 posts/s for 60 s, stored; on SQLite and PostgreSQL: S2-sqlite, S2-postgresql),
S3 (post rate ramped until p99 > 250 ms), S4 (1,000 joins over HTTP, then all reconnect at
once), S5 (S1 over two processes and Redis, PostgreSQL). Anchors doing S1's fan-out to the
same phones: raw (a raw Python `websockets` broadcast server), node (socket.io on Node),
gevent (the app under SOCKETIO_ASYNC_MODE=gevent; S1 is the app under eventlet). Anchor of
S4: join-floor (the same joins and storm on the app's stack with nothing of the app).
"""
import argparse
import json
import os
import platform
import subprocess
import sys
import time
import traceback
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (BENCH, ROOT, load_average, postgres_available,  # noqa: E402
                    raise_open_files, two_cores)
import scenarios  # noqa: E402

ALL = ["S1", "S2", "S3", "S4", "S5", "raw", "node", "gevent", "join-floor"]
ORDER = ["S1", "S2-sqlite", "S2-postgresql", "S3", "S4", "S5", "raw", "node", "gevent",
         "join-floor"]
GOALS_TEXT = {
    "S1": "last-recipient p50 ≤ 60 ms, p99 ≤ 100 ms, ≤ 35 µs server CPU per delivery, "
          "≤ 4× the raw floor",
    "S2": "p99 ≤ 150 ms", "S3": "≥ 20,000 deliveries/s with p99 ≤ 250 ms",
    "S4": "joins ≤ 2 s, storm ≤ 3 s, 0 acked items lost", "S5": "adds ≤ 10 ms at p50 over S1",
    "all": "≤ 250 KB per connection (the app); 0 lost, duplicated or out of order everywhere",
}


def run_scenario(name, cfg):
    if name == "S1":
        return {"S1": scenarios.fanout(cfg, "app")}
    if name == "gevent":
        return {"gevent": scenarios.fanout(cfg, "gevent")}
    if name in ("raw", "node"):
        return {name: scenarios.fanout(cfg, name)}
    if name == "S2":
        out = {"S2-sqlite": scenarios.group_posts(cfg, "sqlite")}
        out["S2-postgresql"] = (scenarios.group_posts(cfg, "postgresql") if postgres_available()
                                else {"skipped": "no PostgreSQL at 127.0.0.1:5432"})
        return out
    if name == "S3":
        return {"S3": scenarios.ramp(cfg)}
    if name == "S4":
        return {"S4": scenarios.joins_and_storm(cfg)}
    if name == "join-floor":
        return {"join-floor": scenarios.join_floor(cfg)}
    if name == "S5":
        if not postgres_available():
            return {"S5": {"skipped": "no PostgreSQL at 127.0.0.1:5432"}}
        if not scenarios.redis_ready(cfg):
            return {"S5": {"skipped": f"no Redis at {cfg.redis_url}"}}
        return {"S5": scenarios.fanout(cfg, "redis")}
    raise SystemExit(f"unknown scenario {name!r}; choose from {', '.join(ALL)}")


# -- goals -----------------------------------------------------------------------------------
def check(results):
    """[(name, goal, figure, met)]: met is True, False, or None (no figure to judge)."""
    out = []

    def goal(name, text, value, ok):
        out.append((name, text, value, None if value is None else bool(ok)))

    def le(name, key, limit, label=None, unit=" ms"):
        row = results.get(name) or {}
        value = row.get(key)
        goal(name, f"{label or key} ≤ {limit:g}{unit}", value,
             value is not None and value <= limit)

    floor = (results.get("raw") or {}).get("cpu_us_per_delivery")
    for name in ORDER:
        row = results.get(name)
        if not row or "skipped" in row or "error" in row:
            if row:
                goal(name, "ran", None, None)
            continue
        if name == "S1":
            le(name, "p50_ms", 60, "last-recipient p50")
            le(name, "p99_ms", 100, "last-recipient p99")
            le(name, "cpu_us_per_delivery", 35, "server CPU per delivery", " µs")
            if floor:
                ratio = round(row["cpu_us_per_delivery"] / floor, 1)
                goal(name, "CPU per delivery ≤ 4× the raw floor", f"{ratio}×", ratio <= 4)
        elif name.startswith("S2"):
            le(name, "p99_ms", 150, "last-recipient p99")
        elif name == "S3":
            value = row.get("deliveries_per_s_at_limit")
            goal(name, f"deliveries/s with p99 ≤ {row['limit_p99_ms']} ms ≥ 20,000", value,
                 value is not None and value >= 20000)
        elif name == "S4":
            le(name, "join_s", 2, f"{row['N']} joins", " s")
            le(name, "storm_s", 3, "reconnect storm until all synced", " s")
            goal(name, "acked items lost = 0", row.get("acked_items_missing"),
                 row.get("acked_items_missing") == 0)
        elif name == "S5":
            s1 = (results.get("S1") or {}).get("p50_ms")
            if s1 is not None and row.get("p50_ms") is not None:
                added = round(row["p50_ms"] - s1, 1)
                goal(name, "adds ≤ 10 ms at p50 over S1", f"{added:+} ms", added <= 10)
            else:
                goal(name, "adds ≤ 10 ms at p50 over S1", None, None)
        if (name not in ("raw", "node", "join-floor")
                and row.get("mem_kb_per_conn") is not None):
            le(name, "mem_kb_per_conn", 250, "memory per connection", " KB")
        bad = {k: row.get(k) for k in ("lost", "duplicated", "out_of_order")}
        goal(name, "0 lost, duplicated, out of order",
             "/".join(str(v) for v in bad.values()), all(v == 0 for v in bad.values()))
    return out


# -- output ----------------------------------------------------------------------------------
COLUMNS = [("name", 13), ("mode", 22), ("db", 10), ("N", 5), ("deliveries", 10), ("p50", 7),
           ("p99", 7), ("max", 7), ("lost", 5), ("dup", 4), ("ooo", 4), ("µs/dlv", 7),
           ("KB/conn", 7), ("", 0)]


def note(name, row):
    if name == "S3":
        broke = row.get("broke_at_deliveries_per_s")
        return (f"{row.get('deliveries_per_s_at_limit'):.0f} dlv/s at p99 ≤ "
                f"{row.get('limit_p99_ms'):.0f} ms; "
                + (f"broke at {broke:.0f}" if broke else "never broke within the ramp"))
    if name == "S4":
        return (f"joins {row.get('join_s')} s, storm {row.get('storm_s')} s "
                f"(latency = per-phone resync), acked items missing {row.get('acked_items_missing')}")
    if name == "join-floor":
        return (f"S4 on the bare stack: joins {row.get('join_s')} s "
                f"({row.get('join_cpu_ms_per_phone')} ms CPU each), storm {row.get('storm_s')} s "
                f"({row.get('storm_cpu_ms_per_phone')} ms each)")
    if name.startswith("S2"):
        return f"ack p99 {row.get('ack_p99_ms')} ms, {row.get('acked')}/{row.get('posts')} posts acked"
    if name == "S5":
        return f"{row.get('processes')} processes on core 0, Redis"
    if row.get("connected") is not None and row.get("connected") != row.get("N"):
        return f"only {row['connected']} connected"
    return ""


def table(results):
    lines = [" ".join(f"{h:>{w}}" if w else h for h, w in COLUMNS)]
    for name in ORDER:
        row = results.get(name)
        if row is None:
            continue
        if "skipped" in row or "error" in row:
            lines.append(f"{name:>13} {'skipped: ' + row['skipped'] if 'skipped' in row else 'ERROR: ' + row['error']}")
            continue
        cells = [name, row.get("mode"), row.get("database") or "-", row.get("N"),
                 row.get("deliveries"), row.get("p50_ms"), row.get("p99_ms"), row.get("max_ms"),
                 row.get("lost"), row.get("duplicated"), row.get("out_of_order"),
                 row.get("cpu_us_per_delivery"), row.get("mem_kb_per_conn"), note(name, row)]
        lines.append(" ".join(f"{'-' if c is None else c!s:>{w}}" if w else str(c)
                              for c, (_h, w) in zip(cells, COLUMNS)))
    return "\n".join(lines)


def machine():
    def git(*args):
        try:
            return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True,
                                  timeout=10).stdout.strip()
        except (OSError, subprocess.TimeoutExpired):
            return None
    model = None
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpus": os.cpu_count(), "cpu_model": model, "pinned": two_cores(),
            "python": platform.python_version(), "platform": platform.platform(),
            "commit": git("rev-parse", "--short", "HEAD"),
            "tree_dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
            "load_average_before": load_average()}


def parse(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario", default=",".join(ALL),
                        help=f"comma-separated, of {','.join(ALL)} (default: all)")
    parser.add_argument("--quick", action="store_true",
                        help="one minute: S1 with 40 reveals and the raw anchor")
    parser.add_argument("--clients", type=int, default=1000, help="phones (default 1000)")
    parser.add_argument("--reveals", type=int, default=100)
    parser.add_argument("--interval", type=float, default=0.4, help="seconds between reveals")
    parser.add_argument("--groups", type=int, help="S2 groups (default clients / 25)")
    parser.add_argument("--post-rate", type=float,
                        help="S2 posts/s (default 20 at 1,000 phones, in proportion below)")
    parser.add_argument("--post-window", type=float, default=60.0, help="S2 seconds")
    parser.add_argument("--ramp", default="2,5,10,15,20,25,30,40,50,60",
                        help="S3 posts/s steps (each to every phone)")
    parser.add_argument("--step-s", type=float, default=10.0, help="S3 seconds per step")
    parser.add_argument("--ramp-limit-ms", type=float, default=250.0)
    parser.add_argument("--storm-items", type=int, default=20,
                        help="S4 items acked before the storm, and again while cut")
    parser.add_argument("--redis-url", default=os.environ.get("TAKT_BENCH_REDIS",
                                                              "redis://127.0.0.1:6379/13"))
    parser.add_argument("--workers", type=int, default=4, help="load-generator processes")
    parser.add_argument("--drain", type=float, default=5.0,
                        help="seconds to wait at most for stragglers")
    parser.add_argument("--json", help="results file (default bench/results/<UTC time>.json)")
    parser.add_argument("--no-json", action="store_true")
    parser.add_argument("--keep-logs", action="store_true", help="keep servers' logs")
    cfg = parser.parse_args(argv)
    if cfg.quick:
        cfg.scenario, cfg.reveals = "S1,raw", min(cfg.reveals, 40)
    cfg.python = sys.executable
    cfg.per_group = 25
    cfg.groups = cfg.groups or max(1, cfg.clients // cfg.per_group)
    cfg.post_rate = cfg.post_rate or max(1.0, 20.0 * cfg.groups * cfg.per_group / 1000)
    cfg.ramp_rates = [float(x) for x in cfg.ramp.split(",")]
    names = [s.strip() for s in cfg.scenario.split(",") if s.strip()]
    names = [x for s in names for x in (["raw", "node", "gevent"] if s == "anchors" else [s])]
    cfg.names = sorted(dict.fromkeys(names), key=lambda s: (ALL + [s]).index(s))
    return cfg


def main(argv=None):
    cfg = parse(argv)
    raise_open_files(cfg.clients + 1024)  # servers and anchors started from here inherit it
    started = datetime.now(timezone.utc)
    print(f"Takt bench {started:%Y-%m-%d %H:%M:%S} UTC: {', '.join(cfg.names)}; "
          f"{cfg.clients} phones; server on core 0, load on core 1"
          + ("" if two_cores() else " (one core: nothing pinned)"), flush=True)
    info = machine()
    results = {}
    for name in cfg.names:
        t0 = time.monotonic()
        print(f"  {name} …", flush=True)
        try:
            out = run_scenario(name, cfg)
        except Exception as exc:  # noqa: BLE001 — reported, the others still run
            traceback.print_exc()
            out = {name: {"error": repr(exc)[:300]}}
        for key, row in out.items():
            row["seconds"] = round(time.monotonic() - t0)
            results[key] = row
        print(table({k: v for k, v in out.items()}).split("\n", 1)[-1], flush=True)
    info["load_average_after"] = load_average()
    goals = check(results)
    print()
    print(table(results))
    print("\nlatency: trigger sent → event at the last phone; µs/dlv: server CPU per delivery; "
          "KB/conn: server RSS added per connection")
    print("\nGoals (issue 8):")
    for name, text, value, met in goals:
        mark = {True: "met", False: "MISSED", None: "no figure"}[met]
        print(f"  {name:>13}  {text:<48} {'-' if value is None else value!s:>10}  {mark}")
    document = {"started_utc": started.isoformat(timespec="seconds"),
                "finished_utc": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "quick": cfg.quick, "machine": info,
                "settings": {k: getattr(cfg, k) for k in (
                    "clients", "reveals", "interval", "groups", "per_group", "post_rate",
                    "post_window", "ramp_rates", "step_s", "ramp_limit_ms", "storm_items",
                    "workers", "redis_url")},
                "goals_text": GOALS_TEXT,
                "goals": [{"scenario": n, "goal": t, "value": v, "met": m}
                          for n, t, v, m in goals],
                "results": results}
    if not cfg.no_json:
        path = Path(cfg.json) if cfg.json else (
            BENCH / "results" / f"{started:%Y-%m-%dT%H%M%SZ}.json")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n")
        print(f"\nwritten {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
