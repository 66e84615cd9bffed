"""Close a connection that sends a packet python-socketio cannot decode (not JSON, JSON nested
deeper than the parser goes, a stray binary frame). Left alone, the library logs a traceback and
keeps the connection open without an ack, so the client waits for an answer that never comes;
closed, the client reconnects and resends, as after a message over the size limit."""
import logging

log = logging.getLogger(__name__)


def close_on_undecodable(server):
    """Wrap `server`'s Engine.IO message handler (a python-socketio Server)."""
    handle = server._handle_eio_message

    def guarded(eio_sid, data):
        try:
            return handle(eio_sid, data)
        except (ValueError, TypeError, RecursionError) as exc:
            log.warning("closed a connection that sent an undecodable packet (%s)",
                        type(exc).__name__)
            server._binary_packet.pop(eio_sid, None)
            server.eio.disconnect(eio_sid)

    server.eio.on("message", guarded)
