"""The translation catalogs: complete, in step with the code, and no literal text in templates.

Russian is the default language, so a string missing from the ru catalog shows up in English
on every screen; these tests name the strings that need work.
"""
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "facilitation" / "translations"
POT = TRANSLATIONS / "messages.pot"
TEMPLATES = ROOT / "templates"
LOCALES = ("ru", "en")


def _catalog(path):
    """The catalog parsed from a .po/.pot file."""
    with open(path, "rb") as f:
        return read_po(f)


def _po(locale):
    return TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"


def _ids(catalog):
    """The msgids of a catalog, without the header entry."""
    return {message.id for message in catalog if message.id}


def _show(ids):
    return "\n".join(f"  {i!r}" for i in sorted(ids, key=str))


# --- (a) the Russian catalog is complete ---------------------------------------------------

def test_every_russian_msgid_is_translated_and_not_fuzzy():
    catalog = _catalog(_po("ru"))
    messages = [m for m in catalog if m.id]
    assert messages, "the ru catalog is empty"
    untranslated = [m.id for m in messages
                    if not (all(m.string) if isinstance(m.string, tuple) else m.string.strip())]
    fuzzy = [m.id for m in messages if m.fuzzy]
    assert not untranslated, "msgids without a Russian msgstr:\n" + _show(untranslated)
    assert not fuzzy, "fuzzy entries in the ru catalog (review and drop the flag):\n" + _show(fuzzy)
    assert not catalog.obsolete, "obsolete (#~) entries left in the ru catalog:\n" + _show(
        catalog.obsolete)


def test_russian_placeholders_match_the_english():
    """Babel's checkers: %(name)d placeholders kept exactly, as `pybabel compile` needs."""
    catalog = _catalog(_po("ru"))
    problems = [f"  {m.id!r}: {'; '.join(map(str, errors))}" for m, errors in catalog.check()]
    assert not problems, "placeholder mismatches:\n" + "\n".join(problems)


@pytest.mark.parametrize(("msgid", "fragment"), [
    ("Please write something: the text is empty.", "Напишите"),
    ("Please write something: the text is empty.", "пуст"),
    ("There is no session with this code. Check the code on the screen.", "нет сессии"),
    ("Please tell us your name.", "имя"),
    ("The text is too long: %(length)d characters, at most %(max)d.", "длинн"),
    ("Please choose your group.", "групп"),
    ("The text contains invisible characters; please retype it.", "невидим"),
    ("Sign in", "Войти"),
])
def test_key_russian_wording(msgid, fragment):
    """Wording the page and live tests look for in Russian responses."""
    message = _catalog(_po("ru")).get(msgid)
    assert message is not None, f"{msgid!r} is not in the ru catalog"
    assert fragment in message.string


# --- (b) the catalogs are in step with the code --------------------------------------------

