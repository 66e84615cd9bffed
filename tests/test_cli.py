"""The CLI contracts: `demo [--filled]` and `export ID --format json -o FILE`."""
import json
import re
from pathlib import Path

import jsonschema

from facilitation.extensions import db
from facilitation.cli import FILL_ORDER
from facilitation.models import Idea, Initiative, KeyResult, Participant, Request, Session, Trend
from facilitation.services.initiatives import stakes_data
from facilitation.services.stakeholders import balance, live_flows, live_stakeholders, values_of

SCHEMA = json.loads((Path(__file__).parents[1] / "docs" / "session-export.schema.json").read_text())


def test_demo_prints_every_link(runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    out = result.output
    sid = int(re.search(r"^session: (\d+)$", out, re.M).group(1))
    session = db.session.get(Session, sid)
    assert f"/organizer/s/{sid}" in out and "organizer@demo.takt / " in out
    assert f"/moderate/{sid}" in out
    assert out.count("group moderator «") == len(session.groups) == 4
    assert f"/projector/{sid}?key={session.projector_key}" in out
    assert f"/j/{session.join_code}" in out and f"code: {session.join_code}" in out


def test_demo_filled_until_brainstorm_stops_there(runner):
    result = runner.invoke(args=["demo", "--filled", "--until", "brainstorm"])
    assert result.exit_code == 0, result.output
    sid = int(re.search(r"^session: (\d+)$", result.output, re.M).group(1))
    session = db.session.get(Session, sid)
    assert session.current_item.kind == "brainstorm"
    assert db.session.scalar(db.select(db.func.count(Initiative.id))
                             .where(Initiative.session_id == sid)) == 0


def test_demo_filled_holds_russian_content_through_tact_7(runner):
    result = runner.invoke(args=["demo", "--filled"])
    assert result.exit_code == 0, result.output
    sid = int(re.search(r"^session: (\d+)$", result.output, re.M).group(1))
    session = db.session.get(Session, sid)
    assert session.current_item.kind == FILL_ORDER[-1]
    # Day two starts with teams formed around List B initiatives; everyone chose one.
    subject = [g for g in session.groups if g.stage == 1]
    teams = [g for g in session.groups if g.stage == 2]
    assert len(subject) == len(teams) == 4 and session.teams_opened_at is not None
    people = db.session.scalars(db.select(Participant).where(Participant.session_id == sid)).all()
    assert {p.group_id for p in people} == {t.id for t in teams}
    assert all(t.moderators for t in teams)
    team_ids = {t.id for t in teams}
    assert all(r.from_group_id in team_ids and r.to_group_id in team_ids
               for r in db.session.scalars(db.select(Request).where(Request.session_id == sid)))
    # Day two: requests in every status with solutions; objectives with key results.
    statuses = db.session.scalars(db.select(Request.status).where(Request.session_id == sid)).all()
    assert set(statuses) == {"new", "discussing", "accepted", "declined", "done"}
    krs = db.session.scalars(db.select(KeyResult).where(KeyResult.session_id == sid)).all()
    assert len(krs) >= 6 and all(k.target is not None and k.deadline for k in krs)
    assert any(k.vague_accepted for k in krs)
    # Tacts 3–5: every group has initiatives with stakes and a locked List B; the top ones
    # have stakeholders with values and flows; at least one stakeholder is flagged one-sided.
    for group in subject:
        item = next(i for i in session.items if i.kind == "clustering")
        data = stakes_data(item.id, group.id, with_totals=True)
        assert data["locked"] and len(data["list_b"]) >= 2
        assert sum(r["total"] for r in data["list_b"]) == 30  # 6 participants × 5 chips
        for initiative_id in data["focus"]:
            initiative = db.session.get(Initiative, initiative_id)
            assert live_stakeholders(initiative_id) and live_flows(initiative_id)
            assert all(values_of(s.id) for s in live_stakeholders(initiative_id))
            assert re.search("[а-яё]", initiative.name, re.I)
    flags = [row for i in db.session.scalars(db.select(Initiative).where(
        Initiative.session_id == sid, Initiative.deleted_at.is_(None)))
        for row in balance(i)["rows"] if row["flag"]]
    assert {"only_gives", "only_gains"} <= {row["flag"] for row in flags}
    trends = db.session.scalars(db.select(Trend).where(Trend.session_id == sid)).all()
    ideas = db.session.scalars(db.select(Idea).where(Idea.session_id == sid)).all()
    assert len(trends) >= 24 and len(ideas) >= 30
    assert all(re.search("[а-яё]", t.text, re.I) for t in trends)
    assert {t.group_id for t in trends} == {g.id for g in subject}


def test_export_json_validates_against_the_schema(runner, tmp_path):
    sid = int(re.search(r"^session: (\d+)$", runner.invoke(args=["demo", "--filled"]).output,
                        re.M).group(1))
    out = tmp_path / "export.json"
    result = runner.invoke(args=["export", str(sid), "--format", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(data, SCHEMA)
    assert data["session"]["id"] == sid
    assert len(data["ideas"]) == db.session.scalar(
        db.select(db.func.count(Idea.id)).where(Idea.session_id == sid))
    assert "«" in out.read_text(encoding="utf-8") or "а" in out.read_text(encoding="utf-8")
    # Tacts 3–5: initiatives with their ideas, stakes, List B, stakeholders, flows, flags.
    assert data["version"] == 6
    live = [i for i in data["initiatives"] if not i["deleted"]]
    assert len(live) == 12 and all(i["ideas"] for i in live)
    idea_ids = {i["id"] for i in data["ideas"]}
    assert all(set(i["ideas"]) <= idea_ids for i in live)
    assert sum(s["count"] for s in data["stakes"]) == 4 * 30
    edu = data["boards"][0]
    assert edu["list_b_locked"] and [r["rank"] for r in edu["list_b"]] == [1, 1, 3]
    assert edu["list_b"][0]["tie"] and len(edu["focus"]) == 2
    assert all(s["values"] for s in data["stakeholders"])
    names = {s["id"]: s["name"] for s in data["stakeholders"]}
    assert all(f["source_id"] in names or f["source_id"] is None for f in data["flows"])
    flagged = [(r["name"], r["flag"]) for b in data["balances"] for r in b["rows"] if r["flag"]]
    assert ("Газета «Вести Прибрежья»", "only_gives") in flagged
    assert all(r["reason"] for b in data["balances"] for r in b["rows"] if r["flag"])
    # Day two: the teams, with the initiatives they took over; requests between teams.
    teams = {g["id"]: g for g in data["groups"] if g["stage"] == 2}
    assert len(teams) == 4 and data["session"]["teams_opened_at"]
    moved = [i for i in live if i["team_group_id"]]
    assert len(moved) == 5 and {i["team_group_id"] for i in moved} == set(teams)
    assert all(r["from_group_id"] in teams and r["to_group_id"] in teams
               for r in data["requests"])
    assert {o["group_id"] for o in data["objectives"]} <= set(teams)
    # Day two: requests with solutions and status, objectives with key results.
    assert {r["status"] for r in data["requests"]} == {"new", "discussing", "accepted",
                                                       "declined", "done"}
    assert any(r["solutions"] for r in data["requests"])
    assert len(data["criteria"]) == 5 and len(data["scores"]) == 2 * 4 * 5
    assert not data["results"]["revealed"] and all(g["total"] for g in data["results"]["groups"])
    assert all(k["target"] is not None and k["deadline"] and k["owner"]["name"]
               for o in data["objectives"] for k in o["key_results"])
    # Tact 8: every team's deck with its slides in order; the demo's one edit is marked.
    assert {d["group_id"] for d in data["decks"]} == set(teams)
    assert all(d["slides"][0]["kind"] == "title" and d["slides"][-1]["kind"] == "team"
               for d in data["decks"])
    assert [s["edited"] for d in data["decks"] for s in d["slides"]].count(True) == 1
    assert any(s["kind"] == "balance" and s["data"]["flows"]
               for d in data["decks"] for s in d["slides"])


def test_export_of_unknown_session_fails_clearly(runner):
    result = runner.invoke(args=["export", "9999"])
    assert result.exit_code != 0 and "no session 9999" in result.output


def test_create_account_makes_the_first_organizer(runner, client):
    from facilitation.models import User
    result = runner.invoke(args=["create-account", "Anna@Example.org", "--name", "Анна"],
                           input="correct horse battery\ncorrect horse battery\n")
    assert result.exit_code == 0, result.output
    assert "account: anna@example.org" in result.output and "/login" in result.output
    user = db.session.scalar(db.select(User).where(User.email == "anna@example.org"))
    assert user.display_name == "Анна" and user.check_password("correct horse battery")
    # The account signs in and can create a session.
    page = client.post("/login", data={"email": "anna@example.org",
                                       "password": "correct horse battery"})
    assert page.status_code == 302


def test_create_account_refuses_bad_input_and_changes_nothing(runner):
    from facilitation.models import User
    before = db.session.scalar(db.select(db.func.count(User.id)))
    for args, password in ((["not-an-email", "--name", "Анна"], "correct horse battery"),
                           (["a@example.org", "--name", "Анна"], "short"),
                           (["a@example.org", "--name", "  "], "correct horse battery")):
        result = runner.invoke(args=["create-account", *args], env={"TAKT_NEW_PASSWORD": password})
        assert result.exit_code != 0 and "Error" in result.output, (args, result.output)
    assert runner.invoke(args=["create-account", "b@example.org", "--name", "Б"],
                         env={"TAKT_NEW_PASSWORD": "correct horse battery"}).exit_code == 0
    taken = runner.invoke(args=["create-account", "B@example.org", "--name", "Б"],
                          env={"TAKT_NEW_PASSWORD": "another long one"})
    assert taken.exit_code != 0 and "email" in taken.output
    assert db.session.scalar(db.select(db.func.count(User.id))) == before + 1
