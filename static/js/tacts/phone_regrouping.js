// Day-two regrouping on a participant's phone (docs/PROTOCOL.md, "Day-two teams"): the teams
// the moderators formed, each with its initiatives; one tap joins a team, and the phone follows
// the participant there (phone.js reconnects when the group changes).
import { t } from "../i18n.js";
import { button, el, fill } from "./phone_common.js";

export class RegroupingView {
  constructor(ctx, item) {
    this.ctx = ctx;
    this.item = item;
    this.node = el("div", "ph-view ph-teams");
    this.joining = null;
    this.error = "";
  }

  destroy() {}

  async join(team) {
    this.joining = team.id;
    this.error = "";
    this.update();
    const ack = await this.ctx.live.call("choose_team", { team_id: team.id });
    this.joining = null;
    if (ack.ok) this.ctx.store.me = { ...this.ctx.store.me, ...ack.me };
    else {
      this.error = ack.code === "offline" ? t("not_sent") : ack.code === "timeout" ? t("no_answer")
        : ack.error || t("error");
    }
    this.ctx.store.changed("me", this.ctx.store.me);
    this.update();
  }

  update() {
    const { store } = this.ctx;
    const { open, teams } = store.teams;
    const mine = store.me ? store.me.group_id : null;
    const inTeam = teams.find((x) => x.id === mine);
    const parts = [];
    if (!teams.length) {
      parts.push(el("p", "ph-note", t("tm_forming")));
      this.node.replaceChildren(...parts);
      return;
    }
    if (inTeam) parts.push(el("h2", "ph-h ph-team-mine", fill("tm_yours", { name: inTeam.name })));
    else parts.push(el("h2", "ph-h", open ? t("tm_choose") : t("tm_title")));
    parts.push(el("p", "ph-hint", !open ? (inTeam ? t("tm_closed") : t("tm_preview"))
      : inTeam ? t("tm_change") : t("tm_choose_hint")));
    if (this.error) {
      const p = el("p", "ph-notice", `✗ ${this.error}`);
      p.setAttribute("role", "alert");
      parts.push(p);
    }
    const list = el("ul", "ph-team-list");
    for (const team of teams) {
      const li = el("li", `ph-team${team.id === mine ? " ph-team-here" : ""}`);
      li.dataset.teamId = team.id;
      li.append(el("h3", "ph-team-name", team.name));
      const inis = el("ul", "ph-team-inis");
      for (const ini of team.initiatives) {
        const row = el("li", "", ini.name);
        row.append(el("span", "ph-team-from", ` · ${fill("tm_from_group", { group: ini.group_name })}`));
        inis.append(row);
      }
      li.append(inis);
      if (team.id === mine) li.append(el("p", "ph-team-here-mark", `✓ ${t("tm_joined")}`));
      else if (open) {
        const b = button(this.joining === team.id ? t("tm_joining") : t("tm_join_team"), "ph-team-join",
          () => this.join(team));
        b.disabled = this.joining !== null;
        li.append(b);
      }
      list.append(li);
    }
    parts.push(list);
    this.node.replaceChildren(...parts);
  }
}
