"""What participants post: trends (tact 1, per group) and ideas (tact 2, List A)."""
from ..extensions import db
from .base import Authored, ClientCreated, utcnow


class CardMixin(ClientCreated, Authored):
    id = db.Column(db.Integer, primary_key=True)
    text = db.Column(db.String(300), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    # Soft delete: the row stays so that a late resend of its client id creates nothing.
    deleted_at = db.Column(db.DateTime)
    # Set when a moderator reveals one card of a hidden tact before the rest.
    revealed = db.Column(db.Boolean, nullable=False, default=False)
    # The revision of the last change of this card: clients keep the newest they saw.
    rev = db.Column(db.Integer, nullable=False, default=0)

    @db.declared_attr
    def session_id(cls):
        return db.Column(db.Integer, db.ForeignKey("sessions.id", ondelete="CASCADE"),
                         nullable=False, index=True)

    @db.declared_attr
    def item_id(cls):
        return db.Column(db.Integer, db.ForeignKey("agenda_items.id", ondelete="CASCADE"),
                         nullable=False, index=True)

    @db.declared_attr
    def merged_into_id(cls):
        return db.Column(db.Integer, db.ForeignKey(f"{cls.__tablename__}.id",
                                                   ondelete="SET NULL"))


class Trend(CardMixin, db.Model):
    """A trend or direction of development posted in a group during tact 1."""

    __tablename__ = "trends"

    group_id = db.Column(db.Integer, db.ForeignKey("groups.id", ondelete="CASCADE"),
                         nullable=False, index=True)
    group = db.relationship("Group")


class Idea(CardMixin, db.Model):
    """A project initiative on the shared List A (tact 2); group_id is the author's group."""

    __tablename__ = "ideas"

    group_id = db.Column(db.Integer, db.ForeignKey("groups.id", ondelete="SET NULL"))
    group = db.relationship("Group")
