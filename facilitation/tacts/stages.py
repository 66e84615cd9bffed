"""`stages` (seed 002): the stage diagnosis of each initiative and its support measures. The group
places each initiative on the seven stages of a social project (participants suggest, the moderator
decides), with each stage's content, factors and risks shown as guidance; then picks support
measures from the matrix of kinds × phases (the seed's table, `stages.yaml`) or adds its own.
Services: `services/support.py`."""
from functools import lru_cache
from pathlib import Path

import yaml
from flask_babel import get_locale, gettext
from flask_babel import lazy_gettext as _l
from wtforms import Form, SelectField, StringField
from wtforms.validators import InputRequired, Optional

from ..models.support import MEASURE_KINDS, MEASURE_MAX, MEASURE_PHASES, NOTE_MAX, PHASES
from ..services.text import CleanText, normalize
from .base import TactKind

CATALOG = Path(__file__).with_name("stages.yaml")

KIND_LABELS = {"financial": _l("Financial"), "property": _l("Property"),
               "information": _l("Information"), "consulting": _l("Consulting"),
               "staffing": _l("Staffing")}
PHASE_LABELS = {"emergence": _l("Emergence"), "formalization": _l("Formalization"),
                "expansion": _l("Expansion"), "any": _l("Any stage")}


@lru_cache(maxsize=None)
def catalog():
    """The seed's stages and measures: {"stages": [...], "measures": {key: measure}}, where a
    measure is {key, kind, phase, ru, en} and its key "kind.phase.n" (n from 1)."""
    with CATALOG.open(encoding="utf-8") as fh:
        raw = yaml.safe_load(fh)
    measures = {}
    for kind in MEASURE_KINDS:
        for phase in PHASES:
            for n, m in enumerate(raw["measures"][kind][phase], start=1):
                key = f"{kind}.{phase}.{n}"
                measures[key] = {"key": key, "kind": kind, "phase": phase, "ru": m["ru"],
                                 "en": m["en"]}
    counts = {}
    for m in raw["additional"]:
        counts[m["kind"]] = counts.get(m["kind"], 0) + 1
        key = f"{m['kind']}.any.{counts[m['kind']]}"
        measures[key] = {"key": key, "kind": m["kind"], "phase": "any", "ru": m["ru"],
                         "en": m["en"]}
    return {"stages": raw["stages"], "measures": measures}


def stage_of(n):
    """The catalog's stage n (1–7), or None."""
    return next((s for s in catalog()["stages"] if s["n"] == n), None)


def _catalog_language():
    """The catalog's language for the current locale ("ru" or "en")."""
    return "en" if str(get_locale() or "ru").startswith("en") else "ru"


def phase_of_stage(n):
    stage = stage_of(n)
    return stage["phase"] if stage else None


def localized(language):
    """The catalog in one language, for clients (guidance and the matrix)."""
    lang = "en" if language == "en" else "ru"
    return {
        "stages": [{"n": s["n"], "phase": s["phase"], "name": s["name"][lang],
                    "content": s["content"][lang], "factors": s["factors"][lang],
                    "risks": s["risks"][lang]} for s in catalog()["stages"]],
        "measures": [{"key": m["key"], "kind": m["kind"], "phase": m["phase"], "text": m[lang]}
                     for m in catalog()["measures"].values()],
    }


class PlaceForm(Form):
    note = StringField(validators=[Optional(), CleanText(NOTE_MAX, multiline=False)],
                       filters=[normalize])


class MeasureForm(Form):
    """The group's own measure: its kind, the phase it serves and its text."""

    measure_kind = SelectField(choices=[(k, k) for k in MEASURE_KINDS], validate_choice=True)
    phase = SelectField(choices=[(p, p) for p in MEASURE_PHASES], validate_choice=True)
    text = StringField(validators=[InputRequired(message=_l("Write the support measure.")),
                                   CleanText(MEASURE_MAX, multiline=False)], filters=[normalize])


JS_STRINGS = {
    "st_tab": _l("Stages and support"),
    "st_stage": _l("Stage"),
    "st_stage_n": _l("Stage {n}"),
    "st_content": _l("Content"),
    "st_factors": _l("Factors"),
    "st_risks": _l("Risks"),
    "st_not_placed": _l("Not placed yet"),
    "st_place_here": _l("Place here"),
    "st_placed": _l("The group placed it here"),
    "st_clear": _l("Clear the stage"),
    "st_suggest": _l("Which stage is it at? Your suggestion"),
    "st_my_vote": _l("Your suggestion"),
    "st_withdraw": _l("Withdraw"),
    "st_votes_n": _l("{n} suggest"),
    "st_measures": _l("Support measures"),
    "st_matrix": _l("Measures by stage"),
    "st_pick": _l("Pick"),
    "st_picked": _l("Picked"),
    "st_own": _l("Your own measure"),
    "st_own_ph": _l("A measure of your own"),
    "st_add": _l("Add"),
    "st_kind": _l("Kind of support"),
    "st_phase": _l("Phase"),
    "st_no_measures": _l("No measures chosen yet."),
    "st_more_measures": _l("More measures: {n}"),
    "st_delete": _l("Delete the measure"),
    "st_for_stage": _l("For its stage: {phase}"),
    "st_own_mark": _l("own"),
    "st_ikigai_focus": _l("Ikigai focus"),
    "st_no_initiatives": _l("Your group has no initiatives yet: they are formed in the clustering tact."),
    "st_note_ph": _l("Why this stage (optional)"),
    "st_save_note": _l("Save the note"),
    "st_guidance": _l("The seven stages of a social project"),
    **{f"st_kind_{k}": v for k, v in KIND_LABELS.items()},
    **{f"st_phase_{k}": v for k, v in PHASE_LABELS.items()},
}


