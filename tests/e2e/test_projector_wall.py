"""The projector's card walls (a group's trends, List A) fit the screen on the real layout: no
card's text is cut while there is room, the type stays large for a few cards and gets smaller as
the wall fills, and every card stays on the screen. Screenshots at 1920 go to test-artifacts/."""
import uuid

import pytest

from .conftest import database, demo, staff_screens

pytestmark = pytest.mark.e2e

MEASURE = """() => {
  const list = document.getElementById('pj-cards'), box = list.getBoundingClientRect();
  const cards = [...list.children];
  return {count: cards.length,
          cut: cards.filter((c) => c.scrollHeight > c.clientHeight + 2).map((c) => c.textContent),
          off: cards.filter((c) => c.getBoundingClientRect().bottom > box.bottom + 1).length,
          clamped: list.classList.contains('is-clamped'),
          size: parseFloat(getComputedStyle(cards[0]).fontSize)};
}"""


def _shown(projector, count):
    from playwright.sync_api import expect
    expect(projector.locator("#pj-cards .pj-card")).to_have_count(count, timeout=10000)
    projector.wait_for_timeout(300)
    return projector.evaluate(MEASURE)


def test_card_walls_fit_the_screen(server, browser, shots):
    d = demo(server, "--filled", "--until", "brainstorm")
    console, board, projector, contexts = staff_screens(browser, server, d)
    with database(server) as con:
        (group_id,) = con.execute("select id from groups where session_id=? order by position "
                                  "limit 1", (d.sid,)).fetchone()
        (trends,) = con.execute("select count(*) from trends where group_id=? and deleted_at is "
                                "null and merged_into_id is null", (group_id,)).fetchone()
        (ideas,) = con.execute("select count(*) from ideas where session_id=? and deleted_at is "
                               "null and merged_into_id is null", (d.sid,)).fetchone()
    console.locator("#show-group").select_option(str(group_id))
    console.locator("[data-action=show-group]").click()
    # A group's few trends: whole, with their authors, at a size read from the back of a room.
    few = _shown(projector, trends)
    assert few["cut"] == [] and few["off"] == 0 and not few["clamped"], few
    assert few["size"] >= 30, few
    projector.screenshot(path=shots / "projector-trends-fit-1920.png")

    console.locator("[data-action=show-wall]").click()
    wall = _shown(projector, ideas)
    assert wall["cut"] == [] and wall["off"] == 0 and not wall["clamped"], wall
    assert wall["size"] < few["size"]
    projector.screenshot(path=shots / "projector-wall-fit-1920.png")

    # A hall's full wall, 140 ideas of every length: every card stays on the screen.
    with database(server) as con:
        row = con.execute("select item_id, participant_id, group_id, rev, created_at, updated_at "
                          "from ideas where session_id=? order by id limit 1", (d.sid,)).fetchone()
        for n in range(140 - ideas):
            text = ("Идея участника номер %d " % n) + "и её подробности " * (n % 7)
            con.execute("insert into ideas (client_id, session_id, item_id, participant_id, "
                        "group_id, rev, created_at, updated_at, text, revealed) values "
                        "(?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
                        (str(uuid.uuid4()), d.sid, row[0], row[1], row[2], row[3], row[4],
                         row[5], text.strip()))
        con.commit()
    projector.reload()
    full = _shown(projector, 140)
    assert full["off"] == 0, full
    projector.screenshot(path=shots / "projector-wall-full-1920.png")
    # a card more, live: it fits too
    board.wait_for_selector("#conn[data-status=online]")
    board.fill("#post-text", "Ещё одна идея с доски модератора группы, " + "длинная " * 12)
    board.press("#post-text", "Enter")
    more = _shown(projector, 141)
    assert more["off"] == 0 and more["size"] <= full["size"], (more, full)
    for ctx in contexts:
        ctx.close()
