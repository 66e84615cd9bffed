"""The design's promise ("adding a new kind touches that module and the registry", issue 10
item 6): a tact kind is its module, services, models, scripts, styles and templates, plus its
entry in the registry (facilitation/tacts/__init__.py).

For each kind below, its name, the names of its own modules (Python, JS, CSS) and the classes and
tables of its models appear in no file of facilitation/, static/ and templates/ other than the
files listed here for it. The generic hosts (phone_tacts.js, board_tacts.js, projector.js,
moderator.js, store.js, services/sync.py, realtime/events.py, the exports, the import, cli.py,
views/strings.py, ...) reach a kind only through its hooks (tacts/base.py) and the scripts its
`views` name (static/js/tacts/kind_views.js).
"""
import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("facilitation", "static", "templates")
SUFFIXES = {".py", ".js", ".css", ".html", ".yaml", ".yml", ".json", ".txt", ".md"}

# Allowed everywhere: the translations (every msgid of every kind lives there) and the registry.
COMMON = ("facilitation/translations/", "facilitation/tacts/__init__.py")
# The models package lists every table, so that the metadata (Alembic, db.create_all, the program
# builder's walk over the tables) does not hang on which module happened to be imported first: a
# kind's model module may be registered there, on its import line and in __all__ only.
MODELS_INIT = "facilitation/models/__init__.py"

TRUST = {
    "name": "trust_round",
    "pattern": r"trust_?round",
    "own": ["facilitation/tacts/trust_round.py", "facilitation/services/trust.py",
            "facilitation/models/trust.py", "static/js/tacts/trust_common.js",
            "static/js/tacts/trust_console.js", "static/js/tacts/trust_phone.js",
            "static/js/tacts/trust_projector.js", "static/css/tacts/trust_round.css"],
    "templates": ["facilitation/templates_lib/round_table.yaml",
                  "facilitation/templates_lib/demo_round_table.yaml"],
    "also": [],
}
# The support workshop's two kinds share their models, the services both call, a script and a
# style sheet: checked as one more unit, allowed in both kinds' files.
SUPPORT_TEMPLATES = ["facilitation/templates_lib/support_workshop.yaml",
                     "facilitation/templates_lib/demo_support_workshop.yaml"]
STAGES_OWN = ["facilitation/tacts/stages.py", "facilitation/tacts/stages.yaml",
              "static/js/tacts/stages.js"]
IKIGAI_OWN = ["facilitation/tacts/ikigai.py", "facilitation/services/ikigai.py",
              "static/js/tacts/ikigai.js"]
SUPPORT_SHARED = ["facilitation/models/support.py", "facilitation/services/support.py",
                  "static/js/tacts/support_common.js", "static/css/tacts/support.css"]
STAGES = {"name": "stages", "pattern": r"stages", "own": STAGES_OWN,
          "templates": SUPPORT_TEMPLATES, "also": SUPPORT_SHARED}
# The stage diagnosis carries the ikigai focus forward (it shows it beside the initiative): a kind
# built on another may read it.
IKIGAI = {"name": "ikigai", "pattern": r"ikigai", "own": IKIGAI_OWN,
          "templates": SUPPORT_TEMPLATES, "also": SUPPORT_SHARED + STAGES_OWN}
SUPPORT = {"name": "the support workshop's shared modules", "pattern": None,
           "own": SUPPORT_SHARED, "templates": SUPPORT_TEMPLATES,
           "also": IKIGAI_OWN + STAGES_OWN}
KINDS = {k["name"]: k for k in (TRUST, IKIGAI, STAGES, SUPPORT)}
REGISTERED = ("trust_round", "ikigai", "stages")


def _scanned_files():
    for top in SCANNED:
        for path in sorted((ROOT / top).rglob("*")):
            if path.is_file() and path.suffix in SUFFIXES and "__pycache__" not in path.parts:
                yield path.relative_to(ROOT).as_posix(), path


def _model_names(files):
    """The classes the kind's Python files define and the tables of its models."""
    names = set()
    for rel in files:
        if not rel.endswith(".py"):
            continue
        tree = ast.parse((ROOT / rel).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and (rel.startswith("facilitation/models/")
                                                   or node.name.endswith("Kind")):
                names.add(node.name)
            if (isinstance(node, ast.Assign) and len(node.targets) == 1
                    and getattr(node.targets[0], "id", None) == "__tablename__"
                    and isinstance(node.value, ast.Constant)):
                names.add(node.value.value)
    return names


def _patterns(kind):
    """What betrays a kind in another file: its name (in any case, inside other words too:
    `ikigaiAck`, `StagesKind`), the file names of its modules, its model classes and tables.
    Python imports of its modules are checked apart (_imported_names)."""
    stems = sorted({Path(f).stem for f in kind["own"]})
    words = [re.compile(kind["pattern"], re.I)] if kind["pattern"] else []
    words.append(re.compile(rf"\b(?:{'|'.join(map(re.escape, stems))})\.(?:py|js|css|yaml)\b"))
    for name in sorted(_model_names(kind["own"])):
        words.append(re.compile(rf"\b{re.escape(name)}\b"))
    return stems, words


def _imported_names(text):
    """Module and names a Python file imports from the project (`from ..services import trust`
    gives `trust`); other packages' modules (`from babel import support`) are not kinds."""
    names = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.ImportFrom):
            if node.level == 0 and not (node.module or "").startswith("facilitation"):
                continue
            names.update((node.module or "").split("."))
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("facilitation"):
                    names.update(a.name.split("."))
    return names


