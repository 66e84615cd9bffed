"""Tact 8: a group's final deck, assembled from everything the group did by a template and then
edited by the group, slide by slide; the projector presents it in the expert session."""
from ..extensions import db
from .base import Authored, ClientCreated, utcnow
from .board import Revised, _fk

# Slides the template makes (one per group, or one per initiative), and "free" ones a group adds.
# "program": per initiative, what the program's other tacts made of it (tacts/base.py deck_lines).
SLIDE_KINDS = ("title", "trends", "initiative", "stakeholders", "balance", "program", "requests",
               "okr", "team", "free")
TITLE_MAX = 120
BODY_MAX = 2000


class Deck(Revised, db.Model):
    """One group's deck in one `deck` agenda item."""

    __tablename__ = "decks"
    __table_args__ = (db.UniqueConstraint("item_id", "group_id", name="uq_deck_item_group"),)

    id = db.Column(db.Integer, primary_key=True)
    session_id = _fk("sessions")
    item_id = _fk("agenda_items", index=False)
    group_id = _fk("groups")
    # When the deck was last assembled (or refreshed) from the data.
    assembled_at = db.Column(db.DateTime, nullable=False, default=utcnow)


class Slide(ClientCreated, Revised, Authored, db.Model):
    """A slide: its text is the group's (the author columns name its last editor); `data` is
    what the template drew from the session (List B, the resource diagram), refreshed always.

    `edited` is set once the group changes the text: refreshing from the data then leaves the
    text alone. `text_rev` is the revision of the last change of the text, the base an editor
    sends back so that two editors never silently overwrite each other."""

    __tablename__ = "slides"

    id = db.Column(db.Integer, primary_key=True)
    session_id = _fk("sessions", index=False)
    deck_id = _fk("decks")
    position = db.Column(db.Integer, nullable=False, default=0)
    kind = db.Column(db.String(16), nullable=False, default="free")
    # The initiative a template slide is about (None: a slide of the whole group).
    initiative_id = _fk("initiatives", ondelete="SET NULL", nullable=True, index=False)
    title = db.Column(db.String(TITLE_MAX), nullable=False, default="")
    body = db.Column(db.Text, nullable=False, default="")
    data = db.Column(db.JSON)
    edited = db.Column(db.Boolean, nullable=False, default=False)
    text_rev = db.Column(db.Integer, nullable=False, default=0)
    deleted_at = db.Column(db.DateTime)
