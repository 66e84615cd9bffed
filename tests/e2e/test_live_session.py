"""The whole live core in a browser: organizer, projector, moderator and two phones.

Runs against the real server with eventlet; screenshots of every view go to test-artifacts/.
"""
import re

import pytest

from .conftest import advance, database, login

pytestmark = pytest.mark.e2e


def _join(ctx, server, code, name, group_name):
    page = ctx.new_page()
    page.goto(f"{server.url}/")
    page.fill("input[name=code]", code.lower())
    page.click("button[type=submit]")
    page.fill("input[name=display_name]", name)
    page.get_by_text(group_name, exact=True).click()
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/s/\d+$"))
    page.wait_for_selector("#conn[data-status=online]")
    return page


def _post(page, text):
    page.fill("#post-text", text)
    page.click("#post-send")


def test_live_session_end_to_end(server, browser, phone_context, shots):
    laptop = browser.new_context(viewport={"width": 1440, "height": 900}, locale="ru-RU")
    org = laptop.new_page()
    login(org, server, "organizer@demo.takt", server.organizer_password)

    # The organizer creates a session from the default program and two groups.
    org.goto(f"{server.url}/organizer/")
    org.fill("input[name=title]", "Сессия «Чистый берег»")
    org.click("form button[type=submit] >> text=/Создать/")
    org.wait_for_url(re.compile(r"/organizer/s/\d+$"))
    sid = int(org.url.rsplit("/", 1)[1])
    for name in ("Экопросвещение", "Волонтёры"):
        org.fill("#new-group input[name=name]", name)
        org.click("#new-group button[type=submit]")
        org.wait_for_load_state()
    code = org.locator(".org-code .code").inner_text().strip()
    org.screenshot(path=shots / "organizer-1440.png", full_page=False)

    # The projector is open.
    projector_ctx = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="ru-RU")
    projector = projector_ctx.new_page()
    with database(server) as con:
        key = con.execute("select projector_key from sessions where id=?", (sid,)).fetchone()[0]
    projector.goto(f"{server.url}/projector/{sid}?key={key}")
    projector.wait_for_selector(f"text={code}")
    projector.screenshot(path=shots / "projector-join-1920.png")

    # Two phones join by code into different groups.
    phone_a = _join(phone_context(), server, code, "Алина К.", "Экопросвещение")
    ctx_b = phone_context()
    phone_b = _join(ctx_b, server, code, "Борис Т.", "Волонтёры")

    # The moderator walks to tact 1.
    console = laptop.new_page()
    console.goto(f"{server.url}/moderate/{sid}")
    console.wait_for_selector("#conn[data-status=online]")
    advance(console, 3)
    phone_a.wait_for_selector("#post-form:not(.hidden)")
    _post(phone_a, "Рост интереса молодёжи к экотуризму")
    _post(phone_b, "Волонтёрство становится проектным")
    phone_a.wait_for_selector("#mine .card-status.saved")
    phone_b.wait_for_selector("#mine .card-status.saved")
    assert "Волонтёрство" not in phone_a.locator("#all").inner_text()  # groups stay apart
    phone_a.screenshot(path=shots / "phone-trends-390.png", full_page=True)
    console.screenshot(path=shots / "moderator-trends-1440.png")

    # Tact 2: the moderator hides new posts, the phones post ideas, then the moderator reveals.
    advance(console)
    phone_a.wait_for_selector("#item-title:has-text('Такт 2')")
    console.locator("[data-action=hide]").click()
    _post(phone_a, "Школьные пункты приёма батареек")
    _post(phone_b, "<b>Эко</b>-субботник 🌱")
    phone_b.wait_for_selector("#mine .card-status.saved")
    console.locator("[data-action=show-wall]").click()
    projector.wait_for_timeout(500)
    assert "батареек" not in projector.inner_text("body")  # hidden until revealed
    console.locator("[data-action=reveal]").click()
    projector.wait_for_selector("text=Школьные пункты приёма батареек")
    projector.wait_for_selector("text=<b>Эко</b>-субботник 🌱")  # escaped, shown as text
    assert projector.locator("b:has-text('Эко')").count() == 0

    # Phone B drops mid-post, comes back, and reloads: the post is stored once, shown once.
    ctx_b.set_offline(True)
    phone_b.wait_for_selector("#conn[data-status=offline]", timeout=30000)
    _post(phone_b, "Эколагерь на берегу озера")
    phone_b.wait_for_selector("#mine .card-status.pending")
    phone_b.screenshot(path=shots / "phone-offline-390.png", full_page=True)
    ctx_b.set_offline(False)
    phone_b.wait_for_selector("#conn[data-status=online]", timeout=30000)
    phone_b.wait_for_selector("#mine li:has-text('Эколагерь') .card-status.saved")
    phone_b.reload()
    phone_b.wait_for_selector("#conn[data-status=online]")
    phone_b.wait_for_selector("#mine li:has-text('Эколагерь')")
    assert phone_b.locator("#mine li:has-text('Эколагерь')").count() == 1
    projector.wait_for_selector("text=Эколагерь на берегу озера")
    assert projector.locator("text=Эколагерь на берегу озера").count() == 1
    phone_a.wait_for_selector("#all li:has-text('Эколагерь')")
    assert phone_a.locator("#all li:has-text('Эколагерь')").count() == 1
    with database(server) as con:
        stored = con.execute("select count(*) from ideas where text=?",
                             ("Эколагерь на берегу озера",)).fetchone()[0]
    assert stored == 1
    phone_b.screenshot(path=shots / "phone-ideas-390.png", full_page=True)
    console.screenshot(path=shots / "moderator-ideas-1440.png")
    projector.wait_for_timeout(800)  # let the cards' entry animation settle
    projector.screenshot(path=shots / "projector-wall-1920.png")
    # The other projector modes, as the moderator switches them.
    console.locator("[data-action=show-group]").click()
    projector.wait_for_selector("#projector.mode-group", timeout=5000)
    projector.wait_for_timeout(800)
    projector.screenshot(path=shots / "projector-group-1920.png")
    console.locator("[data-action=show-timer]").click()
    projector.wait_for_selector("#projector.mode-timer", timeout=5000)
    projector.screenshot(path=shots / "projector-timer-1920.png")

    # Undo the advance: tact 1 comes back on the phones.
    console.locator("[data-action=undo]").click()
    phone_a.wait_for_selector("#item-title:has-text('Такт 1')")
    laptop.close()
    projector_ctx.close()


