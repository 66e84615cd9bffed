"""gen_* helpers that build rows through the services, as a real user would."""
import uuid
from dataclasses import dataclass
from datetime import date

from facilitation.extensions import db
from facilitation.models import Session
from facilitation.services import agenda, cards, participants, sessions
from facilitation.services.actors import participant_actor, user_actor

PASSWORD = "correct horse battery"


def gen_user(email=None, name="Анна Организатор"):
    email = email or f"user-{uuid.uuid4().hex[:8]}@example.org"
    return sessions.register_user(email, name, PASSWORD)


def gen_session(organizer=None, **kwargs):
    organizer = organizer or gen_user()
    kwargs.setdefault("title", "Стратегическая сессия")
    kwargs.setdefault("starts_on", date.today())
    return sessions.create_session(organizer, **kwargs), organizer


def gen_group(session, organizer, name="Экопросвещение", frame="Образование и просвещение"):
    return sessions.save_group(organizer, session.id, {"name": name, "subject_frame": frame})


def gen_participant(session, group=None, name="Маша"):
    data = {"display_name": name, "group_id": str(group.id) if group else "",
            "client_id": str(uuid.uuid4())}
    return participants.join(session, data)


def post(actor, item, text="Тренд", **extra):
    """Post a card as an actor; returns (card data, created)."""
    return cards.create_card(actor, {"client_id": str(uuid.uuid4()), "item_id": item.id,
                                     "text": text, **extra})


def advance_to(chief, session_id, kind):
    """Advance the agenda until the current item is of `kind`; return that item."""
    while True:
        current = db.session.get(Session, session_id).current_item
        if current is not None and current.kind == kind:
            return current
        agenda.advance(chief, current.id if current else None)


@dataclass
class World:
    session: Session
    organizer: object
    chief: object
    groups: list
    moderators: list
    phones: list  # participants: two in each group

    def actor(self, participant):
        return participant_actor(participant.id, self.session.id)

    def staff(self, user):
        return user_actor(user, self.session.id)


def gen_world():
    session, organizer = gen_session()
    groups, moderators, phones = [], [], []
    for n, (name, frame) in enumerate([("Экопросвещение", "Образование"),
                                       ("Волонтёрство", "Добровольчество")], start=1):
        group = gen_group(session, organizer, name, frame)
        moderator = gen_user(name=f"Модератор {n}")
        sessions.assign_moderator(organizer, session.id, group.id, moderator)
        groups.append(group)
        moderators.append(moderator)
        phones += [gen_participant(session, group, f"Участник {n}a"),
                   gen_participant(session, group, f"Участник {n}b")]
    return World(session=session, organizer=organizer, chief=user_actor(organizer, session.id),
                 groups=groups, moderators=moderators, phones=phones)
