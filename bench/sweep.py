"""Latency against participants: S1 of `bench/run.py` (one card every 400 ms to an N-phone
room) at several room sizes, optionally beside the raw and Node socket.io anchors at the same
sizes; writes bench/results/sweep-<UTC time>.json and plots it (docs/performance-latency.png).

    python bench/sweep.py                              # N = 100 … 2,000, 50 reveals, ~5 min
    python bench/sweep.py --anchors                    # and raw + node at each size, ~10 min
    python bench/sweep.py --sizes 50,100 --reveals 10 --png /tmp/sweep.png   # a quick look
    python bench/sweep.py --from-json bench/results/sweep-<time>.json        # re-plot only

Each point is `scenarios.fanout`, the very code of S1 and the anchors in `run.py`: a fresh
server (core 0) and database per point, N lean phones (core 1), the moderator revealing one
card every `--interval` s; latency is to the last phone of each reveal. The sizes run
smallest first, and at each size the app, then the anchors (so slow drift of the machine
touches every series alike).
"""
import argparse
import json
import sys
import time
import traceback
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BENCH, ROOT, load_average, raise_open_files, two_cores  # noqa: E402

DEFAULT_SIZES = "100,250,500,1000,1500,2000"
DEFAULT_PNG = ROOT / "docs" / "performance-latency.png"
ANCHORS = ("raw", "node")
# Issue 8's goals for S1 (drawn on the plot).
GOALS = {"p50_ms": 60, "p99_ms": 100, "cpu_us_per_delivery": 35, "mem_kb_per_conn": 250}
FIELDS = ("p50_ms", "p99_ms", "max_ms", "first_p50_ms", "lost", "duplicated", "out_of_order",
          "cpu_us_per_delivery", "load_cpu_us_per_delivery", "mem_kb_per_conn", "connect_s")


def parse(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES,
                        help=f"participants per point, comma-separated (default {DEFAULT_SIZES})")
    parser.add_argument("--reveals", type=int, default=50, help="reveals per point (default 50)")
    parser.add_argument("--interval", type=float, default=0.4, help="seconds between reveals")
    parser.add_argument("--mode", choices=["eventlet", "gevent"], default="eventlet",
                        help="the app's async mode (default eventlet)")
    parser.add_argument("--anchors", nargs="?", const="raw,node", default="",
                        help="also run the anchors at each size: raw, node or both "
                             "(`--anchors` alone: both)")
    parser.add_argument("--workers", type=int, default=4,
                        help="load-generator processes, at most (250 phones each until all "
                             "are used)")
    parser.add_argument("--drain", type=float, default=5.0,
                        help="seconds to wait at most for stragglers")
    parser.add_argument("--keep-logs", action="store_true", help="keep servers' logs")
    parser.add_argument("--json", help="results file (default bench/results/sweep-<UTC>.json)")
    parser.add_argument("--png", default=str(DEFAULT_PNG),
                        help="the plot (default docs/performance-latency.png)")
    parser.add_argument("--no-png", action="store_true", help="write the JSON only")
    parser.add_argument("--from-json", metavar="FILE",
                        help="re-plot an existing sweep (nothing is run)")
    cfg = parser.parse_args(argv)
    try:
        cfg.sizes = sorted({int(x) for x in cfg.sizes.split(",") if x.strip()})
    except ValueError:
        parser.error("--sizes takes whole numbers, e.g. 100,250,500")
    if not cfg.sizes or cfg.sizes[0] < 1:
        parser.error("--sizes needs at least one size of 1 or more")
    cfg.anchor_names = [a.strip() for a in cfg.anchors.split(",") if a.strip()]
    unknown = set(cfg.anchor_names) - set(ANCHORS)
    if unknown:
        parser.error(f"--anchors takes {', '.join(ANCHORS)}, not {', '.join(sorted(unknown))}")
    cfg.python = sys.executable
    return cfg


