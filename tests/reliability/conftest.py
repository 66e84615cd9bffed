"""The reliability and security suite (issue 7): each test measures something against the real
server and records a figure with its goal. `make reliability` runs the full sizes
(TAKT_RELIABILITY=full) and exits non-zero when a goal is missed; `make test` runs the short
sizes. The figures are printed one line per test at the end of the run and written to
test-artifacts/reliability.json (docs/RELIABILITY.md holds the last full run)."""
import json
import os
from pathlib import Path

import pytest

FULL = os.environ.get("TAKT_RELIABILITY") == "full"
ROOT = Path(__file__).resolve().parents[2]
KEY = "reliability_figure"  # in each test report's user properties, which pytest-xdist's
#                             workers send back to the process that prints the summary


def size(short, full):
    """A test's size: the short one in `make test`, the full one in `make reliability`."""
    return full if FULL else short


@pytest.fixture
def figure(request):
    """figure(name, value, goal, ok): record one measured figure of this test.

    `ok` is whether the goal was met; a missed goal also fails the test."""
    def record(name, value, goal, ok):
        request.node.user_properties.append((KEY, {
            "test": request.node.nodeid, "name": name, "value": value, "goal": goal,
            "ok": bool(ok), "full": FULL}))
        assert ok, f"{name}: {value} (goal: {goal})"
    return record


def summary(terminalreporter):
    """Print every figure with its goal and write them to test-artifacts/reliability.json; called
    from the root conftest's pytest_terminal_summary (see there)."""
    figures = [value for reports in terminalreporter.stats.values() for report in reports
               if getattr(report, "when", None) == "call"
               for key, value in getattr(report, "user_properties", ()) if key == KEY]
    if not figures:
        return
    figures.sort(key=lambda f: f["test"])
    terminalreporter.section(f"reliability figures ({'full' if FULL else 'short'} sizes)")
    for f in figures:
        mark = "ok    " if f["ok"] else "MISSED"
        terminalreporter.write_line(f"{mark} {f['name']}: {f['value']}  (goal: {f['goal']})")
    out = ROOT / "test-artifacts"
    out.mkdir(exist_ok=True)
    (out / "reliability.json").write_text(json.dumps(figures, ensure_ascii=False, indent=2))
