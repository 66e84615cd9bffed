// The client's copy of what it may see, built from a snapshot and kept current by events.
// Every card carries the revision of its last change: an older copy never overwrites a newer.

export class Store {
  constructor() {
    this.session = null;
    this.items = new Map();
    this.groups = new Map();
    this.cards = new Map();
    this.currentItemId = null;
    this.projector = { mode: "join", group_id: null };
    this.me = null;
    this.listeners = new Set();
  }

  static key(card) { return `${card.kind}:${card.id}`; }

  subscribe(fn) { this.listeners.add(fn); }

  changed(what, data) { for (const fn of this.listeners) fn(what, data); }

  load(snap) {
    this.session = snap.session;
    this.items = new Map(snap.items.map((i) => [i.id, i]));
    this.groups = new Map(snap.groups.map((g) => [g.id, g]));
    this.cards = new Map(snap.cards.map((c) => [Store.key(c), c]));
    this.currentItemId = snap.current_item_id;
    this.projector = snap.projector || this.projector;
    if (snap.me) this.me = snap.me;
    this.changed("all");
  }

  putCard(card) {
    const key = Store.key(card);
    const old = this.cards.get(key);
    if (old && old.rev > card.rev) return;
    if (card.deleted) this.cards.delete(key);
    else this.cards.set(key, card);
    this.changed("card", card);
  }

  putItem(item) {
    this.items.set(item.id, item);
    this.changed("item", item);
  }

  apply(ev) {
    const d = ev.data;
    switch (ev.type) {
      case "card.created": case "card.updated": case "card.deleted":
        this.putCard(d); break;
      case "cards.revealed":
        for (const c of d.cards) this.putCard(c);
        break;
      case "item.changed": this.putItem(d); break;
      case "agenda.changed":
        this.currentItemId = d.current_item_id;
        for (const i of d.items) this.items.set(i.id, i);
        this.changed("agenda");
        break;
      case "projector.changed": this.projector = d; this.changed("projector"); break;
      case "group.changed": this.groups.set(d.id, d); this.changed("groups"); break;
      case "group.deleted": this.groups.delete(d.id); this.changed("groups"); break;
      case "session.changed": this.session = { ...this.session, ...d }; this.changed("session"); break;
      case "participant.moved": case "participant.removed":
        if (this.me && this.me.id === d.id) { this.me = d; this.changed("me"); }
        this.changed("participant", d);
        break;
      case "participant.joined": this.changed("participant", d); break;
      default: this.changed(ev.type, d);
    }
  }

  get current() { return this.items.get(this.currentItemId) || null; }

  // Cards of one item (and optionally one group), oldest first.
  cardsOf(itemId, groupId) {
    return [...this.cards.values()]
      .filter((c) => c.item_id === itemId && (groupId == null || c.group_id === groupId))
      .sort((a, b) => a.id - b.id);
  }

  // Every idea of every brainstorm item: List A.
  listA() {
    return [...this.cards.values()].filter((c) => c.kind === "idea").sort((a, b) => a.id - b.id);
  }

  // The latest started item (current or done) of a kind, or matching a predicate: the board
  // to show between tacts.
  latestItemOf(kindOrTest) {
    const test = typeof kindOrTest === "function" ? kindOrTest : (i) => i.kind === kindOrTest;
    const started = [...this.items.values()]
      .filter((i) => test(i) && i.state !== "pending")
      .sort((a, b) => b.position - a.position);
    return started[0] || null;
  }
}