class StagesKind(TactKind):
    name = "stages"
    service = "support"  # snapshot, export, import and demo (tacts/base.py)
    label = _l("Stages and support measures")
    js_strings = JS_STRINGS
    # Its scripts (static/js/tacts/stages.js: PhoneView, BoardView, ProjectorView), loaded by
    # static/js/tacts/kind_views.js; the sheet is the support workshop's, shared with the other kind.
    views = {"phone": "stages.js", "board": "stages.js", "projector": "stages.js",
             "css": "support.css", "tab": "st_tab"}
    output_schema = {
        "type": "object",
        "required": ["places", "measures"],
        "properties": {
            "places": {"type": "array", "items": {
                "type": "object", "required": ["group_id", "initiative_id", "stage"],
                "properties": {"group_id": {"type": "integer"},
                               "initiative_id": {"type": "integer"},
                               "stage": {"type": ["integer", "null"], "minimum": 1, "maximum": 7},
                               "note": {"type": "string"},
                               "votes": {"type": "array", "items": {
                                   "type": "object", "required": ["participant_id", "stage"],
                                   "properties": {
                                       "participant_id": {"type": "integer"},
                                       "stage": {"type": "integer", "minimum": 1,
                                                 "maximum": 7}}}}}}},
            "measures": {"type": "array", "items": {
                "type": "object",
                "required": ["id", "group_id", "initiative_id", "kind", "phase", "text"],
                "properties": {"id": {"type": "integer"}, "group_id": {"type": "integer"},
                               "initiative_id": {"type": "integer"},
                               "kind": {"enum": list(MEASURE_KINDS)},
                               "phase": {"enum": list(MEASURE_PHASES)},
                               "text": {"type": "string"},
                               "catalog_key": {"type": ["string", "null"]},
                               "participant_id": {"type": ["integer", "null"]},
                               "author": {"type": "string"},
                               "created_at": {"type": ["string", "null"]}}}},
        },
    }

    def client_info(self):
        return {**super().client_info(), "board": "stages"}

    def actions(self):
        from ..services import support
        return {"place": (support.place_stage, "board"),
                "vote": (support.vote_stage, "board"),
                "add_measure": (support.add_measure, "post"),
                "delete_measure": (support.delete_measure, None)}

    def report_sections(self, item, data):
        """Per group: where its initiatives stand (with the stage's risks), and their measures."""
        groups = {}
        for p in data.get("places", []):
            groups.setdefault(p["group_id"], {"places": [], "measures": []})["places"].append(p)
        for m in data.get("measures", []):
            groups.setdefault(m["group_id"], {"places": [], "measures": []})["measures"].append(m)
        lang = _catalog_language()
        blocks = []
        for group_id, rows in groups.items():
            places = [p for p in rows["places"] if p.get("stage")]
            if places:
                table = []
                for p in places:
                    stage = stage_of(p["stage"])
                    table.append([p.get("initiative", ""), f"{p['stage']}. {stage['name'][lang]}",
                                  str(PHASE_LABELS[stage["phase"]]),
                                  "; ".join(stage["risks"][lang]), p.get("note") or None])
                blocks.append({"title": gettext("Stages of the initiatives"), "group_id": group_id,
                               "table": {"columns": [gettext("Initiative"), gettext("Stage"),
                                                     gettext("Phase"), gettext("Risks"),
                                                     gettext("Note")],
                                         "rows": table}})
            if rows["measures"]:
                blocks.append({
                    "title": gettext("Support measures"), "group_id": group_id,
                    "table": {"columns": [gettext("Initiative"), gettext("Kind of support"),
                                          gettext("Phase"), gettext("Measure"),
                                          gettext("Source")],
                              "rows": [[m.get("initiative", ""), str(KIND_LABELS[m["kind"]]),
                                        str(PHASE_LABELS[m["phase"]]), m["text"],
                                        gettext("from the table of measures") if m.get("catalog_key")
                                        else gettext("the group's own")]
                                       for m in rows["measures"]]}})
        return blocks

    def deck_lines(self, item, data, initiative_id):
        """The stage the group placed the initiative at (with its note), and its measures."""
        lang = _catalog_language()
        lines = []
        place = next((p for p in data.get("places", [])
                      if p["initiative_id"] == initiative_id and p.get("stage")), None)
        if place:
            stage = stage_of(place["stage"])
            lines.append(gettext("Stage of development: %(n)s. %(name)s (%(phase)s)",
                                 n=place["stage"], name=stage["name"][lang],
                                 phase=str(PHASE_LABELS[stage["phase"]]).lower()))
            if place.get("note"):
                lines.append(place["note"])
        measures = [m for m in data.get("measures", []) if m["initiative_id"] == initiative_id]
        if measures:
            lines.append(gettext("Support measures:"))
            lines += [f"• {m['text']} ({str(KIND_LABELS[m['kind']]).lower()}, "
                      f"{str(PHASE_LABELS[m['phase']]).lower()})" for m in measures]
        return lines