# -- running ---------------------------------------------------------------------------------
def run_point(cfg, variant, n):
    """One point: scenarios.fanout (S1's own code) at n phones; a dict, `error` if it failed."""
    import scenarios
    point = argparse.Namespace(**{**vars(cfg), "clients": n})
    t0 = time.monotonic()
    try:
        row = scenarios.fanout(point, variant)
    except Exception as exc:  # noqa: BLE001 — reported, the sweep goes on
        traceback.print_exc()
        row = {"N": n, "variant": variant, "error": repr(exc)[:300]}
    row["series"] = "app" if variant in ("app", "gevent") else variant
    row["seconds"] = round(time.monotonic() - t0)
    return row


def line(row):
    if "error" in row:
        return f"{row['series']:>5} N={row['N']:>5}  ERROR: {row['error']}"
    bad = "/".join(str(row.get(k)) for k in ("lost", "duplicated", "out_of_order"))
    conn = "" if row.get("connected") == row["N"] else f"  only {row.get('connected')} connected"
    return (f"{row['series']:>5} N={row['N']:>5}  p50 {row.get('p50_ms')!s:>6} ms  "
            f"p99 {row.get('p99_ms')!s:>6} ms  max {row.get('max_ms')!s:>6} ms  "
            f"lost/dup/ooo {bad:>7}  {row.get('cpu_us_per_delivery')!s:>5} µs/dlv  "
            f"{row.get('mem_kb_per_conn')!s:>5} KB/conn  ({row['seconds']} s){conn}")


