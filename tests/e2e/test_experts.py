"""The expert session in a browser: an expert scores a group from a phone; the results stay
hidden until the chief moderator reveals them on the projector."""
import re

import pytest

from .conftest import database, login

pytestmark = pytest.mark.e2e


def test_an_expert_scores_and_the_moderator_reveals(server, browser, phone_context, shots):
    out = server.flask("demo", "--filled")
    sid = int(re.search(r"^session: (\d+)$", out, re.M).group(1))
    organizer_pw = re.search(r"organizer@demo\.takt / (\S+)", out).group(1)
    expert_pw = re.search(r"expert1@demo\.takt / (\S+)", out).group(1)
    projector_url = re.search(r"projector: (\S+)", out).group(1)

    # The expert scores the first day-two team from a phone: 2 on the first criterion, with a comment.
    phone = phone_context().new_page()
    login(phone, server, "expert1@demo.takt", expert_pw)
    phone.goto(f"{server.url}/expert/{sid}")
    card = phone.locator("form.ex-group").first
    first = card.locator("fieldset.ex-criterion").first
    first.locator("label.ex-point:has-text('2')").click()
    first.locator("textarea").fill("Нужна смета")
    card.locator("button[type=submit]").click()
    phone.wait_for_selector(".flash-ok")
    with database(server) as con:
        value, comment = con.execute(
            "select value, comment from scores s join users u on u.id = s.expert_user_id "
            "where u.email = 'expert1@demo.takt' and s.criterion_id = "
            "(select min(id) from criteria where session_id = ?) and s.group_id = "
            "(select min(id) from groups where session_id = ? and stage = 2)", (sid, sid)).fetchone()
    assert (value, comment) == (2, "Нужна смета")
    phone.screenshot(path=shots / "expert-score-390.png", full_page=False)

    # Hidden until revealed: the projector says so; after the reveal it shows the table.
    laptop = browser.new_context(viewport={"width": 1440, "height": 900}, locale="ru-RU")
    console = laptop.new_page()
    login(console, server, "organizer@demo.takt", organizer_pw)
    console.goto(f"{server.url}/moderate/{sid}")
    console.wait_for_selector("#conn[data-status=online]")
    screen = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="ru-RU")
    projector = screen.new_page()
    projector.goto(projector_url)
    console.locator("[data-action=show-results]").click()
    projector.wait_for_selector("#projector.mode-results")
    projector.wait_for_selector("#pj-results[data-state=hidden] .rs-hidden-title")
    team = "Экошкола и водная лаборатория"  # the demo's first day-two team
    assert team not in projector.inner_text("#pj-results")
    console.locator("[data-action=reveal-results]").click()
    projector.wait_for_selector("#pj-results[data-state=revealed] .rs-group", timeout=10000)
    projector.wait_for_selector("#pj-results .rs-table:not(.is-revealing)", timeout=10000)
    assert team in projector.inner_text("#pj-results")
    projector.screenshot(path=shots / "projector-results-1920.png")
    console.screenshot(path=shots / "moderator-results-1440.png", full_page=True)
    for c in (laptop, screen):
        c.close()
