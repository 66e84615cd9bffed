"""The floor: a raw `websockets` broadcast server speaking just enough Engine.IO 4 / Socket.IO 5
for the bench's lean phones and moderator (open packet, namespace connect, acks, pings
answered by the phones). A `reveal_card` from the moderator builds the event frame once and
`websockets.broadcast`s it to every connection, in the same shape the app sends:
`42/live,["event",{"type":"card.updated","rev":N,"data":<the card the trigger carries>}]`.

    PORT=8765 python bench/anchors/raw_ws.py
"""
import asyncio
import json
import os
import uuid

from websockets.asyncio.server import broadcast, serve

PHONES = set()
REV = 0


def open_packet():
    return "0" + json.dumps({"sid": uuid.uuid4().hex, "upgrades": [], "pingInterval": 25000,
                             "pingTimeout": 20000, "maxPayload": 1000000})


async def handler(ws):
    global REV
    await ws.send(open_packet())
    try:
        async for text in ws:
            if not isinstance(text, str):
                continue
            if text.startswith("40/live"):
                await ws.send('40/live,{"sid":"%s"}' % uuid.uuid4().hex)
                PHONES.add(ws)
            elif text.startswith("42/live,"):
                body = text[len("42/live,"):]
                ack_id, _, payload = body.partition("[")
                event, data = json.loads("[" + payload)
                if event == "reveal_card":
                    REV += 1
                    card = dict(data.get("card") or {"kind": data.get("kind"), "id": data.get("id")})
                    card["rev"] = REV
                    frame = '42/live,["event",' + json.dumps(
                        {"type": "card.updated", "rev": REV, "data": card},
                        separators=(",", ":")) + "]"
                    broadcast(PHONES - {ws}, frame)
                    reply = {"ok": True, "card": card}
                else:  # sync and anything else: nothing to replay
                    reply = {"ok": True, "rev": REV, "events": []}
                if ack_id:
                    await ws.send(f"43/live,{ack_id}[" + json.dumps(reply) + "]")
    finally:
        PHONES.discard(ws)


async def main():
    port = int(os.environ.get("PORT", "8765"))
    async with serve(handler, "127.0.0.1", port, compression=None, max_queue=None,
                     ping_interval=None):
        await asyncio.get_running_loop().create_future()


if __name__ == "__main__":
    asyncio.run(main())
