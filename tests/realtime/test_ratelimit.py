"""Per-participant limits: exact counts, separate per participant, no expiry thread."""
import uuid

from facilitation.realtime.publish import NAMESPACE as NS
from facilitation.realtime.ratelimit import LazyMemoryStorage, ParticipantLimiter

from ..factories import advance_to


def test_moving_window_allows_exactly_the_rate_per_participant():
    limiter = ParticipantLimiter("memory://")
    assert isinstance(limiter.limiter.storage, LazyMemoryStorage)
    assert not limiter.limiter.storage.timer.is_alive()
    first = [limiter.allow("post", 1, "30 per minute") for _ in range(40)]
    assert first.count(True) == 30 and first[30:] == [False] * 10
    assert limiter.allow("post", 2, "30 per minute")  # another participant is not blocked
    assert limiter.allow("board", 1, "30 per minute")  # another kind of event neither
    assert len(limiter.limiter.storage.events["LIMITER/post/1/30/1/minute"]) <= 30


def test_a_flooding_phone_is_refused_with_a_message(app, world, live):
    app.config["POST_LIMIT_PER_PARTICIPANT"] = "5 per minute"
    item = advance_to(world.chief, world.session.id, "brainstorm")
    phone, other = live(participant=world.phones[0]), live(participant=world.phones[2])
    acks = [phone.emit("post_card", {"client_id": str(uuid.uuid4()), "item_id": item.id,
                                     "text": f"Идея {n}"}, namespace=NS, callback=True)
            for n in range(8)]
    assert [a["ok"] for a in acks] == [True] * 5 + [False] * 3
    assert acks[-1]["code"] == "rate_limited" and acks[-1]["error"]
    ack = other.emit("post_card", {"client_id": str(uuid.uuid4()), "item_id": item.id,
                                   "text": "Другая идея"}, namespace=NS, callback=True)
    assert ack["ok"]
