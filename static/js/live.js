// The live client shared by every view: connect, sync by revision, apply events, and an
// outbox that keeps unacknowledged writes in localStorage and resends them after a drop.
// Protocol: docs/PROTOCOL.md.

const ACK_TIMEOUT_MS = 8000;

export function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export class Live {
  // opts: {sessionId, role: "participant"|"staff"|"projector", key, outboxKey,
  //        onSnapshot(snap), onEvent(ev), onStatus(status), onAck(entry, ack)}
  constructor(opts) {
    this.opts = opts;
    this.rev = -1;
    this.floor = -1;
    this.seen = new Set();
    this.syncing = true; // until the first sync: live events wait in the buffer
    this.synced = false; // this connection got its sync with the connect (`synced`)
    this.buffer = [];
    this.outboxKey = opts.outboxKey || null;
    this.inflight = new Set();
    this.status = "connecting";
    const auth = { session_id: opts.sessionId, role: opts.role };
    if (opts.key) auth.key = opts.key;
    // `sticky` rides on every Engine.IO request (polling included): behind several app
    // processes nginx hashes it to pick one, so a phone's requests all reach the process that
    // holds its session, while a hall behind one NAT address still spreads (docs/DEPLOY.md).
    // A new random value per page: it need only last one connection, and tracks nobody.
    // eslint-disable-next-line no-undef
    // The handshake carries the last revision applied (read at every attempt): the server
    // answers with `synced` as the connection's first event, so a reconnect needs no second
    // round trip. `synced` arrives before `connect` fires (the client holds events until the
    // namespace is connected); a server that sends none is asked with `sync`.
    this.socket = io("/live", {
      auth: (cb) => cb({ ...auth, rev: this.rev }),
      transports: ["websocket", "polling"], reconnectionDelayMax: 4000,
      query: { sticky: uuid() },
    });
    this.socket.on("synced", (answer) => {
      if (!answer || !answer.ok) return;
      this.synced = true;
      this.applySync(answer);
    });
    this.socket.on("connect", () => { if (!this.synced) this.sync(); });
    this.socket.on("disconnect", () => {
      this.synced = false;
      this.syncing = true;
      this.setStatus("offline");
    });
    this.socket.on("connect_error", () => this.setStatus("offline"));
    this.socket.on("event", (ev) => this.receive(ev));
    window.addEventListener("online", () => { if (!this.socket.connected) this.socket.connect(); });
  }

  setStatus(status) {
    this.status = status;
    if (this.opts.onStatus) this.opts.onStatus(status);
  }

  sync() {
    this.syncing = true;
    this.setStatus("syncing");
    this.socket.timeout(ACK_TIMEOUT_MS).emit("sync", { rev: this.rev }, (err, ack) => {
      if (err || !ack || !ack.ok) {
        this.syncing = false;
        if (ack && ack.code === "forbidden" && this.opts.onForbidden) this.opts.onForbidden(ack);
        else setTimeout(() => { if (this.socket.connected) this.sync(); }, 1500);
        return;
      }
      this.applySync(ack);
    });
  }

  // The answer to a sync (an ack of `sync`, or `synced` with the connect): the missed events
  // or a snapshot, then the live events that waited meanwhile, then the outbox goes out.
  applySync(ack) {
    if (ack.snapshot) {
      this.floor = ack.rev;
      this.seen = new Set();
      this.opts.onSnapshot(ack.snapshot);
    } else {
      for (const ev of ack.events) this.apply(ev);
      if (ack.timer && this.opts.onTimer) this.opts.onTimer(ack.timer);
    }
    this.rev = Math.max(this.rev, ack.rev);
    const buffered = this.buffer.sort((a, b) => a.rev - b.rev);
    this.buffer = [];
    this.syncing = false;
    for (const ev of buffered) this.apply(ev);
    this.setStatus("online");
    this.flush();
  }

  receive(ev) {
    if (this.syncing) this.buffer.push(ev);
    else this.apply(ev);
  }

  // Each revision is applied once: a replayed event that also arrived live, or one already
  // contained in a snapshot (rev <= floor), is skipped.
  apply(ev) {
    if (ev.rev <= this.floor || this.seen.has(ev.rev)) return;
    this.seen.add(ev.rev);
    if (this.seen.size > 5000) this.seen = new Set([...this.seen].slice(-2000));
    this.rev = Math.max(this.rev, ev.rev);
    this.opts.onEvent(ev);
  }

  // -- writes -------------------------------------------------------------------------
  outbox() {
    if (!this.outboxKey) return [];
    try { return JSON.parse(localStorage.getItem(this.outboxKey) || "[]"); } catch { return []; }
  }

  saveOutbox(list) {
    if (this.outboxKey) localStorage.setItem(this.outboxKey, JSON.stringify(list));
  }

  // Queue a write that must survive a drop or a reload (a create with its client id). `key`
  // names a write that a newer one replaces while unsent (an absolute value such as a stake).
  enqueue(event, payload, key) {
    const entry = { id: key || payload.client_id || uuid(), event, payload, at: Date.now() };
    const list = this.outbox().filter((e) => e.id !== entry.id);
    list.push(entry);
    this.saveOutbox(list);
    this.flush();
    return entry;
  }

  flush() {
    if (!this.socket.connected || this.syncing) return;
    for (const entry of this.outbox()) {
      if (this.inflight.has(entry.id)) continue;
      this.inflight.add(entry.id);
      this.socket.timeout(ACK_TIMEOUT_MS).emit(entry.event, entry.payload, (err, ack) => {
        this.inflight.delete(entry.id);
        if (err) return; // no answer: it stays in the outbox and goes again after reconnect
        // Remove this very entry; a newer one under the same key stays and goes next.
        const rest = this.outbox().filter((e) => !(e.id === entry.id && e.at === entry.at));
        this.saveOutbox(rest);
        if (this.opts.onAck) this.opts.onAck(entry, ack);
        if (rest.some((e) => e.id === entry.id)) this.flush();
      });
    }
  }

  // A write that is not kept across reloads (moderator actions): resolves with the ack.
  call(event, payload) {
    return new Promise((resolve) => {
      if (!this.socket.connected) { resolve({ ok: false, code: "offline" }); return; }
      this.socket.timeout(ACK_TIMEOUT_MS).emit(event, payload || {}, (err, ack) => {
        resolve(err ? { ok: false, code: "timeout" } : ack);
      });
    });
  }
}
