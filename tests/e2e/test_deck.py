"""Tact 8 in a browser: a team's moderator edits a slide of the assembled deck on the board, a
teammate's phone sees it live and edits another; the chief moderator presents the deck and the
projector follows slide by slide (console and board). Screenshots go to test-artifacts/."""
import pytest

from .conftest import database, demo, staff_screens, wait_until

pytestmark = pytest.mark.e2e


def test_a_team_edits_a_slide_and_the_projector_presents_it(server, browser, phone_context, shots):
    d = demo(server, "--filled", "--until", "deck")
    with database(server) as con:
        team_id, team_name = con.execute(
            "select g.id, g.name from groups g join group_moderators m on m.group_id = g.id "
            "join users u on u.id = m.user_id where u.email = 'moderator1@demo.takt' "
            "and g.stage = 2").fetchone()
    d.board_url = f"{server.url}/moderate/{d.sid}/group/{team_id}"
    console, board, projector, contexts = staff_screens(browser, server, d)
    board.set_viewport_size({"width": 1366, "height": 768})

    # The board shows the deck the demo assembled; the moderator retitles the trends slide.
    board.wait_for_selector(".bd-pane-deck .dk-item", timeout=15000)
    trends = board.locator(".dk-item", has_text="Тренды").first
    slide_id = trends.get_attribute("data-slide-id")
    trends.locator(".dk-pick").click()
    board.fill(".dk-title-input", "Что меняется вокруг озера")
    board.wait_for_selector(".dk-status.is-saved", timeout=10000)
    with database(server) as con:
        title, edited = con.execute("select title, edited from slides where id = ?",
                                    (slide_id,)).fetchone()
    assert (title, edited) == ("Что меняется вокруг озера", 1)
    board.screenshot(path=shots / "board-deck-1366.png")

    # A teammate's phone sees it live and edits the text of the same slide.
    phone = phone_context().new_page()
    phone.goto(f"{server.url}/j/{d.code}")
    phone.fill("input[name=display_name]", "Света")
    phone.get_by_text(team_name, exact=True).click()
    phone.click("button[type=submit]")
    phone.wait_for_selector(f".ph-deck .dk-item[data-slide-id='{slide_id}']", timeout=15000)
    phone.locator(f".dk-item[data-slide-id='{slide_id}'] .dk-pick").click()
    wait_until(phone, "document.querySelector('.dk-title-input').value === "
               "'Что меняется вокруг озера'")
    phone.fill(".dk-body-input", "• Школам нужна практика\n• Гранты стали доступнее")
    phone.wait_for_selector(".dk-status.is-saved", timeout=10000)
    wait_until(board, "document.querySelector('.dk-body-input').value.includes("
               "'Школам нужна практика')", timeout=10000)
    phone.screenshot(path=shots / "phone-deck-390.png", full_page=True)

    # The chief moderator puts the team's deck on; the projector steps through it.
    console.wait_for_selector(f"#deck-buttons [data-group-id='{team_id}']:not([disabled])",
                              timeout=10000)
    console.locator(f"#deck-buttons [data-group-id='{team_id}']").click()
    projector.wait_for_selector("#pj-deck[data-index='0'][data-kind='title']", timeout=10000)
    console.locator("#deck-next").click()
    projector.wait_for_selector(f"#pj-deck[data-index='1'][data-slide-id='{slide_id}']",
                                timeout=10000)
    assert projector.inner_text(".pj-dk-title") == "Что меняется вокруг озера"
    assert "Школам нужна практика" in projector.inner_text(".pj-dk-text")
    assert projector.inner_text(".pj-dk-count") == "2 / 12"
    assert projector.is_visible("#pj-timer") and projector.is_visible(".pj-rail-code")
    projector.screenshot(path=shots / "projector-deck-1920.png")
    # The team's moderator drives it too: next from the board, and the console follows.
    board.locator("[data-act=air-next]").click()
    projector.wait_for_selector("#pj-deck[data-index='2'][data-kind='initiative'] .pj-dk-lb-bar",
                                timeout=10000)
    wait_until(console, "document.querySelector('#deck-onair').textContent.includes('3')")
    projector.screenshot(path=shots / "projector-deck-listb-1920.png")
    for c in contexts:
        c.close()
