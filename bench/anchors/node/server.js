// The Node anchor: socket.io (Engine.IO 4 / Socket.IO 5, the protocol the app speaks) doing the
// app's fan-out. Phones connect to /live and join one room; a `reveal_card` from the moderator
// is broadcast to that room as {type: "card.updated", rev, data: <the card the trigger carries>},
// the app's event shape, and acked. `sync` is answered with nothing to replay.
//     PORT=8766 node bench/anchors/node/server.js
"use strict";
const http = require("http");
const { Server } = require("socket.io");

const port = Number(process.env.PORT || 8766);
const httpServer = http.createServer();
// The app's settings: ping every 10 s, no per-message compression, 16 KiB messages.
const io = new Server(httpServer, {
  transports: ["websocket", "polling"],
  pingInterval: 10000,
  pingTimeout: 10000,
  perMessageDeflate: false,
  maxHttpBufferSize: 16 * 1024,
});
const live = io.of("/live");
let rev = 0;

live.on("connection", (socket) => {
  socket.join("s");
  socket.on("sync", (_data, ack) => {
    if (typeof ack === "function") ack({ ok: true, rev, events: [] });
  });
  socket.on("reveal_card", (data, ack) => {
    rev += 1;
    const card = Object.assign({}, (data && data.card) || { kind: data.kind, id: data.id });
    card.rev = rev;
    socket.to("s").emit("event", { type: "card.updated", rev, data: card });
    if (typeof ack === "function") ack({ ok: true, card });
  });
});

httpServer.listen(port, "127.0.0.1", () => {
  console.log(`node socket.io anchor on http://127.0.0.1:${port}/ (socket.io ${require("socket.io/package.json").version})`);
});