@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The msgids `pybabel extract` finds in the code now (same command as the README)."""
    out = tmp_path_factory.mktemp("i18n") / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F", "babel.cfg",
         "-k", "_l", "-k", "lazy_gettext", "-o", str(out), "."],
        cwd=ROOT, check=True, capture_output=True, text=True)
    ids = _ids(_catalog(out))
    assert ids, "extraction found no strings: check babel.cfg"
    return ids


def test_pot_is_in_step_with_the_code(extracted):
    committed = _ids(_catalog(POT))
    new, gone = extracted - committed, committed - extracted
    assert not new and not gone, (
        "messages.pot is out of date; run the extract and `pybabel update` commands.\n"
        f"In the code but not in the .pot:\n{_show(new)}\nIn the .pot but gone from the code:\n"
        f"{_show(gone)}")


@pytest.mark.parametrize("locale", LOCALES)
def test_catalog_has_exactly_the_strings_of_the_code(extracted, locale):
    catalog = _ids(_catalog(_po(locale)))
    missing, stale = extracted - catalog, catalog - extracted
    assert not missing, (
        f"strings in the code without an entry in the {locale} catalog "
        f"(run `pybabel update`, then translate):\n{_show(missing)}")
    assert not stale, f"{locale} catalog entries no longer in the code:\n{_show(stale)}"


# --- (c) no literal text in templates ------------------------------------------------------

# Attributes whose values people see or hear (tooltips, screen readers, placeholders).
VISIBLE_ATTRIBUTES = ("placeholder", "title", "alt", "label", "aria-label", "aria-description",
                      "aria-placeholder", "aria-roledescription", "aria-valuetext")
LETTER = re.compile(r"[^\W\d_]")  # a letter of any script, Latin and Cyrillic included
TAG = re.compile(r"<[a-zA-Z][^<>]*>")
ATTRIBUTE = re.compile(r"""([\w:-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+)""")
BUTTON_INPUT = re.compile(r"""\btype\s*=\s*["']?(submit|button|reset)\b""", re.I)


def _blank(match):
    """The matched text as spaces, newlines kept, so line numbers stay right."""
    return re.sub(r"[^\n]", " ", match.group(0))


def _attribute_blocks():
    """Names of the blocks that base templates render inside a tag (`class="{% block x %}"`)."""
    names = set()
    for path in TEMPLATES.rglob("*.html"):
        names.update(re.findall(r"<[a-zA-Z][^<>]*?\{%-?\s*block\s+(\w+)", path.read_text("utf-8")))
    return names


def _literals(text, attribute_blocks):
    """(line, text) for each piece of visible text that is not produced by Jinja."""
    text = re.sub(r"\{#.*?#\}", _blank, text, flags=re.S)
    # {% trans %} blocks are translated like _() calls.
    text = re.sub(r"\{%-?\s*trans\b.*?\{%-?\s*endtrans\s*-?%\}", _blank, text, flags=re.S)
    for name in attribute_blocks:  # their content ends up in an attribute, e.g. a CSS class
        text = re.sub(r"\{%%-?\s*block\s+%s\s*-?%%\}.*?\{%%-?\s*endblock\b[^%%]*%%\}" % name,
                      _blank, text, flags=re.S)
    text = re.sub(r"\{\{.*?\}\}|\{%.*?%\}", _blank, text, flags=re.S)
    text = re.sub(r"<!--.*?-->", _blank, text, flags=re.S)

    found = []

    def line_of(pos):
        return text.count("\n", 0, pos) + 1

    for tag in TAG.finditer(text):
        body = tag.group(0)
        visible = set(VISIBLE_ATTRIBUTES)
        if body.lower().startswith("<input") and BUTTON_INPUT.search(body):
            visible.add("value")
        for attribute in ATTRIBUTE.finditer(body):
            name, value = attribute.group(1).lower(), attribute.group(2).strip("\"'")
            if name in visible and LETTER.search(value):
                found.append((line_of(tag.start() + attribute.start()),
                              f'{name}="{value.strip()}"'))

    text = re.sub(r"<(script|style)\b.*?</\1\s*>", _blank, text, flags=re.S | re.I)
    text = re.sub(r"<[^>]*>", _blank, text)
    text = re.sub(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);", _blank, text)
    for line_number, line in enumerate(text.splitlines(), 1):
        if LETTER.search(line):
            found.append((line_number, " ".join(line.split())))
    return sorted(found)


def _templates():
    return sorted(p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*.html"))


def test_the_literal_check_finds_what_it_should():
    """The checker itself: it flags text and visible attributes, and lets Jinja through."""
    template = """{% extends "base.html" %}{% block body_class %}page-x{% endblock %}
{# a comment #}<p class="note" data-x="y">{{ _('Fine') }} · −1</p>
<script>const a = "text";</script><style>p { color: red }</style>
<p>Hello</p>
<input placeholder="Type here" aria-label="{{ _('Fine') }}"><img alt="Логотип" src="x.png">
<input type="submit" value="Go"> <p>&nbsp;{% trans %}Fine too{% endtrans %}</p>"""
    assert _literals(template, {"body_class"}) == [
        (4, "Hello"), (5, 'alt="Логотип"'), (5, 'placeholder="Type here"'), (6, 'value="Go"')]


@pytest.mark.parametrize("name", _templates())
def test_template_has_no_literal_text(name):
    found = _literals((TEMPLATES / name).read_text("utf-8"), _attribute_blocks())
    assert not found, f"text outside {{{{ _('...') }}}} in templates/{name}:\n" + "\n".join(
        f"  line {line}: {text}" for line, text in found)