def _registration_lines(text, stems):
    """The lines of models/__init__.py that register a kind's model module: its import from one
    of `stems` and the __all__ list."""
    lines = set()
    for node in ast.parse(text).body:
        is_import = isinstance(node, ast.ImportFrom) and node.level == 1 and node.module in stems
        is_all = isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__all__"
                                                      for t in node.targets)
        if is_import or is_all:
            lines.update(range(node.lineno, node.end_lineno + 1))
    return lines


@pytest.mark.parametrize("name", sorted(KINDS))
def test_the_listed_files_exist(name):
    kind = KINDS[name]
    for rel in kind["own"] + kind["templates"] + kind["also"] + [MODELS_INIT, *COMMON]:
        assert (ROOT / rel).exists(), f"{rel} is listed for {name} but does not exist"


def test_the_kinds_are_registered():
    from facilitation.tacts import KINDS as REGISTRY
    assert set(REGISTERED) <= set(REGISTRY)


@pytest.mark.parametrize("name", sorted(KINDS))
def test_a_kind_is_named_only_in_its_own_files_and_the_registry(name):
    kind = KINDS[name]
    allowed = set(kind["own"] + kind["templates"] + kind["also"])
    stems, patterns = _patterns(kind)
    models = {Path(f).stem for f in allowed if f.startswith("facilitation/models/")}
    found = []
    for rel, path in _scanned_files():
        if rel in allowed or rel.startswith(COMMON):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        skip = _registration_lines(text, models) if rel == MODELS_INIT else set()
        for n, line in enumerate(text.splitlines(), start=1):
            if n in skip:
                continue
            for pattern in patterns:
                m = pattern.search(line)
                if m:
                    found.append(f"{rel}:{n}: {m.group(0)!r} in {line.strip()[:100]}")
                    break
        if rel.endswith(".py") and rel != MODELS_INIT:
            clash = _imported_names(text) & set(stems)
            if clash:
                found.append(f"{rel}: imports the kind's module {sorted(clash)}")
    assert not found, f"the kind {name!r} leaks into generic files:\n" + "\n".join(found)


def test_the_check_finds_what_it_should():
    """The patterns catch a hard-wired import, a kind list, a module, a model and a table; they
    leave plain words alone."""
    _stems, patterns = _patterns(IKIGAI)
    hits = ['import { PhoneView, ikigaiAck } from "./ikigai.js";',
            'const KINDS = ["clustering", "Ikigai"];',
            "const done = ikigaiAck(writes, entry, ack);"]
    for line in hits:
        assert any(p.search(line) for p in patterns), line
    _stems, patterns = _patterns(SUPPORT)
    for line in ("db.select(SupportMeasure)", "select * from ikigai_entries",
                 "css/tacts/support.css"):
        assert any(p.search(line) for p in patterns), line
    _stems, patterns = _patterns(TRUST)
    for line in ("TrustRoundKind()", "import { View } from './trust_phone.js'", "TrustNote.text"):
        assert any(p.search(line) for p in patterns), line
    misses = ["the support of the hall", "x.support + 1", "stage = 2", "stakeholders",
              "a trusted proxy", "trust"]
    for kind in (IKIGAI, STAGES, TRUST, SUPPORT):
        _stems, patterns = _patterns(kind)
        for line in misses:
            assert not any(p.search(line) for p in patterns), (kind["name"], line)
    assert "trust" in _imported_names("from ..services import agenda, trust\n")
    assert "support_common" in _imported_names("from .support_common import x\n")


AUDIENCE_EXPORTS = {"phone": "PhoneView", "board": "BoardView", "projector": "ProjectorView",
                    "console": "ConsoleView"}


@pytest.mark.parametrize("name", sorted(REGISTERED))
def test_the_scripts_a_kind_names_exist_and_export_their_views(app, name):
    """Each audience's module (static/js/tacts/) exports its view class, the style sheet exists,
    the tab's label is one of the page's strings (static/js/tacts/kind_views.js)."""
    from facilitation.tacts import get_kind
    from facilitation.views.strings import JS_STRINGS
    views = get_kind(name).client_info()["views"]
    assert set(views) <= {*AUDIENCE_EXPORTS, "css", "tab"}
    for audience, export in AUDIENCE_EXPORTS.items():
        if audience not in views:
            continue
        script = ROOT / "static/js/tacts" / views[audience]
        assert script.exists(), f"{name}: {views[audience]} is missing"
        assert re.search(rf"^export class (?:{export}|View)\b", script.read_text(encoding="utf-8"),
                         re.M), f"{name}: {views[audience]} exports no {export} (or View)"
    if "css" in views:
        assert (ROOT / "static/css/tacts" / views["css"]).exists()
    if "tab" in views:
        assert views["tab"] in JS_STRINGS
