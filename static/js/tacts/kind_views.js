// Views of tact kinds that bring their own scripts (facilitation/tacts/base.py `views`): an item's
// `views` names, per audience, a module file in this folder, and optionally `css`, a style sheet
// in static/css/tacts/, and `tab`, the JS string key of its tab on the group moderator's board.
// Audiences and their hosts:
//   phone      phone_tacts.js, in the #tact slot; ctx {store, live, writes, meId, group, refresh}
//   board      board_tacts.js, a tab of the group moderator's board; ctx: the board's (store, live,
//              groupId, notice, announce, shared, listB(), focus(), ...)
//   projector  projector.js: a kind of the whole hall owns #pj-work (every mode but join, timer,
//              results and deck), ctx {store, live, root}; a kind of the groups' work (item scope
//              "groups") shows like a group's board (mode "group"), under the group's name,
//              ctx {store, live, root, group, markNew(node, key)}
//   console    moderator.js, a panel above the chief's board; ctx {store, live}
// A module is imported once, on first use; until it has loaded, kindView() answers null and
// calls onLoad() when it has (the host then renders again). A module exports, per audience,
// `PhoneView`, `BoardView`, `ProjectorView`, `ConsoleView`, or `View` (one module per audience):
// `class { constructor(ctx, item); node; update(item); destroy(); onAck?(entry, ack) }`.
// A kind's outbox writes go as the event `tact` {kind, action, ...}; their acks go to the mounted
// view of that kind only (kindAck).
const FILE = /^[a-z0-9_]+\.(js|css)$/;
const EXPORTS = { phone: "PhoneView", board: "BoardView", projector: "ProjectorView", console: "ConsoleView" };
const modules = new Map();
const sheets = new Set();

// The View class of `item`'s kind for `audience`, or null (none, or not loaded yet).
export function kindView(item, audience, onLoad) {
  const views = item && item.views;
  const file = views && views[audience];
  if (!file || !FILE.test(file) || !EXPORTS[audience]) return null;
  if (views.css && FILE.test(views.css) && !sheets.has(views.css)) {
    sheets.add(views.css);
    const link = document.createElement("link");
    link.rel = "stylesheet";
    link.href = new URL(`../../css/tacts/${views.css}`, import.meta.url).href;
    document.head.append(link);
  }
  const entry = modules.get(file);
  if (!entry) {
    const fresh = { module: null };
    modules.set(file, fresh);
    import(`./${file}`).then((m) => { fresh.module = m; onLoad(); })
      .catch(() => { modules.delete(file); });
    return null;
  }
  if (!entry.module) return null;
  return entry.module[EXPORTS[audience]] || entry.module.View || null;
}

export function hasKindView(item, audience) {
  return Boolean(item && item.views && item.views[audience]);
}

// The JS string key of the kind's tab (or heading), or null.
export function kindTab(item) {
  return (item && item.views && item.views.tab) || null;
}

// Route the ack of an outbox write: a `tact` write goes to `viewOf(kind)` (the mounted view of
// the kind its payload names, or null), never to another kind's view; with no such view (the item
// changed, the module is still loading), a refusal goes to `refused(entry, error, ack)`. Returns
// false for other events.
export function kindAck(entry, ack, viewOf, refused) {
  if (!entry || entry.event !== "tact") return false;
  const kind = entry.payload ? entry.payload.kind : null;
  const view = kind ? viewOf(kind) : null;
  if (view && view.onAck) view.onAck(entry, ack);
  else if (!(ack && ack.ok)) refused(entry, (ack && ack.error) || "", ack);
  return true;
}
