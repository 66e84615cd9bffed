"""Day-two regrouping in a browser: the chief moderator forms a team from List B on the teams
page and opens the choice; a phone picks the team and follows it without rejoining, while the
projector counts the team's people live; the rest are assigned by their stakes. Screenshots go
to test-artifacts/."""
import pytest

from .conftest import advance, database, demo, staff_screens

pytestmark = pytest.mark.e2e


def test_forming_teams_and_a_phone_following_its_team(server, browser, phone_context, shots):
    d = demo(server, "--filled", "--until", "resources")
    console, board, projector, contexts = staff_screens(browser, server, d)
    phone = phone_context().new_page()
    phone.goto(f"{server.url}/j/{d.code}")
    phone.fill("input[name=display_name]", "Вера")
    phone.get_by_text("Экопросвещение", exact=True).click()
    phone.click("button[type=submit]")
    phone.wait_for_selector("#conn[data-status=online]")
    assert "Экопросвещение" in phone.inner_text("#my-group")

    # Through the presentation and the day-2 briefings to forming the teams.
    while "состав команд" not in console.inner_text("#cur-title"):
        advance(console)
    console.locator("[data-action=show-wall]").click()
    projector.wait_for_selector(".pj-view-teams, [data-view=teams]", timeout=10000)
    phone.wait_for_selector(".ph-teams:has-text('Модераторы формируют команды')")

    # The chief moderator forms a team of two initiatives from the first group's List B.
    teams = console.context.new_page()
    teams.goto(f"{server.url}/moderate/{d.sid}/teams")
    first = teams.locator("#new-team table").first
    boxes = first.locator("input[name=initiative_ids]")
    assert boxes.count() == 3
    boxes.nth(0).check()
    boxes.nth(1).check()
    teams.fill("#new-team input[name=name]", "Школа лидеров")
    teams.click("#new-team button[type=submit]")
    teams.wait_for_selector(".team-card h3:has-text('Школа лидеров')")
    # Not open yet: the phone sees the team but cannot join it.
    phone.wait_for_selector(".ph-team:has-text('Школа лидеров')")
    assert phone.locator(".ph-team-join").count() == 0
    teams.click("text=Открыть выбор участникам")
    teams.wait_for_selector(".badge.ok")
    projector.wait_for_selector(".pj-team:has-text('Школа лидеров')", timeout=10000)
    teams.set_viewport_size({"width": 1366, "height": 900})
    teams.screenshot(path=shots / "teams-page-1366.png", full_page=True)

    # The phone joins with one tap and follows the team: its header and its rooms change.
    phone.screenshot(path=shots / "phone-teams-choose-390.png", full_page=True)
    phone.locator(".ph-team:has-text('Школа лидеров') .ph-team-join").click()
    phone.wait_for_selector(".ph-team-here:has-text('Школа лидеров')")
    phone.wait_for_selector("#my-group:has-text('Школа лидеров')")
    phone.wait_for_selector("#conn[data-status=online]")
    with database(server) as con:
        group_id, stage = con.execute(
            "select g.id, g.stage from participants p join groups g on g.id = p.group_id "
            "where p.display_name = 'Вера' and p.session_id = ?", (d.sid,)).fetchone()
    assert stage == 2
    projector.wait_for_selector(f".pj-team[data-team-id='{group_id}'] .pj-team-count:has-text('1')",
                                timeout=10000)
    # The teams page's "who is where" follows without a reload.
    teams.wait_for_selector("[data-live=people] tr:has-text('Вера'):has-text('Школа лидеров')",
                            timeout=10000)
    phone.screenshot(path=shots / "phone-teams-joined-390.png", full_page=True)

    # Everyone else is assigned by their stakes; the projector shows nobody waiting.
    teams.click("text=Распределить всех, кто не выбрал")
    teams.wait_for_selector(".flash, [role=status], .ok", timeout=10000)
    projector.wait_for_selector(".pj-work-meta:has-text('Без команды: 0')", timeout=10000)
    projector.wait_for_timeout(500)
    projector.screenshot(path=shots / "projector-teams-1920.png")

    # Tact 6: the phone now works for its team: the initiatives it took over are there.
    console.bring_to_front()
    while "Запросы и решения" not in console.inner_text("#cur-title"):
        advance(console)
    phone.wait_for_selector(".ph-requests")
    phone.locator("[data-tab=out]").click()
    options = phone.locator(".ph-req-form select[name=initiative] option")
    names = [o.inner_text() for o in options.all() if o.get_attribute("value")]
    assert len(names) == 2
    for ctx in contexts:
        ctx.close()