def sweep(cfg):
    import run  # the machine's description, as run.py records it
    started = datetime.now(timezone.utc)
    variants = ["gevent" if cfg.mode == "gevent" else "app", *cfg.anchor_names]
    # Every phone holds a socket: lift the limit here, so that the servers and the
    # load-generator processes started from here inherit it (wsgi.py raises its own too).
    limit = raise_open_files(max(cfg.sizes) + 1024)
    print(f"Takt sweep {started:%Y-%m-%d %H:%M:%S} UTC: S1 at N = "
          f"{', '.join(map(str, cfg.sizes))}, {cfg.reveals} reveals every {cfg.interval} s, "
          f"{cfg.mode}" + (f"; anchors {', '.join(cfg.anchor_names)}" if cfg.anchor_names else "")
          + ("" if two_cores() else "; one core: nothing pinned")
          + f"; open files {limit}", flush=True)
    path = Path(cfg.json) if cfg.json else (
        BENCH / "results" / f"sweep-{started:%Y-%m-%dT%H%M%SZ}.json")
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {"kind": "sweep", "scenario": "S1",
                "started_utc": started.isoformat(timespec="seconds"),
                "machine": run.machine(),
                "settings": {"sizes": cfg.sizes, "reveals": cfg.reveals,
                             "interval": cfg.interval, "mode": cfg.mode,
                             "anchors": cfg.anchor_names, "workers": cfg.workers,
                             "drain": cfg.drain, "open_files": limit},
                "goals": GOALS, "points": []}
    for n in cfg.sizes:
        for variant in variants:
            row = run_point(cfg, variant, n)
            document["points"].append(row)
            print("  " + line(row), flush=True)
            document["machine"]["load_average_after"] = load_average()
            document["finished_utc"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
            save(path, document)  # after every point: an interrupted sweep keeps what it ran
    minutes = (datetime.now(timezone.utc) - started).total_seconds() / 60
    print(f"written {shown(path)} in {minutes:.1f} min")
    return document


def save(path, document):
    path.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n")


def shown(path):
    path = Path(path).resolve()
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


# -- plotting --------------------------------------------------------------------------------
COLORS = {"app": "#1f5fa8", "raw": "#6b6b6b", "node": "#2e8b3e"}


def label_of(series, rows):
    mode = next((r.get("mode") for r in rows if r.get("mode")), None)
    if series == "app":
        return f"Takt ({mode or 'eventlet'}, SQLite, 1 process)"
    if series == "raw":
        return "raw websockets broadcast (the floor)"
    if series == "node":
        return (mode or "node/socket.io").replace("node/socket.io", "Node socket.io")
    return series


def plot(document, png):
    """Two rows: last-recipient p50 and p99 against participants with the goal lines; below,
    server CPU µs per delivery and KB per connection against participants, side by side."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    points = [p for p in document["points"] if "error" not in p and p.get("p50_ms") is not None]
    if not points:
        raise SystemExit("nothing to plot: no point of the sweep has figures")
    order = [s for s in ("app", "raw", "node") if any(p["series"] == s for p in points)]
    order += sorted({p["series"] for p in points} - set(order))
    by_series = {s: sorted((p for p in points if p["series"] == s), key=lambda p: p["N"])
                 for s in order}
    goals = {**GOALS, **(document.get("goals") or {})}
    sizes = sorted({p["N"] for p in points})

    fig = plt.figure(figsize=(10, 9.5))
    grid = fig.add_gridspec(2, 2, height_ratios=[3, 2], hspace=0.32, wspace=0.25)
    lat = fig.add_subplot(grid[0, :])
    cpu = fig.add_subplot(grid[1, 0])
    mem = fig.add_subplot(grid[1, 1])

    def goal_line(ax, value, text, color):
        ax.axhline(value, color=color, ls=":", lw=1.5, zorder=1)
        ax.annotate(text, (0.995, value), xycoords=("axes fraction", "data"),
                    textcoords="offset points", xytext=(-2, 3), fontsize=9, color=color,
                    ha="right", zorder=4,
                    bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.85})

    def x_axis(ax, label=True):
        ax.set_xlim(0, max(sizes) * 1.05)
        ax.set_xticks(sizes)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: f"{x:,.0f}"))
        gaps = [b - a for a, b in zip(sizes, sizes[1:])]
        if gaps and min(gaps) < max(sizes) / (20 if ax is lat else 6):  # labels would touch
            plt.setp(ax.get_xticklabels(), rotation=45, ha="right", rotation_mode="anchor")
        if label:
            ax.set_xlabel("participants (phones in one session)")
        ax.grid(True, alpha=0.3)

    top = 0
    for s, rows in by_series.items():
        xs, color, name = [r["N"] for r in rows], COLORS.get(s), label_of(s, rows)
        lat.plot(xs, [r["p50_ms"] for r in rows], "-o", color=color, lw=2, ms=5,
                 label=f"{name}: p50", zorder=3)
        lat.plot(xs, [r["p99_ms"] for r in rows], "--s", color=color, lw=1.6, ms=5,
                 label=f"{name}: p99", zorder=3)
        top = max(top, *(r["p99_ms"] or 0 for r in rows))
        for r in rows:  # a point that lost, duplicated or reordered anything says so
            bad = [f"{r[k]} {k.replace('_', ' ')}" for k in ("lost", "duplicated", "out_of_order")
                   if r.get(k)]
            if r.get("connected") is not None and r["connected"] != r["N"]:
                bad.insert(0, f"only {r['connected']} connected")
            if bad:
                lat.annotate(", ".join(bad), (r["N"], r["p99_ms"]), textcoords="offset points",
                             xytext=(4, 6), fontsize=8, color="#b00020")
        for ax, key in ((cpu, "cpu_us_per_delivery"), (mem, "mem_kb_per_conn")):
            got = [(r["N"], r[key]) for r in rows if r.get(key) is not None]
            if got:
                ax.plot(*zip(*got), "-o", color=color, lw=2, ms=5, label=name.split(" (")[0],
                        zorder=3)
    goal_line(lat, goals["p50_ms"], f"goal: p50 ≤ {goals['p50_ms']:g} ms", "#e08a00")
    goal_line(lat, goals["p99_ms"], f"goal: p99 ≤ {goals['p99_ms']:g} ms", "#c62828")
    lat.set_ylim(0, max(top, goals["p99_ms"]) * 1.15)
    lat.set_ylabel("last-recipient latency, ms")
    lat.set_title("Latency from the reveal to the last phone (p50 solid, p99 dashed)",
                  fontsize=11, loc="left")
    lat.legend(fontsize=8.5, loc="upper left", framealpha=0.92)
    x_axis(lat)

    goal_line(cpu, goals["cpu_us_per_delivery"],
              f"goal ≤ {goals['cpu_us_per_delivery']:g} µs", "#c62828")
    cpu.set_ylim(0, max([goals["cpu_us_per_delivery"]] + [r.get("cpu_us_per_delivery") or 0
                                                          for r in points]) * 1.2)
    cpu.set_ylabel("µs of server CPU")
    cpu.set_title("Server CPU per delivery", fontsize=11, loc="left")
    x_axis(cpu)
    goal_line(mem, goals["mem_kb_per_conn"], f"goal ≤ {goals['mem_kb_per_conn']:g} KB",
              "#c62828")
    mem.set_ylim(0, max([goals["mem_kb_per_conn"]] + [r.get("mem_kb_per_conn") or 0
                                                      for r in points]) * 1.2)
    mem.set_ylabel("KB of server memory (RSS)")
    mem.set_title("Server memory per connection", fontsize=11, loc="left")
    x_axis(mem)
    if len(by_series) > 1:
        cpu.legend(fontsize=8, loc="best", framealpha=0.92)

    settings, machine = document.get("settings", {}), document.get("machine", {})
    when = (document.get("started_utc") or "")[:16].replace("T", " ")
    fig.suptitle("Takt, S1: one card every {:g} ms to every phone in one session".format(
        settings.get("interval", 0.4) * 1000), fontsize=13, x=0.06, ha="left", y=0.985)
    load = [machine.get("load_average_before"), machine.get("load_average_after")]
    foot = [(f"{when} UTC · {settings.get('reveals')} reveals per point, one fresh server and "
             f"database per point · server pinned to core 0, phones and moderator on core 1"),
            f"{machine.get('cpu_model') or '?'}, {machine.get('cpus')} CPUs · commit "
            f"{machine.get('commit') or '?'}{' + changes' if machine.get('tree_dirty') else ''}"
            + (" · load average {} → {}".format(*(f"{x[0]:.2f}" if x else "?" for x in load))
               if any(load) else "")]
    fig.text(0.06, 0.012, "\n".join(foot), fontsize=7.5, color="#555555", va="bottom")
    fig.subplots_adjust(left=0.08, right=0.97, top=0.925, bottom=0.12)
    png = Path(png)
    png.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(png, dpi=120)
    plt.close(fig)
    print(f"plotted {shown(png)}")
    return png


def table(document):
    head = ("series", "N", "p50_ms", "p99_ms", "max_ms", "lost", "duplicated", "out_of_order",
            "cpu_us_per_delivery", "mem_kb_per_conn")
    lines = ["  ".join(f"{h:>8}" if i < 2 else h for i, h in enumerate(head))]
    for p in document["points"]:
        if "error" in p:
            lines.append(f"{p['series']:>8}  {p['N']:>8}  ERROR: {p['error']}")
            continue
        lines.append("  ".join(f"{p.get(h)!s:>{8 if i < 2 else len(h)}}"
                               for i, h in enumerate(head)))
    return "\n".join(lines)


def main(argv=None):
    cfg = parse(argv)
    if cfg.from_json:
        document = json.loads(Path(cfg.from_json).read_text())
        if document.get("kind") != "sweep":
            raise SystemExit(f"{cfg.from_json} is not a sweep (written by bench/sweep.py)")
    else:
        document = sweep(cfg)
    print()
    print(table(document))
    if not cfg.no_png:
        plot(document, cfg.png)
    return 0


if __name__ == "__main__":
    sys.exit(main())
