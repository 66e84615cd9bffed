"""Fan-out benchmark: N phones in one session; the moderator reveals one card every 400 ms.

This is S1 of `bench/run.py` (scenarios.fanout) with the old command line kept: N = 200 and
1,000 by default, eventlet or gevent. For each reveal it measures when the last phone got it
(last-recipient latency), and counts lost, duplicated and out-of-order deliveries.

    python bench/fanout.py                     # N = 200 and 1,000, 100 reveals each
    python bench/fanout.py --clients 50 --reveals 20 --json out.json
"""
import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import scenarios  # noqa: E402

GOALS = {"p50_ms": 60, "p99_ms": 100}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", default="200,1000")
    parser.add_argument("--reveals", type=int, default=100)
    parser.add_argument("--interval", type=float, default=0.4)
    parser.add_argument("--mode", choices=["eventlet", "gevent"], default="eventlet")
    parser.add_argument("--workers", type=int, default=4, help="load-generator processes, at most")
    parser.add_argument("--drain", type=float, default=5.0, help="seconds to wait for stragglers")
    parser.add_argument("--keep-logs", action="store_true")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    args.python = sys.executable
    rows = []
    for n in args.clients.split(","):
        cfg = argparse.Namespace(**{**vars(args), "clients": int(n)})
        rows.append(scenarios.fanout(cfg, "gevent" if args.mode == "gevent" else "app"))
    head = ("N", "connected", "mode", "p50_ms", "p99_ms", "max_ms", "first_p50_ms", "lost",
            "duplicated", "out_of_order", "cpu_us_per_delivery", "mem_kb_per_conn", "connect_s")
    print(" ".join(f"{h:>12}" for h in head))
    for row in rows:
        print(" ".join(f"{row.get(h)!s:>12}" for h in head))
    for row in rows:
        ok = (row["p50_ms"] <= GOALS["p50_ms"] and row["p99_ms"] <= GOALS["p99_ms"]
              and row["lost"] == 0 and row["duplicated"] == 0 and row["out_of_order"] == 0)
        print(f"N={row['N']}: goal p50 ≤ {GOALS['p50_ms']} ms, p99 ≤ {GOALS['p99_ms']} ms, "
              f"0 lost, duplicated, out of order: {'met' if ok else 'MISSED'}")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
