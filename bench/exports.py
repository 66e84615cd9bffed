"""Export benchmark: a session of 1,000 participants and 5,000 ideas, exported in every format.

The session is built through the same services as the live app (10 groups of 100; 5 ideas per
participant; per group 10 initiatives of 5 ideas, staked by everyone; per initiative 5
stakeholders with 2 values, 8 flows, an objective with 2 key results; 50 requests with a
solution; 3 experts scoring every group; a deck per group). Then each format of
`facilitation.exports.FORMATS` renders the whole session and one group, `--repeat` times; the
table gives the median and the worst time and the file size. Goal: ≤ 10 s per format.

    python bench/exports.py                 # 1,000 participants, 5,000 ideas
    python bench/exports.py --participants 100 --ideas 500 --repeat 1
"""
import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
GOAL_S = 10.0
GROUPS = 10
INITIATIVES = 10
IDEAS_PER_INITIATIVE = 5


def cid():
    return str(uuid.uuid4())


def build(participants, ideas, rng):
    """The big session, through the services; returns its id."""
    from facilitation.extensions import db
    from facilitation.models import Session
    from facilitation.services import (agenda, cards, decks, experts, initiatives, objectives,
                                       participants as people, requests, sessions, stakeholders)
    from facilitation.services.actors import participant_actor, user_actor

    organizer = sessions.register_user("bench@example.org", "Организатор", uuid.uuid4().hex)
    session = sessions.create_session(organizer, "Сессия на тысячу участников", date.today())
    chief = user_actor(organizer, session.id)
    groups = [sessions.save_group(organizer, session.id, {
        "name": f"Группа {g + 1}", "subject_frame": "Экология, просвещение, волонтёрство"})
        for g in range(GROUPS)]

    def advance_to(kind):
        while True:
            current = db.session.get(Session, session.id).current_item
            if current is not None and current.kind == kind:
                return current
            agenda.advance(chief, current.id if current else None)

    phones = [people.join(session, {"display_name": f"Участник {n + 1}", "client_id": "",
                                    "group_id": str(groups[n % GROUPS].id)})
              for n in range(participants)]
    actors = [participant_actor(p.id, session.id) for p in phones]
    item = advance_to("brainstorm")
    idea_ids = {g.id: [] for g in groups}
    for n in range(ideas):
        phone = n % participants
        card, _ = cards.create_card(actors[phone], {
            "client_id": cid(), "item_id": item.id,
            "text": f"Идея {n + 1}: экоуроки, сбор батареек и волонтёрский штаб №{rng.randint(1, 99)}"})
        idea_ids[phones[phone].group_id].append(card["id"])
    item = advance_to("clustering")
    made = {}
    for g in groups:
        pool = iter(idea_ids[g.id])
        made[g.id] = []
        for k in range(INITIATIVES):
            taken = [initiatives.take_idea(chief, {"item_id": item.id, "group_id": g.id,
                                                   "idea_id": next(pool)})["id"]
                     for _ in range(IDEAS_PER_INITIATIVE)]
            made[g.id].append(initiatives.create_initiative(chief, {
                "client_id": cid(), "item_id": item.id, "group_id": g.id,
                "name": f"Инициатива {g.position + 1}.{k + 1}", "selection_ids": taken})[0]["id"])
        initiatives.board_settings(chief, {"item_id": item.id, "group_id": g.id,
                                           "staking": "open"})
    for phone, actor in zip(phones, actors):
        first, second = rng.sample(made[phone.group_id], 2)
        initiatives.set_stake(actor, {"initiative_id": first, "count": 3})
        initiatives.set_stake(actor, {"initiative_id": second, "count": 2})
    item = advance_to("stakeholders")
    holders = {}
    for ids in made.values():
        for ini in ids:
            holders[ini] = [stakeholders.add_stakeholder(chief, {
                "client_id": cid(), "item_id": item.id, "initiative_id": ini,
                "name": f"Сторона {s + 1} инициативы {ini}", "type": "ngo",
                "values": [f"ценность {s + 1}.1", f"ценность {s + 1}.2"]})[0]["id"]
                for s in range(5)]
    item = advance_to("resources")
    for ini, sids in holders.items():
        for f in range(8):
            stakeholders.add_flow(chief, {
                "client_id": cid(), "item_id": item.id, "initiative_id": ini,
                "source_id": sids[f % 5], "target_id": None if f % 2 else sids[(f + 1) % 5],
                "resource": "money", "resource_text": f"ресурс {f + 1}",
                "mark": ("given", "spent", "gained")[f % 3]})
    item = advance_to("requests")
    for r in range(50):
        g = groups[r % GROUPS]
        to = groups[(r + 1) % GROUPS]
        sent, _ = requests.send_request(chief, {
            "client_id": cid(), "item_id": item.id, "initiative_id": made[g.id][r % INITIATIVES],
            "to_group_id": to.id, "need": "resource", "text": f"Запрос {r + 1}: нужен зал"})
        requests.answer_request(chief, {"client_id": cid(), "request_id": sent["id"],
                                        "text": "Предлагаем зал по субботам"})
    item = advance_to("okr")
    deadline = (date.today() + timedelta(days=180)).isoformat()
    for ids in made.values():
        for ini in ids:
            o, _ = objectives.add_objective(chief, {"client_id": cid(), "item_id": item.id,
                                                    "initiative_id": ini, "text": "Цель инициативы"})
            for k in range(2):
                objectives.add_key_result(chief, {
                    "client_id": cid(), "objective_id": o["id"], "metric": f"участников {k + 1}",
                    "target": 100 * (k + 1), "unit": "человек", "deadline": deadline,
                    "owner": f"s{holders[ini][k]}"})
    item = advance_to("deck")
    for g in groups:
        decks.assemble(chief, {"item_id": item.id, "group_id": g.id})
    criteria = experts.ensure_criteria(db.session.get(Session, session.id))
    for e in range(3):
        expert = sessions.register_user(f"expert{e}@example.org", f"Эксперт {e + 1}", uuid.uuid4().hex)
        sessions.add_member(organizer, session.id, expert, "expert")
        actor = user_actor(expert, session.id)
        for g in groups:
            experts.save_scores(actor, g.id, {c.id: (rng.randint(1, 5), "") for c in criteria})
    return session.id, groups[0].id


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=1000)
    parser.add_argument("--ideas", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="takt-bench-exports-"))
    os.environ.update({"DATABASE_URL": f"sqlite:///{tmp / 'bench.db'}",
                       "SECRET_KEY": "bench-" + uuid.uuid4().hex})
    from facilitation import create_app
    from facilitation.extensions import db
    from flask_migrate import upgrade
    app = create_app("development")
    try:
        with app.app_context():
            upgrade(directory=str(ROOT / "migrations"))
            started = time.perf_counter()
            sid, gid = build(args.participants, args.ideas, random.Random(7))
            print(f"built a session of {args.participants} participants and {args.ideas} ideas "
                  f"in {time.perf_counter() - started:.1f} s")
            from facilitation.exports import FORMATS, render
            print(f"{'format':8} {'scope':8} {'median s':>9} {'max s':>7} {'size KB':>9}  goal ≤ {GOAL_S:g} s")
            missed = []
            for fmt in FORMATS:
                for scope, group in (("session", None), ("group", gid)):
                    times = []
                    for _ in range(args.repeat):
                        db.session.expire_all()
                        t0 = time.perf_counter()
                        body, _m, _e = render(fmt, sid, group)
                        times.append(time.perf_counter() - t0)
                    median = statistics.median(times)
                    if median > GOAL_S:
                        missed.append(f"{fmt}/{scope}")
                    print(f"{fmt:8} {scope:8} {median:9.2f} {max(times):7.2f} "
                          f"{len(body) / 1024:9.0f}  {'ok' if median <= GOAL_S else 'MISSED'}")
            if missed:
                print("missed the goal:", ", ".join(missed))
                sys.exit(1)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
