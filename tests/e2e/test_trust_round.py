"""The round table of seed 004 in a browser: a projector and two phones. The moderator gives the
floor from the console; the projector shows the speaker, the queue and the speaker's timer; a
phone keeps the key points of its own turn through a drop; the round ends with a common goal and
a proposal that the other phone supports with a tap."""
import re
import time

import pytest

from .conftest import database, login, wait_until

pytestmark = pytest.mark.e2e


def _join(ctx, server, code, name):
    page = ctx.new_page()
    page.goto(f"{server.url}/")
    page.fill("input[name=code]", code.lower())
    page.click("button[type=submit]")
    page.fill("input[name=display_name]", name)
    group = page.get_by_text("Круглый стол", exact=True)
    if group.count():
        group.click()
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/s/\d+$"))
    page.wait_for_selector("#conn[data-status=online]")
    return page


def test_round_table_with_a_projector_and_two_phones(server, browser, phone_context, shots):
    out = server.flask("demo", "--template", "round_table")
    sid = int(re.search(r"^session: (\d+)$", out, re.M).group(1))
    code = re.search(r"code: (\S+)", out).group(1)
    organizer_pw = re.search(r"organizer@demo\.takt / (\S+)", out).group(1)
    projector_url = re.search(r"projector: (\S+)", out).group(1)

    alina = _join(phone_context(), server, code, "Алина К.")
    boris_ctx = phone_context()
    boris = _join(boris_ctx, server, code, "Борис Т.")

    laptop = browser.new_context(viewport={"width": 1440, "height": 900}, locale="ru-RU")
    console = laptop.new_page()
    login(console, server, "organizer@demo.takt", organizer_pw)
    console.goto(f"{server.url}/moderate/{sid}")
    console.wait_for_selector("#conn[data-status=online]")
    screen = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="ru-RU")
    projector = screen.new_page()
    projector.goto(projector_url)
    projector.wait_for_selector("#pj-conn[data-status=online]")

    # Opening, the hosts' talk, then the round: the console opens it with both phones queued.
    for _ in range(3):
        before = console.inner_text("#cur-title")
        console.locator("[data-action=advance]").click()
        wait_until(console, "t => document.querySelector('#cur-title').textContent !== t",
                   arg=before)
    console.wait_for_selector(".tr-console .tr-c-person >> nth=1")
    assert console.locator(".tr-c-name").all_inner_texts() == ["Алина К.", "Борис Т."]
    console.locator(".tr-c-show").click()
    projector.wait_for_selector(".tr-pj .tr-pj-prompt:has-text('Мои сильные стороны')")

    # The floor: Alina speaks; the projector shows her, her timer and Boris next.
    console.locator(".tr-c-toggle").click()
    projector.wait_for_selector(".tr-pj-speaker:has-text('Алина К.')")
    projector.wait_for_selector(".tr-pj-person.is-next:has-text('Борис Т.')")
    alina.wait_for_selector(".tr-ph-mine.is-now")
    boris.wait_for_selector(".tr-ph-mine.is-soon")
    clock = projector.inner_text(".tr-pj-clock")
    assert re.fullmatch(r"[12]:\d\d", clock), clock

    # Boris jots his points down; the connection drops mid-way; nothing is lost.
    boris.fill("#tr-points", "Бухгалтерия и отчётность")
    boris.wait_for_selector(".tr-ph-state:has-text('Сохранено')")
    boris_ctx.set_offline(True)
    boris.fill("#tr-points", "Бухгалтерия и отчётность по грантам")
    boris.wait_for_selector(".tr-ph-state:has-text('отправится')", timeout=10000)
    boris_ctx.set_offline(False)
    boris.wait_for_selector(".tr-ph-state:has-text('Сохранено')", timeout=20000)
    for _ in range(40):  # the resend after the reconnect reaches the database
        with database(server) as con:
            note = con.execute("select text from trust_notes n join participants p on p.id = "
                               "n.participant_id where p.display_name = 'Борис Т.' and "
                               "p.session_id = ?", (sid,)).fetchone()
        if note == ("Бухгалтерия и отчётность по грантам",):
            break
        time.sleep(0.5)
    assert note == ("Бухгалтерия и отчётность по грантам",)
    alina.fill("#tr-points", "Пять лет веду волонтёрский штаб")
    alina.wait_for_selector(".tr-ph-state:has-text('Сохранено')")
    console.wait_for_selector(".tr-c-note:has-text('Пять лет веду волонтёрский штаб')")
    alina.screenshot(path=shots / "phone-trust-turn-390.png")
    boris.screenshot(path=shots / "phone-trust-points-390.png")
    projector.screenshot(path=shots / "projector-trust-speaker-1920.png")
    console.screenshot(path=shots / "moderator-trust-1440.png", full_page=True)

    # Boris, then the second prompt for both, then the common goal.
    for speaker in ("Борис Т.", "Алина К.", "Борис Т."):
        console.locator(".tr-c-next").click()
        projector.wait_for_selector(f".tr-pj-speaker:has-text('{speaker}')")
    assert "Почему я участвую" in projector.inner_text(".tr-pj-prompt")
    console.locator(".tr-c-next").click()
    projector.wait_for_selector(".tr-pj-goalbox:not(.hidden)")
    console.fill("#tr-c-goal", "Сообщество ценностных лидеров города")
    console.locator(".tr-c-goalbox button:has-text('Сохранить цель')").click()
    projector.wait_for_selector(".tr-pj-goal:has-text('Сообщество ценностных лидеров города')")

    # Alina proposes; Boris supports it with a tap (and the projector counts it).
    alina.wait_for_selector(".tr-ph-goal:not(.hidden)")
    alina.fill(".tr-ph-propose textarea", "Встречаться раз в месяц")
    alina.locator(".tr-ph-propose button[type=submit]").click()
    boris.wait_for_selector(".tr-ph-proposal:has-text('Встречаться раз в месяц')")
    boris.locator(".tr-ph-support").first.click()
    boris.wait_for_selector(".tr-ph-support.is-on[aria-pressed=true]")
    projector.wait_for_selector(".tr-pj-proposal:has-text('Встречаться раз в месяц') .tr-pj-support:text-is('1')")
    with database(server) as con:
        assert con.execute("select count(*) from trust_supports s join trust_proposals x on "
                           "x.id = s.proposal_id where x.session_id = ?", (sid,)).fetchone() == (1,)
    boris.screenshot(path=shots / "phone-trust-support-390.png")
    projector.screenshot(path=shots / "projector-trust-goal-1920.png")
    # The join code stays on the projector's rail while the round shows.
    assert code in projector.inner_text("#pj-rail")
    for c in (laptop, screen):
        c.close()
