"""The item timer: a duration, time already run, and when it last started running."""
from ..models.base import utcnow


def remaining_seconds(item, now=None):
    """Seconds left on the item's timer (negative when overrun)."""
    now = now or utcnow()
    elapsed = item.timer_elapsed_s or 0.0
    if item.timer_started_at is not None:
        elapsed += (now - item.timer_started_at).total_seconds()
    return item.timer_duration_s - elapsed


def timer_state(item, now=None):
    """The timer as clients need it: remaining at `server_now`, and whether it runs."""
    now = now or utcnow()
    from .serialize import iso
    return {
        "duration_s": item.timer_duration_s,
        "remaining_s": round(remaining_seconds(item, now), 1),
        "running": item.timer_started_at is not None,
        "server_now": iso(now),
    }


def pause(item, now=None):
    """Stop the clock, keeping the time already run."""
    now = now or utcnow()
    if item.timer_started_at is not None:
        item.timer_elapsed_s = (item.timer_elapsed_s or 0.0) + (
            now - item.timer_started_at).total_seconds()
        item.timer_started_at = None


def start(item, now=None):
    """Run the clock from where it stopped."""
    if item.timer_started_at is None:
        item.timer_started_at = now or utcnow()
