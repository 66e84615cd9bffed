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
    this.board = Store.emptyBoard();
    this.teams = { open: false, teams: [] }; // day-two teams (docs/PROTOCOL.md, "Day-two teams")
    this.results = null; // the expert session's results table (docs/PROTOCOL.md, "Expert session")
    // Tact 8: decks by id (without their slides) and slides by id (docs/PROTOCOL.md, "Tact 8").
    this.decks = new Map();
    this.slides = new Map();
    // Tact kinds' own data, from their snapshot hook (docs/PROTOCOL.md, "A kind's own data"):
    // kind -> {name: Map(id -> row) for a list of rows, else the value as sent}.
    this.tacts = {};
    this.listeners = new Set();
  }

  // Tacts 3–5 (docs/PROTOCOL.md, "Tacts 3–5"): rows by id, derived data by its key.
  static emptyBoard() {
    return {
      boards: new Map(), selections: new Map(), initiatives: new Map(), stakes: new Map(),
      mine: new Map(), stakeholders: new Map(), flows: new Map(), balances: new Map(),
      requests: new Map(), objectives: new Map(), members: [],
    };
  }

  static boardKey(itemId, groupId) { return `${itemId}:${groupId}`; }

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
    this.loadBoard(snap.board);
    this.decks = new Map();
    this.slides = new Map();
    for (const d of snap.decks || []) this.putDeck(d);
    this.results = snap.results || null;
    this.teams = snap.teams || { open: false, teams: [] };
    this.loadTacts(snap.tacts);
    this.changed("all");
  }

  loadTacts(tacts) {
    this.tacts = {};
    for (const [kind, part] of Object.entries(tacts || {})) {
      const own = {};
      for (const [name, value] of Object.entries(part || {})) {
        own[name] = Array.isArray(value)
          ? new Map(value.filter((r) => !r.deleted).map((r) => [r.id, r])) : value;
      }
      this.tacts[kind] = own;
    }
  }

  // A row of a kind's own list (an event "<kind>.<list>", or an ack): the newest copy wins.
  putTactRow(kind, name, row) {
    if (!this.tacts[kind]) this.tacts[kind] = {};
    if (!(this.tacts[kind][name] instanceof Map)) this.tacts[kind][name] = new Map();
    return this.putRow(this.tacts[kind][name], row);
  }

  // The rows of a kind's own list, optionally filtered.
  tactRows(kind, name, test = () => true) {
    const rows = this.tacts[kind] && this.tacts[kind][name];
    return rows instanceof Map ? [...rows.values()].filter(test) : [];
  }

  putCard(card) {
    const key = Store.key(card);
    const old = this.cards.get(key);
    if (old && old.rev > card.rev) return;
    if (card.deleted) this.cards.delete(key);
    else this.cards.set(key, card);
    this.changed("card", card);
  }

  loadBoard(b) {
    const board = Store.emptyBoard();
    if (b) {
      const key = (x) => Store.boardKey(x.item_id, x.group_id);
      for (const x of b.boards || []) board.boards.set(key(x), x);
      for (const x of b.selections || []) if (!x.deleted) board.selections.set(x.id, x);
      for (const x of b.initiatives || []) if (!x.deleted) board.initiatives.set(x.id, x);
      for (const x of b.stakes || []) board.stakes.set(key(x), x);
      for (const x of b.mine || []) board.mine.set(key(x), x);
      for (const x of b.stakeholders || []) if (!x.deleted) board.stakeholders.set(x.id, x);
      for (const x of b.flows || []) if (!x.deleted) board.flows.set(x.id, x);
      for (const x of b.balances || []) board.balances.set(x.initiative_id, x);
      for (const x of b.requests || []) if (!x.deleted) board.requests.set(x.id, x);
      for (const x of b.objectives || []) if (!x.deleted) board.objectives.set(x.id, x);
      board.members = b.members || [];
    }
    this.board = board;
  }

  // Keep the newest copy of a row (by its rev); a deleted row leaves the map.
  putRow(map, row) {
    const old = map.get(row.id);
    if (old && old.rev > row.rev) return false;
    if (row.deleted) map.delete(row.id);
    else map.set(row.id, row);
    return true;
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
        // The program builder removes items ahead (docs/PROTOCOL.md, `agenda.changed`).
        for (const id of d.removed || []) this.items.delete(id);
        this.changed("agenda");
        break;
      case "projector.changed": this.projector = d; this.changed("projector"); break;
      case "group.changed": {
        const added = !this.groups.has(d.id);
        this.groups.set(d.id, d);
        this.changed("groups");
        // A new group (a day-two team): staff connections join its rooms by reconnecting.
        if (added) this.changed("rooms", d);
        break;
      }
      case "group.deleted": this.groups.delete(d.id); this.changed("groups"); break;
      case "session.changed": this.session = { ...this.session, ...d }; this.changed("session"); break;
      case "participant.moved": case "participant.removed":
        if (this.me && this.me.id === d.id) { this.me = d; this.changed("me"); }
        this.putMember(d);
        this.changed("participant", d);
        break;
      case "participant.joined": this.putMember(d); this.changed("participant", d); break;
      case "teams.changed": this.teams = d; this.changed("teams", d); break;
      case "board.changed": {
        const key = Store.boardKey(d.item_id, d.group_id);
        const old = this.board.boards.get(key);
        if (!old || old.rev <= d.rev) this.board.boards.set(key, d);
        this.changed("board", d);
        break;
      }
      case "selection.changed": this.putRow(this.board.selections, d); this.changed("board", d); break;
      case "initiative.changed": this.putRow(this.board.initiatives, d); this.changed("board", d); break;
      case "stakeholder.changed": this.putRow(this.board.stakeholders, d); this.changed("board", d); break;
      case "flow.changed": this.putRow(this.board.flows, d); this.changed("board", d); break;
      case "stakes.changed":
        this.board.stakes.set(Store.boardKey(d.item_id, d.group_id), d); this.changed("board", d); break;
      case "stakes.mine":
        this.board.mine.set(Store.boardKey(d.item_id, d.group_id), d); this.changed("board", d); break;
      case "balance.changed": this.board.balances.set(d.initiative_id, d); this.changed("board", d); break;
      case "request.changed": this.putRow(this.board.requests, d); this.changed("board", d); break;
      case "objective.changed": this.putRow(this.board.objectives, d); this.changed("board", d); break;
      case "deck.changed": this.putDeck(d); this.changed("deck", d); break;
      case "slide.changed": this.putRow(this.slides, d); this.changed("deck", d); break;
      case "results.changed":
        // Phones and projectors get `{revealed: false}` when hidden again; staff the whole table.
        this.results = d;
        this.changed("results", d);
        break;
      default: {
        // "<kind>.<list>": one row of a kind's own list (see loadTacts).
        const [kind, name] = ev.type.split(".");
        if (this.tacts[kind] && this.tacts[kind][name] instanceof Map) {
          this.putTactRow(kind, name, d);
          this.changed("tact", d);
          break;
        }
        this.changed(ev.type, d);
      }
    }
  }

  // -- tacts 3–5 -----------------------------------------------------------------------
  // A group board's settings, with the defaults the server uses until they are changed.
  boardOf(itemId, groupId) {
    return this.board.boards.get(Store.boardKey(itemId, groupId)) || {
      item_id: itemId, group_id: groupId, budget: 5, staking: "closed", totals_revealed: false,
      list_b_locked: false, participants_cluster: false, top_n: 3, rev: 0,
    };
  }

  // The groups that work now, in order: the day-two teams once formed, else the subject groups.
  activeGroups() {
    const all = [...this.groups.values()].sort((a, b) => (a.position ?? 0) - (b.position ?? 0) || a.id - b.id);
    const teams = all.filter((g) => g.stage === 2);
    return teams.length ? teams : all;
  }

  // Whether a group is a day-two team (formed around initiatives of several groups).
  isTeam(groupId) { const g = this.groups.get(groupId); return Boolean(g && g.stage === 2); }

  // The group's live initiatives, in board order; a team's are those it took over.
  initiativesOf(groupId) {
    if (this.isTeam(groupId)) {
      return [...this.board.initiatives.values()].filter((x) => x.team_group_id === groupId)
        .sort((a, b) => a.group_id - b.group_id || a.position - b.position || a.id - b.id);
    }
    return [...this.board.initiatives.values()].filter((x) => x.group_id === groupId)
      .sort((a, b) => a.position - b.position || a.id - b.id);
  }

  // The group's taken ideas in one initiative (or, with null, the pool not yet clustered).
  selectionsOf(groupId, initiativeId) {
    return [...this.board.selections.values()]
      .filter((x) => x.group_id === groupId && (x.initiative_id ?? null) === (initiativeId ?? null))
      .sort((a, b) => a.position - b.position || a.id - b.id);
  }

  idea(ideaId) { return this.cards.get(`idea:${ideaId}`) || null; }

  stakesOf(itemId, groupId) { return this.board.stakes.get(Store.boardKey(itemId, groupId)) || null; }

  mineOf(itemId, groupId) { return this.board.mine.get(Store.boardKey(itemId, groupId)) || null; }

  // The group's List B: from the latest started clustering item's stakes (ranked by the server).
  listB(groupId) {
    if (this.isTeam(groupId)) return this.teamListB(groupId);
    const item = this.latestItemOf("clustering");
    const stakes = item ? this.stakesOf(item.id, groupId) : null;
    if (stakes) return stakes.list_b;
    return this.initiativesOf(groupId).map((x) => ({
      initiative_id: x.id, name: x.name, total: null, rank: null, tie: false,
    }));
  }

  // A team's initiatives with the places they won in the List B of the groups that made them.
  teamListB(teamId) {
    const item = this.latestItemOf("clustering");
    return this.initiativesOf(teamId).map((x) => {
      const stakes = item ? this.stakesOf(item.id, x.group_id) : null;
      const row = stakes && stakes.list_b.find((r) => r.initiative_id === x.id);
      return { initiative_id: x.id, name: x.name, total: null, rank: null, tie: false, ...row,
        group_id: x.group_id };
    });
  }

  // The initiatives tacts 4 and 5 work on: List B's top (server-computed), else all of them.
  // A team works on every initiative it took over.
  focusOf(groupId) {
    if (this.isTeam(groupId)) return this.initiativesOf(groupId);
    const item = this.latestItemOf("clustering");
    const stakes = item ? this.stakesOf(item.id, groupId) : null;
    const ids = stakes ? stakes.focus : this.initiativesOf(groupId).map((x) => x.id);
    return ids.map((id) => this.board.initiatives.get(id)).filter(Boolean);
  }

  stakeholdersOf(initiativeId) {
    return [...this.board.stakeholders.values()].filter((x) => x.initiative_id === initiativeId)
      .sort((a, b) => a.id - b.id);
  }

  flowsOf(initiativeId) {
    return [...this.board.flows.values()].filter((x) => x.initiative_id === initiativeId)
      .sort((a, b) => a.id - b.id);
  }

  balanceOf(initiativeId) { return this.board.balances.get(initiativeId) || null; }

  // -- tacts 6–7 -----------------------------------------------------------------------
  // Requests a group sent (`"out"`) or received (`"in"`), newest first.
  requestsOf(groupId, direction) {
    const key = direction === "out" ? "from_group_id" : "to_group_id";
    return [...this.board.requests.values()].filter((r) => r[key] === groupId)
      .sort((a, b) => b.id - a.id);
  }

  // Every request between two groups (the projector's matrix cell), oldest first.
  requestsBetween(fromId, toId) {
    return [...this.board.requests.values()]
      .filter((r) => r.from_group_id === fromId && r.to_group_id === toId)
      .sort((a, b) => a.id - b.id);
  }

  // The participants of a group (owners of key results), kept current by participant events.
  membersOf(groupId) { return this.board.members.filter((m) => m.group_id === groupId); }

  putMember(p) {
    const rest = this.board.members.filter((m) => m.id !== p.id);
    if (!p.removed) rest.push({ id: p.id, display_name: p.display_name, group_id: p.group_id });
    this.board.members = rest.sort((a, b) => a.display_name.localeCompare(b.display_name));
  }

  objectivesOf(initiativeId) {
    return [...this.board.objectives.values()].filter((o) => o.initiative_id === initiativeId)
      .sort((a, b) => a.id - b.id);
  }

  // -- tact 8 ---------------------------------------------------------------------------
  // A whole deck (with its live slides): a newer copy replaces the deck and drops the slides it
  // no longer holds; each slide still keeps its newest copy by its own rev.
  putDeck(deck) {
    const old = this.decks.get(deck.id);
    if (old && old.rev > deck.rev) return;
    const { slides, ...row } = deck;
    this.decks.set(deck.id, row);
    const ids = new Set((slides || []).map((s) => s.id));
    for (const [id, s] of this.slides) if (s.deck_id === deck.id && !ids.has(id) && s.rev <= deck.rev) this.slides.delete(id);
    for (const s of slides || []) this.putRow(this.slides, s);
  }

  deckOf(itemId, groupId) {
    return [...this.decks.values()].find((d) => d.item_id === itemId && d.group_id === groupId) || null;
  }

  // The group's deck of the latest deck item that has one (the one the projector presents).
  latestDeckOf(groupId) {
    const pos = (d) => (this.items.get(d.item_id) || { position: -1 }).position;
    return [...this.decks.values()].filter((d) => d.group_id === groupId)
      .sort((a, b) => pos(b) - pos(a))[0] || null;
  }

  slidesOf(deckId) {
    return [...this.slides.values()].filter((s) => s.deck_id === deckId)
      .sort((a, b) => a.position - b.position || a.id - b.id);
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
