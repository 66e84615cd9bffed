"""Socket.IO handlers: one namespace, each handler decodes, authorizes, calls a service, acks.

The server chooses rooms from database membership at connect, and re-reads the actor's
roles from the database on every event. See docs/PROTOCOL.md for every event.
"""
import logging
import math

from flask import current_app, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_socketio import Namespace, join_room

from ..extensions import db
from ..models import Session
from ..services import (agenda, cards, decks, experts, initiatives, objectives, participants,
                        requests, serialize, stakeholders, suggestions, sync, teams)
from ..services.actors import participant_actor, projector_actor, user_actor
from ..services.codes import read_participant_token
from ..services.errors import DomainError, NotAllowed
from .publish import NAMESPACE
from .ratelimit import ParticipantLimiter

log = logging.getLogger(__name__)
PARTICIPANT_COOKIE = "takt_p{}"


class LiveNamespace(Namespace):
    """The `/live` namespace. `self.who[sid]` remembers who a connection is, not what they may do."""

    def __init__(self, namespace=NAMESPACE):
        super().__init__(namespace)
        self.who = {}
        self._limiter = None

    # -- identity -------------------------------------------------------------------
    def _identify(self, auth):
        """Find who is connecting from the handshake: a participant cookie/token, a signed-in
        staff user, or the projector key. Returns (kind, id, session_id) or None."""
        auth = auth if isinstance(auth, dict) else {}
        session_id = auth.get("session_id")
        if not isinstance(session_id, int):
            return None
        role = auth.get("role")
        if role == "participant":
            token = auth.get("token") or request.cookies.get(PARTICIPANT_COOKIE.format(session_id))
            found = read_participant_token(token)
            if found and found[1] == session_id:
                return ("participant", found[0], session_id)
        elif role == "staff" and current_user.is_authenticated:
            return ("user", current_user.id, session_id)
        elif role == "projector":
            session = db.session.get(Session, session_id)
            if session is not None and auth.get("key") == session.projector_key:
                return ("projector", None, session_id)
        return None

    def _actor(self):
        """Load the connection's actor from the database (roles may have changed)."""
        who = self.who.get(request.sid)
        if who is None:
            raise NotAllowed()
        kind, ident, session_id = who
        if kind == "participant":
            return participant_actor(ident, session_id)
        if kind == "user":
            from ..models import User
            return user_actor(db.session.get(User, ident), session_id)
        return projector_actor(session_id)

    def _call(self, fn, *args, limit=None, exempt=None):
        """Run a service as the connection's actor; turn refusals into error acks.

        When the limit refuses, `exempt(actor)` true lets the event through all the same: a
        resend of a stored create writes nothing, and a phone's outbox must not be refused what
        the server already has. (Asked only then: posts within the limit pay nothing for it.)"""
        try:
            actor = self._actor()
            if (limit and actor.participant is not None
                    and not self._allow(actor, limit) and not (exempt and exempt(actor))):
                return {"ok": False, "code": "rate_limited",
                        "error": _("Too many posts at once; wait a moment and try again.")}
            return {"ok": True, **(fn(actor, *args) or {})}
        except DomainError as exc:
            db.session.rollback()
            return exc.as_ack()
        except Exception:  # noqa: BLE001 — a client must get an ack, never a hang
            db.session.rollback()
            log.exception("socket handler failed")
            return {"ok": False, "code": "server_error",
                    "error": _("Something went wrong on the server; please try again.")}

    def _allow(self, actor, what):
        """Per participant (not per address: a hall shares one NAT). `what`: post or board."""
        if self._limiter is None:
            self._limiter = ParticipantLimiter(current_app.config["RATELIMIT_STORAGE_URI"])
        setting = "POST_LIMIT_PER_PARTICIPANT" if what == "post" else "BOARD_LIMIT_PER_PARTICIPANT"
        return self._limiter.allow(what, actor.participant.id, current_app.config[setting])

    def trigger_event(self, event, *args):
        """Refuse a malformed payload (not one JSON object of plain values) before a handler
        or the database sees it: hostile input gets `invalid`, never `server_error`."""
        # args: (sid, payload); the refusal is built in the event's context (the user's language).
        # An unknown event is refused too: every event gets an ack (docs/PROTOCOL.md).
        if event not in ("connect", "disconnect") and (
                not hasattr(self, f"on_{event}")
                or not _well_formed(args[1] if len(args) > 1 else None)):
            from ..services.errors import Invalid
            return self.socketio._handle_event(lambda *_: Invalid().as_ack(), event,
                                               self.namespace, *args)
        return super().trigger_event(event, *args)

    # -- connection -----------------------------------------------------------------
    def on_connect(self, auth=None):
        """Any client connects with auth {session_id, role, token|key[, rev]}; the server picks
        rooms. With `rev` (the last revision the client applied, -1 for none) the connection's
        first event is `synced`, the answer `sync` would give, so a reconnect costs one round
        trip and one read of the participant instead of two (a storm of a hall reconnecting)."""
        who = self._identify(auth)
        if who is None:
            return False
        self.who[request.sid] = who
        try:
            actor = self._actor()
        except DomainError:
            self.who.pop(request.sid, None)
            return False
        for room in actor.rooms():
            join_room(room)
        if "rev" in auth:
            try:
                answer = {"ok": True, **sync.answer(actor, auth.get("rev"),
                                                    current_app.config["REPLAY_LIMIT"])}
            except Exception:  # noqa: BLE001 — the client asks with `sync` when none comes
                db.session.rollback()
                log.exception("sync at connect failed")
            else:
                # Sent before the library's CONNECT packet (the client holds it until then), and
                # straight to this process's connection: through the message queue (Redis) it
                # could come after CONNECT, and the client would have asked with `sync` too.
                self.socketio.emit("synced", answer, to=request.sid, namespace=self.namespace,
                                   ignore_queue=True)
        return True

    def on_disconnect(self, reason=None):
        self.who.pop(request.sid, None)

    def on_sync(self, data):
        """Client → server on (re)connect: {rev}. Ack: {ok, rev, events} or {ok, rev, snapshot}."""
        rev = data.get("rev") if isinstance(data, dict) else None
        return self._call(lambda actor: sync.answer(actor, rev, current_app.config["REPLAY_LIMIT"]))

    # -- participants and moderators: cards ------------------------------------------
    def on_post_card(self, data):
        """Phone or board → server: {client_id, item_id, text[, group_id]}. Ack: {ok, card, duplicate}."""
        def run(actor):
            card, created = cards.create_card(actor, data)
            return {"card": card, "duplicate": not created}
        return self._call(run, limit="post", exempt=lambda actor: cards.is_stored(data))

    def on_edit_card(self, data):
        """Author or moderator → server: {kind, id, text}. Ack: {ok, card}."""
        return self._call(lambda actor: {"card": cards.update_card(actor, data)}, limit="post")

    def on_delete_card(self, data):
        """Author or moderator → server: {kind, id}. Ack: {ok, card}."""
        return self._call(lambda actor: {"card": cards.delete_card(actor, data)})

    def on_merge_cards(self, data):
        """Group moderator → server: {kind, id, into[, text]}. Ack: {ok, merged, into, selections}."""
        return self._call(lambda actor: cards.merge_cards(actor, data))

    def on_reveal_card(self, data):
        """Moderator → server: {kind, id}. Ack: {ok, card}."""
        return self._call(lambda actor: {"card": cards.reveal_card(actor, data)})

    def on_suggest(self, data):
        """Moderator → server: {item_id[, group_id]}: proposals for the board (tacts 2–3); nothing
        changes until one is accepted through merge_cards, move_idea or create_initiative.
        Ack: {ok, suggestions} to the asker only."""
        return self._call(lambda actor: {"suggestions": suggestions.suggest_for_board(actor, data)})

    # -- chief moderator: agenda, timer, projector ------------------------------------
    def on_advance(self, data):
        """Chief moderator → server: {current_item_id}. Ack: {ok, current_item_id}."""
        return self._call(lambda actor: {"current_item_id": agenda.advance(
            actor, _get(data, "current_item_id"))})

    def on_undo_advance(self, data):
        """Chief moderator → server: {current_item_id}. Ack: {ok, current_item_id}."""
        return self._call(lambda actor: {"current_item_id": agenda.undo_advance(
            actor, _get(data, "current_item_id"))})

    def on_timer(self, data):
        """Chief moderator → server: {item_id, action: start|pause|extend[, seconds]}."""
        def run(actor):
            action, item_id = _get(data, "action"), _get(data, "item_id")
            if action == "start":
                return {"item": agenda.start_timer(actor, item_id)}
            if action == "pause":
                return {"item": agenda.pause_timer(actor, item_id)}
            if action == "extend":
                return {"item": agenda.extend_timer(actor, item_id, _get(data, "seconds"))}
            from ..services.errors import Invalid
            raise Invalid()
        return self._call(run)

    def on_set_item(self, data):
        """Chief moderator → server: {item_id, locked?: bool, hidden?: bool}. Ack: {ok, item}."""
        def run(actor):
            item_id = _get(data, "item_id")
            result = None
            if "locked" in (data or {}):
                result = agenda.set_locked(actor, item_id, bool(data["locked"]))
            if "hidden" in (data or {}):
                result = agenda.set_hidden(actor, item_id, bool(data["hidden"]))
            return {"item": result}
        return self._call(run)

    def on_show(self, data):
        """Chief moderator → server: {mode: join|wall|group|timer[, group_id][, initiative_id]}.
        Ack: {ok, projector}."""
        return self._call(lambda actor: {"projector": agenda.set_projector(
            actor, _get(data, "mode"), _get(data, "group_id"), _get(data, "initiative_id"))})

    # -- tacts 3–5: initiatives, stakes, stakeholders, flows (docs/PROTOCOL.md) ----------------
    def on_take_idea(self, data):
        """{item_id, group_id, idea_id[, initiative_id]}. Ack: {ok, selection}."""
        return self._call(lambda actor: {"selection": initiatives.take_idea(actor, data)}, limit="board")

    def on_drop_idea(self, data):
        """{id}. Ack: {ok, selection}."""
        return self._call(lambda actor: {"selection": initiatives.drop_idea(actor, data)}, limit="board")

    def on_move_idea(self, data):
        """{id, initiative_id|null, position}. Ack: {ok, selections}."""
        return self._call(lambda actor: initiatives.move_idea(actor, data), limit="board")

    def on_create_initiative(self, data):
        """{client_id, item_id, group_id, name[, selection_ids]}.
        Ack: {ok, initiative, duplicate, selections}."""
        def run(actor):
            initiative, created = initiatives.create_initiative(actor, data)
            return {"initiative": initiative, "duplicate": not created,
                    "selections": initiatives.initiative_selections(initiative["id"])}
        return self._call(run, limit="board")

    def on_rename_initiative(self, data):
        """{id, name}. Ack: {ok, initiative}."""
        return self._call(lambda actor: {"initiative": initiatives.rename_initiative(actor, data)},
                          limit="board")

    def on_merge_initiatives(self, data):
        """Group moderator: {id, into[, name]}. Ack: {ok, initiative}."""
        return self._call(lambda actor: {"initiative": initiatives.merge_initiatives(actor, data)})

    def on_dissolve_initiative(self, data):
        """Group moderator: {id}. Ack: {ok}."""
        return self._call(lambda actor: initiatives.dissolve_initiative(actor, data))

    def on_board_settings(self, data):
        """Group moderator: {item_id, group_id, ...settings}. Ack: {ok, board}."""
        return self._call(lambda actor: {"board": initiatives.board_settings(actor, data)})

    def on_set_stake(self, data):
        """Participant: {item_id, initiative_id, count}. Ack: {ok, mine}."""
        return self._call(lambda actor: {"mine": initiatives.set_stake(actor, data)}, limit="board")

    def on_add_stakeholder(self, data):
        """{client_id, item_id, initiative_id, name, type[, values]}. Ack: {ok, stakeholder, duplicate}."""
        def run(actor):
            stakeholder, created = stakeholders.add_stakeholder(actor, data)
            return {"stakeholder": stakeholder, "duplicate": not created}
        return self._call(run, limit="board")

    def on_edit_stakeholder(self, data):
        """{id[, name][, type]}. Ack: {ok, stakeholder}."""
        return self._call(lambda actor: {"stakeholder": stakeholders.edit_stakeholder(actor, data)},
                          limit="board")

    def on_delete_stakeholder(self, data):
        """{id}. Ack: {ok, stakeholder}."""
        return self._call(lambda actor: {"stakeholder": stakeholders.delete_stakeholder(actor, data)})

    def on_merge_stakeholders(self, data):
        """Group moderator: {id, into}. Ack: {ok, stakeholder}."""
        return self._call(lambda actor: {"stakeholder": stakeholders.merge_stakeholders(actor, data)})

    def on_add_value(self, data):
        """{client_id, stakeholder_id, text}. Ack: {ok, stakeholder}."""
        return self._call(lambda actor: {"stakeholder": stakeholders.add_value(actor, data)},
                          limit="board")

    def on_delete_value(self, data):
        """{id}. Ack: {ok, stakeholder}."""
        return self._call(lambda actor: {"stakeholder": stakeholders.delete_value(actor, data)})

    def on_add_flow(self, data):
        """{client_id, item_id, initiative_id, source_id, target_id, resource, resource_text, mark}."""
        def run(actor):
            flow, created = stakeholders.add_flow(actor, data)
            return {"flow": flow, "duplicate": not created}
        return self._call(run, limit="board")

    def on_delete_flow(self, data):
        """{id}. Ack: {ok}."""
        return self._call(lambda actor: stakeholders.delete_flow(actor, data))

    # -- tacts 6–7: requests between groups, objectives and key results ---------------------
    def on_send_request(self, data):
        """{client_id, item_id, initiative_id, to_group_id, need, text}. Ack: {ok, request, duplicate}."""
        def run(actor):
            request_, created = requests.send_request(actor, data)
            return {"request": request_, "duplicate": not created}
        return self._call(run, limit="post")

    def on_answer_request(self, data):
        """{client_id, request_id, text}. Ack: {ok, request}."""
        return self._call(lambda actor: {"request": requests.answer_request(actor, data)},
                          limit="post")

    def on_set_request_status(self, data):
        """{id, status}. Ack: {ok, request}."""
        return self._call(lambda actor: {"request": requests.set_status(actor, data)},
                          limit="board")

    def on_withdraw_request(self, data):
        """{id}. Ack: {ok, request}."""
        return self._call(lambda actor: {"request": requests.withdraw(actor, data)}, limit="board")

    def on_add_objective(self, data):
        """{client_id, item_id, initiative_id, text}. Ack: {ok, objective, duplicate}."""
        def run(actor):
            objective, created = objectives.add_objective(actor, data)
            return {"objective": objective, "duplicate": not created}
        return self._call(run, limit="post")

    def on_edit_objective(self, data):
        """{id, text}. Ack: {ok, objective}."""
        return self._call(lambda actor: {"objective": objectives.edit_objective(actor, data)},
                          limit="post")

    def on_delete_objective(self, data):
        """{id}. Ack: {ok, objective}."""
        return self._call(lambda actor: {"objective": objectives.delete_objective(actor, data)})

    def on_add_key_result(self, data):
        """{client_id, objective_id, metric, baseline?, target, unit, deadline, owner, accept_vague?}."""
        def run(actor):
            objective, created = objectives.add_key_result(actor, data)
            return {"objective": objective, "duplicate": not created}
        return self._call(run, limit="post")

    def on_delete_key_result(self, data):
        """{id}. Ack: {ok, objective}."""
        return self._call(lambda actor: {"objective": objectives.delete_key_result(actor, data)})

    # -- tact 8: the final decks ---------------------------------------------------------------
    def on_assemble_deck(self, data):
        """The group: {item_id, group_id}: assemble the deck from the data, or refresh it.
        Ack: {ok, deck, created}."""
        def run(actor):
            deck, created = decks.assemble(actor, data)
            return {"deck": deck, "created": created}
        return self._call(run, limit="board")

    def on_edit_slide(self, data):
        """The group: {id, title, body, base (the slide's text_rev)}. Ack: {ok, slide}."""
        return self._call(lambda actor: {"slide": decks.edit_slide(actor, data)}, limit="board")

    def on_add_slide(self, data):
        """The group: {client_id, deck_id, title, body[, after]}. Ack: {ok, deck, duplicate}."""
        def run(actor):
            deck, created = decks.add_slide(actor, data)
            return {"deck": deck, "duplicate": not created}
        return self._call(run, limit="board")

    def on_delete_slide(self, data):
        """The group: {id}. Ack: {ok, slide}."""
        return self._call(lambda actor: {"slide": decks.delete_slide(actor, data)}, limit="board")

    def on_move_slide(self, data):
        """The group: {id, position}. Ack: {ok, deck}."""
        return self._call(lambda actor: {"deck": decks.move_slide(actor, data)}, limit="board")

    def on_present_deck(self, data):
        """Chief moderator, or the group's moderator: {group_id, index}. Ack: {ok, projector}."""
        return self._call(lambda actor: {"projector": decks.present(actor, data)})

    def on_reveal_results(self, data):
        """Chief moderator: {revealed: bool}. Ack: {ok, results}."""
        return self._call(lambda actor: {"results": experts.reveal(
            actor, bool(_get(data, "revealed")))})

    def on_present(self, data):
        """Chief moderator: {item_id, group_id}. Ack: {ok, projector}."""
        return self._call(lambda actor: {"projector": agenda.present(
            actor, _get(data, "item_id"), _get(data, "group_id"))})

    def on_choose_team(self, data):
        """Participant: {team_id}: join a day-two team; the phone reconnects into it.

        Ack: {ok, me}; `participant.moved` reaches the moderators, the team and the projector.
        """
        return self._call(lambda actor: {"me": serialize.participant(
            teams.choose_team(actor, _get(data, "team_id")))}, limit="board")

    def on_tact(self, data):
        """A tact kind's own action: {kind, action, ...} from whoever the kind's service allows
        (its `actions` hook, docs/PROTOCOL.md). Ack: {ok, ...} as the action returns."""
        from ..services.errors import Invalid
        from ..tacts import KINDS
        kind = KINDS.get(_get(data, "kind"))
        found = kind.actions().get(_get(data, "action")) if kind is not None else None
        if found is None:
            def unknown(actor):
                raise Invalid()
            return self._call(unknown)
        fn, limit = found
        return self._call(lambda actor: fn(actor, data), limit=limit)

    def on_remove_participant(self, data):
        """Moderator → server: {participant_id}. Ack: {ok}."""
        def run(actor):
            participants.remove_participant(actor, _get(data, "participant_id"))
            return {}
        return self._call(run)


# Payload fields that are lists in docs/PROTOCOL.md (of plain values); no field is an object.
_LIST_FIELDS = frozenset({"values", "selection_ids"})
_INT_LIMIT = 2 ** 63 - 1  # the databases' BIGINT


def _well_formed(data):
    """One object whose values are plain: None, bool, a finite number within 64 bits, text
    that is valid Unicode (no lone surrogates), or a list of those where the protocol has one."""
    if not isinstance(data, dict):
        return False
    return all(isinstance(key, str) and (
        all(_plain(v) for v in value) if isinstance(value, list) and key in _LIST_FIELDS
        else _plain(value)) for key, value in data.items())


def _plain(value):
    if value is None or isinstance(value, bool):
        return True
    if isinstance(value, int):
        return -_INT_LIMIT <= value <= _INT_LIMIT
    if isinstance(value, float):
        return math.isfinite(value) and abs(value) <= _INT_LIMIT
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    return False


def _get(data, key):
    return data.get(key) if isinstance(data, dict) else None
