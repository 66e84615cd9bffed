// Day-two regrouping on the projector (the whole hall): the teams the moderators formed, each
// with its initiatives (and the groups they come from) and how many people have joined, and how
// many are still without a team. Counts follow participant.moved events (store.members).
import { t } from "../i18n.js";
import { el, fill } from "../dom.js";

export const TEAMS_VIEW = "teams";


export function renderTeams(view, store) {
  const { open, teams } = store.teams;
  const teamIds = new Set(teams.map((x) => x.id));
  const count = new Map();
  let waiting = 0;
  for (const m of store.board.members) {
    if (teamIds.has(m.group_id)) count.set(m.group_id, (count.get(m.group_id) || 0) + 1);
    else waiting += 1;
  }
  view.title.textContent = t("tm_title");
  view.frame.textContent = teams.length ? (open ? t("tm_join_on_phone") : t("tm_preview")) : t("tm_forming");
  view.meta.textContent = teams.length ? fill("tm_waiting_n", { n: waiting }) : "";
  const sig = JSON.stringify([teams, [...count]]);
  if (view.parts.sig === sig) return;
  view.parts.sig = sig;
  const grid = el("div", "pj-teams");
  grid.dataset.n = String(teams.length);
  for (const team of teams) {
    const card = el("article", "pj-team");
    card.dataset.teamId = String(team.id);
    const head = el("div", "pj-team-head");
    head.append(el("h3", "pj-team-name", team.name),
      el("span", "pj-team-count", fill("tm_members_n", { n: count.get(team.id) || 0 })));
    const list = el("ul", "pj-team-inis");
    for (const ini of team.initiatives) {
      const li = el("li", "", ini.name);
      li.append(el("span", "pj-team-from", fill("tm_from_group", { group: ini.group_name })));
      list.append(li);
    }
    card.append(head, list);
    grid.append(card);
  }
  view.body.replaceChildren(grid);
}
