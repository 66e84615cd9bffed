"""Per-participant rate limits on socket events, with the `limits` library.

`limits`' in-memory storage expires entries from a timer thread that, every 10 ms while hits
come in, walks every key under a lock. With a hall of 1,000 participants (one key each) under
eventlet that scan became the server's main cost (bench/stakes.py: seconds of latency). The
storage below keeps the library's moving-window logic and expires lazily instead: a key's
entries beyond its limit are dropped when that key is hit. Redis storage
(`RATELIMIT_STORAGE_URI=redis://…`, several processes) is used as it is.
"""
from limits import parse
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import MovingWindowRateLimiter


class LazyMemoryStorage(MemoryStorage):
    """MemoryStorage without the expiry thread; `memory://` URIs map here."""

    STORAGE_SCHEME = ["lazy-memory"]

    def __init__(self, uri=None, wrap_exceptions=False, **options):
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)
        self.timer.cancel()
        self.timer.join(1)

    def _MemoryStorage__schedule_expiry(self):  # noqa: N802 — replaces the private timer start
        """No timer: entries are trimmed per key in `acquire_entry`."""

    def acquire_entry(self, key, limit, expiry, amount=1):
        acquired = super().acquire_entry(key, limit, expiry, amount)
        events = self.events.get(key)
        if events is not None and len(events) > limit:
            del events[limit:]  # the window never looks further back than `limit` entries
        return acquired


class ParticipantLimiter:
    """`allow(what, participant_id, rate)`: a moving window per participant and kind of event."""

    def __init__(self, storage_uri):
        if storage_uri.startswith("memory://"):
            storage = LazyMemoryStorage()
        else:
            storage = storage_from_string(storage_uri)
        self.limiter = MovingWindowRateLimiter(storage)
        self.rates = {}

    def allow(self, what, participant_id, rate):
        item = self.rates.get(rate) or self.rates.setdefault(rate, parse(rate))
        return self.limiter.hit(item, what, str(participant_id))
