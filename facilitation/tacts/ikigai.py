"""`ikigai` (seed 002): the ikigai canvas of each initiative. Participants and the moderator post
short entries in three columns, "what they want / what they can / what is needed"; the moderator
marks what stands in all three and writes from it the initiative's focus, which later items show
beside the initiative. Services: `services/ikigai.py`."""
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import Form, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Optional

from ..models.support import ENTRY_MAX, FOCUS_MAX, IKIGAI_COLUMNS
from ..services.text import CleanText, normalize
from .base import TactKind

COLUMN_LABELS = {"want": _l("What they want"), "can": _l("What they can"),
                 "need": _l("What is needed")}


class IkigaiEntryForm(Form):
    column = SelectField(choices=[(c, c) for c in IKIGAI_COLUMNS], validate_choice=True)
    text = StringField(validators=[InputRequired(message=_l("Please write something: the text is empty.")),
                                   CleanText(ENTRY_MAX, multiline=False)], filters=[normalize])


class IkigaiFocusForm(Form):
    """The focus; empty clears it."""

    text = TextAreaField(validators=[Optional(), CleanText(FOCUS_MAX)], filters=[normalize])


# What the browser scripts show (merged into the JS strings; views/strings.py).
JS_STRINGS = {
    "ik_want": COLUMN_LABELS["want"],
    "ik_can": COLUMN_LABELS["can"],
    "ik_need": COLUMN_LABELS["need"],
    "ik_want_hint": _l("What do the people of the initiative want to do?"),
    "ik_can_hint": _l("What can they do, what do they have?"),
    "ik_need_hint": _l("What is needed by the territory and its people?"),
    "ik_add": _l("Add"),
    "ik_entry_ph": _l("A short entry"),
    "ik_tab": _l("Ikigai canvas"),
    "ik_focus": _l("Focus"),
    "ik_focus_none": _l("No focus yet: mark what stands in all three columns."),
    "ik_focus_ph": _l("What stands in all three columns, in one or two sentences"),
    "ik_focus_save": _l("Save the focus"),
    "ik_focus_clear": _l("Clear"),
    "ik_focus_from_marks": _l("Take from the marked entries"),
    "ik_mark": _l("Stands in all three"),
    "ik_unmark": _l("Unmark"),
    "ik_marked": _l("In all three"),
    "ik_marks_missing": _l("Marked so far: {want} · {can} · {need}. A focus needs at least one mark in each column."),
    "ik_empty": _l("No entries yet."),
    "ik_no_initiatives": _l("Your group has no initiatives yet: they are formed in the clustering tact."),
    "ik_delete": _l("Delete the entry"),
    "ik_entries_n": _l("{n} entries"),
    "ik_more": _l("More entries: {n}"),
    "ik_saved": _l("Saved"),
}


def column_label(column):
    return str(COLUMN_LABELS.get(column, column))


class IkigaiKind(TactKind):
    name = "ikigai"
    service = "ikigai"  # snapshot, export, import and demo (tacts/base.py)
    label = _l("Ikigai canvas")
    js_strings = JS_STRINGS
    # Its scripts (static/js/tacts/ikigai.js: PhoneView, BoardView, ProjectorView), loaded by
    # static/js/tacts/kind_views.js; the sheet is the support workshop's, shared with the other kind.
    views = {"phone": "ikigai.js", "board": "ikigai.js", "projector": "ikigai.js",
             "css": "support.css", "tab": "ik_tab"}
    output_schema = {
        "type": "object",
        "required": ["entries", "focus"],
        "properties": {
            "entries": {"type": "array", "items": {
                "type": "object",
                "required": ["id", "group_id", "initiative_id", "column", "text", "marked"],
                "properties": {"id": {"type": "integer"}, "group_id": {"type": "integer"},
                               "initiative_id": {"type": "integer"},
                               "column": {"enum": list(IKIGAI_COLUMNS)},
                               "text": {"type": "string"}, "marked": {"type": "boolean"},
                               "participant_id": {"type": ["integer", "null"]},
                               "author": {"type": "string"},
                               "created_at": {"type": ["string", "null"]}}}},
            "focus": {"type": "array", "items": {
                "type": "object", "required": ["group_id", "initiative_id", "text"],
                "properties": {"group_id": {"type": "integer"},
                               "initiative_id": {"type": "integer"},
                               "text": {"type": "string"}}}},
        },
    }

    def client_info(self):
        return {**super().client_info(), "board": "ikigai"}

    def actions(self):
        from ..services import ikigai
        return {"add_entry": (ikigai.add_entry, "post"),
                "delete_entry": (ikigai.delete_entry, None),
                "mark_entry": (ikigai.mark_entry, "board"),
                "set_focus": (ikigai.set_focus, "board")}

    def report_sections(self, item, data):
        """Per group, the foci of its initiatives (a table, so that every format shows them);
        then per initiative its three columns side by side, marked entries starred."""
        entries = data.get("entries", [])
        focus = {(f["group_id"], f["initiative_id"]): f for f in data.get("focus", [])}
        initiatives = {}
        for e in entries:
            initiatives.setdefault((e["group_id"], e["initiative_id"]), e.get("initiative", ""))
        for key, f in focus.items():
            initiatives.setdefault(key, f.get("initiative", ""))
        blocks = []
        for group_id in dict.fromkeys(g for g, _i in initiatives):
            blocks.append({
                "title": gettext("Ikigai focus of the initiatives"), "group_id": group_id,
                "table": {"columns": [gettext("Initiative"), gettext("Focus")],
                          "rows": [[name, (focus.get(key) or {}).get("text") or None]
                                   for key, name in initiatives.items() if key[0] == group_id]}})
            for (g, initiative_id), name in initiatives.items():
                if g != group_id:
                    continue
                columns = {c: [("★ " if e["marked"] else "") + e["text"] for e in entries
                               if e["initiative_id"] == initiative_id and e["column"] == c]
                           for c in IKIGAI_COLUMNS}
                depth = max((len(v) for v in columns.values()), default=0)
                if not depth:
                    continue
                rows = [[columns[c][n] if n < len(columns[c]) else None for c in IKIGAI_COLUMNS]
                        for n in range(depth)]
                block = {"title": gettext("Ikigai: %(name)s", name=name), "group_id": group_id,
                         "table": {"columns": [column_label(c) for c in IKIGAI_COLUMNS],
                                   "rows": rows}}
                if any(e["marked"] for e in entries if e["initiative_id"] == initiative_id):
                    block["paragraphs"] = [gettext("★ stands in all three columns.")]
                blocks.append(block)
        return blocks

    def deck_lines(self, item, data, initiative_id):
        """The initiative's ikigai focus, and the marked entries of each column (what stands in
        all three)."""
        lines = []
        focus = next((f["text"] for f in data.get("focus", [])
                      if f["initiative_id"] == initiative_id and f["text"]), "")
        if focus:
            lines.append(gettext("Ikigai focus: %(text)s", text=focus))
        for column in IKIGAI_COLUMNS:
            marked = [e["text"] for e in data.get("entries", [])
                      if e["initiative_id"] == initiative_id and e["column"] == column
                      and e["marked"]]
            if marked:
                lines.append(f"{column_label(column)}: {'; '.join(marked)}")
        return lines
