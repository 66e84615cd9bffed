"""The one place that emits Socket.IO events; services call it after their commit."""
from ..extensions import socketio

NAMESPACE = "/live"


def publish(events):
    """Emit committed events, in revision order, each to its rooms as {type, rev, data}."""
    for event in sorted(events, key=lambda e: e["rev"]):
        socketio.emit("event", {"type": event["type"], "rev": event["rev"], "data": event["data"]},
                      to=event["rooms"], namespace=NAMESPACE)