def test_unsent_post_survives_a_reload_while_offline(server, browser, phone_context):
    """What was typed and sent offline is kept on the phone and sent after the reload."""
    out = server.flask("demo", "--filled", "--until", "brainstorm")
    sid = int(re.search(r"^session: (\d+)$", out, re.M).group(1))
    code = re.search(r"code: (\S+)", out).group(1)
    ctx = phone_context()
    page = ctx.new_page()
    page.goto(f"{server.url}/j/{code}")
    page.fill("input[name=display_name]", "Вера")
    page.locator("input[name=group_id]").first.check()
    page.click("button[type=submit]")
    page.wait_for_selector("#conn[data-status=online]")
    ctx.set_offline(True)
    page.wait_for_selector("#conn[data-status=offline]", timeout=30000)
    _post(page, "Идея, отправленная без сети")
    page.fill("#post-text", "недописанный черновик")
    ctx.set_offline(False)
    page.reload()
    page.wait_for_selector("#conn[data-status=online]")
    page.wait_for_selector("#mine li:has-text('Идея, отправленная без сети') .card-status.saved")
    assert page.input_value("#post-text") == "недописанный черновик"
    with database(server) as con:
        assert con.execute("select count(*) from ideas where session_id=? and text=?",
                           (sid, "Идея, отправленная без сети")).fetchone()[0] == 1
