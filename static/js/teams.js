// The day-two teams page: the server renders it; this keeps who is where and the waiting
// count current while phones choose, without touching the forms the moderator is filling in.
import { Live } from "./live.js";

const root = document.getElementById("teams-page");
let pending = null;

async function refresh() {
  pending = null;
  const response = await fetch(window.location.pathname, { credentials: "same-origin" });
  if (!response.ok) return;
  const fresh = new DOMParser().parseFromString(await response.text(), "text/html");
  for (const part of document.querySelectorAll("[data-live]")) {
    const next = fresh.querySelector(`[data-live="${part.dataset.live}"]`);
    if (next && !part.contains(document.activeElement)) part.replaceWith(next);
  }
}

// eslint-disable-next-line no-new
new Live({
  sessionId: Number(root.dataset.sessionId), role: "staff",
  onSnapshot: () => {},
  onEvent: (ev) => {
    if (!ev.type.startsWith("participant.") && !ev.type.startsWith("group.")) return;
    clearTimeout(pending);
    pending = setTimeout(refresh, 400);
  },
});
