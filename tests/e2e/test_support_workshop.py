"""The support workshop's ikigai canvas and stage diagnosis in a browser, against the real server.

The demo of the support_workshop template is filled up to tact 3 (initiatives exist). Two phones
of the first group post ikigai entries (one of them through a dropped connection), the group
moderator marks what stands in all three columns and saves the focus, which the phones and the
projector show; then the phones suggest a stage and pick a support measure, the moderator places
the initiative on its stage and picks from the matrix and adds an own measure; the projector
shows the strip of stages. Screenshots at 390 px (phone), 1366 px (board), 1920 px (projector)
go to test-artifacts/.
"""
import re

import pytest

from .conftest import advance, database, login, wait_until

pytestmark = pytest.mark.e2e


def _setup(server):
    out = server.flask("demo", "--template", "support_workshop", "--filled", "--until", "clustering")
    found = lambda pattern: re.search(pattern, out, re.M).group(1)  # noqa: E731
    return {"sid": int(found(r"^session: (\d+)$")), "code": found(r"code: (\S+)"),
            "organizer_pw": found(r"organizer@demo\.takt / (\S+)"),
            "moderator_pw": found(r"moderator1@demo\.takt / (\S+)"),
            "group": found(r"group moderator «([^»]+)»"),
            "board_url": found(r"group moderator «[^»]+»: (\S+)"),
            "projector_url": found(r"projector: (\S+)")}


def _join(phone_context, server, code, name, group):
    page = phone_context().new_page()
    page.goto(f"{server.url}/j/{code}")
    page.fill("input[name=display_name]", name)
    page.get_by_text(group, exact=True).click()
    page.click("button[type=submit]")
    page.wait_for_selector("#conn[data-status=online]")
    return page


def _add_entry(phone, initiative, column, text):
    form = phone.locator(f".ik-init[data-initiative-id='{initiative}'] .ik-col[data-column={column}] form")
    form.locator("input").fill(text)
    form.locator("button[type=submit]").click()


def test_ikigai_and_stages_with_a_projector_and_two_phones(server, browser, phone_context, shots):
    d = _setup(server)
    sid = d["sid"]
    laptop = browser.new_context(viewport={"width": 1366, "height": 900}, locale="ru-RU")
    console = laptop.new_page()
    login(console, server, "organizer@demo.takt", d["organizer_pw"])
    console.goto(f"{server.url}/moderate/{sid}")
    console.wait_for_selector("#conn[data-status=online]")
    mod_ctx = browser.new_context(viewport={"width": 1366, "height": 900}, locale="ru-RU")
    board = mod_ctx.new_page()
    login(board, server, "moderator1@demo.takt", d["moderator_pw"])
    board.goto(d["board_url"])
    screen = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="ru-RU")
    projector = screen.new_page()
    projector.goto(d["projector_url"])
    a = _join(phone_context, server, d["code"], "Лариса", d["group"])
    b = _join(phone_context, server, d["code"], "Фарид", d["group"])
    with database(server) as con:
        group_id, first = con.execute(
            "select group_id, id from initiatives where session_id=? order by id limit 1",
            (sid,)).fetchone()

    # Tact 4, the ikigai canvas: the current item is tact 3; a break, then the canvas.
    advance(console, 2)
    for phone in (a, b):
        phone.wait_for_selector(f".ik-init[data-initiative-id='{first}'] .ik-col[data-column=want] form",
                                timeout=10000)
    _add_entry(a, first, "want", "Чтобы пожилые не были одни")
    _add_entry(a, first, "can", "Студенты навещают раз в неделю")
    _add_entry(b, first, "need", "Соцзащите не хватает рук")
    for phone in (a, b):
        phone.wait_for_selector(f".ik-init[data-initiative-id='{first}'] .ik-entry:has-text('Соцзащите не хватает рук')",
                                timeout=10000)
        phone.wait_for_selector(f".ik-init[data-initiative-id='{first}'] .ik-entry:has-text('Чтобы пожилые не были одни')")

    # A dropped connection: the entry waits on the phone and is saved once, after it is back.
    b.context.set_offline(True)
    b.wait_for_selector("#conn[data-status=offline]", timeout=15000)
    _add_entry(b, first, "can", "Развозить продукты")
    b.wait_for_selector(".ik-entry.ph-pending:has-text('Развозить продукты')")
    b.context.set_offline(False)
    b.wait_for_selector("#conn[data-status=online]", timeout=20000)
    wait_until(b, "!document.querySelector('.ik-entry.ph-pending')", timeout=15000)
    a.wait_for_selector(".ik-entry:has-text('Развозить продукты')", timeout=10000)
    _add_entry(a, first, "can", "Вести кружок по выходным")  # the newest: first on the wall
    b.wait_for_selector(".ik-entry:has-text('Вести кружок по выходным')", timeout=10000)
    # A phone takes back its own entry (✕, confirmed): gone on every phone and in the database.
    _add_entry(a, first, "need", "Запись по ошибке")
    b.wait_for_selector(".ik-entry:has-text('Запись по ошибке')", timeout=10000)
    a.once("dialog", lambda dialog: dialog.accept())
    a.locator(".ik-entry:has-text('Запись по ошибке') .ph-chip-del").click()
    for phone in (a, b):
        phone.wait_for_selector(".ik-entry:has-text('Запись по ошибке')", state="detached",
                                timeout=10000)

    board.wait_for_selector("#tact-board [data-pane=ikigai] .ik-board-cols", timeout=10000)
    board.locator(f"[data-pane=ikigai] .bd-picker-tabs [data-initiative='{first}']").click()
    for text in ("Чтобы пожилые не были одни", "Студенты навещают раз в неделю", "Соцзащите не хватает рук"):
        entry = board.locator(f".ik-board-cols .ik-entry:has-text('{text}')")
        entry.locator("[data-act=ik-mark]").click()
        board.wait_for_selector(f".ik-board-cols .ik-entry.is-marked:has-text('{text}')")
    board.locator("[data-act=ik-from-marks]").click()
    board.fill("[data-f=ik-focus]", "Студенты навещают одиноких пожилых на дальних улицах")
    board.locator("[data-act=ik-save-focus]").click()
    board.wait_for_selector(".ik-focus-saved.is-set")
    for phone in (a, b):
        phone.wait_for_selector(f".ik-init[data-initiative-id='{first}'] .ik-focus:has-text('дальних улицах')",
                                timeout=10000)
        phone.wait_for_selector(".ik-entry.is-marked:has-text('Соцзащите не хватает рук')")
    with database(server) as con:
        rows = con.execute("select text, marked from ikigai_entries where initiative_id=? and "
                           "participant_id is not null order by id", (first,)).fetchall()
        assert [r[0] for r in rows].count("Развозить продукты") == 1
        assert con.execute("select deleted_at is not null from ikigai_entries where text=?",
                           ("Запись по ошибке",)).fetchone() == (1,)
        assert sum(r[1] for r in rows) == 3
        assert con.execute("select text from ikigai_focus where initiative_id=?",
                           (first,)).fetchone()[0].endswith("дальних улицах")
    console.locator("#show-group").select_option(str(group_id))
    console.locator("[data-action=show-group]").click()
    projector.wait_for_selector(".ik-pj-panel .ik-pj-focus:has-text('дальних улицах')", timeout=10000)
    projector.wait_for_timeout(500)
    # Read from the back of a room: entries at 32 px or more at 1920, each shown whole inside its
    # list and the screen, or wholly hidden past the list's right edge (the wrap of a full column).
    entries = projector.evaluate("""() => [...document.querySelectorAll('.ik-pj-entry')].map((li) => {
      const r = li.getBoundingClientRect(), u = li.parentNode.getBoundingClientRect();
      return [parseFloat(getComputedStyle(li).fontSize), r.left >= u.right || (r.right <= u.right + 1
        && r.bottom <= u.bottom + 1 && u.right <= innerWidth && u.bottom <= innerHeight)]; })""")
    assert entries and all(size >= 32 and fits for size, fits in entries), entries
    # The few places of a column go to the marked entries first, then to the newest.
    heads = projector.evaluate("""() => [...document.querySelectorAll('.ik-pj-entries')]
      .filter((ul) => ul.querySelector('.is-marked')).map((ul) => ul.firstElementChild.className)""")
    assert heads and all("is-marked" in c for c in heads), heads
    orders = projector.evaluate("""() => [...document.querySelectorAll('.ik-pj-entries')].map((ul) =>
      [...ul.querySelectorAll('.ik-pj-entry:not(.is-marked)')].map((li) => +li.dataset.key.slice(1)))""")
    assert any(len(ids) > 1 for ids in orders), orders
    assert all(ids == sorted(ids, reverse=True) for ids in orders), orders
    # A full column: the entries that do not fit are left out whole, and a line under the list
    # says how many.
    can = board.locator(".ik-board-cols .ik-col[data-column=can]")
    for n in range(1, 9):
        can.locator("form input").fill(f"Ещё одна возможность группы номер {n}")
        can.locator("form input").press("Enter")
        board.wait_for_selector(f".ik-board-cols .ik-entry:has-text('группы номер {n}')")
    column = projector.locator(f".ik-pj-panel[data-initiative-id='{first}'] .ik-pj-col[data-column=can]")
    column.locator(".ik-pj-entry", has_text="группы номер 8").wait_for(timeout=10000)
    projector.wait_for_timeout(300)
    fit = column.evaluate("""(col) => {
      const u = col.querySelector('.ik-pj-entries').getBoundingClientRect();
      const all = [...col.querySelectorAll('.ik-pj-entry')];
      const more = col.querySelector('.ik-pj-more');
      return {all: all.length, hidden: all.filter((li) => li.getBoundingClientRect().left >= u.right - 1).length,
              more: more.classList.contains('hidden') ? null : more.textContent,
              inside: more.getBoundingClientRect().bottom <= col.getBoundingClientRect().bottom + 1}}""")
    assert fit["all"] == 11 and fit["hidden"] > 0, fit
    assert fit["more"] == f"Ещё записей: {fit['hidden']}" and fit["inside"], fit
    projector.screenshot(path=shots / "projector-ikigai-full-1920.png")
    a.screenshot(path=shots / "phone-ikigai-390.png", full_page=True)
    board.screenshot(path=shots / "moderator-ikigai-1366.png", full_page=True)
    projector.screenshot(path=shots / "projector-ikigai-1920.png")

    # Tact 5, stages and support measures: a lecture, then the diagnosis.
    advance(console, 2)
    a.wait_for_selector(f".st-init[data-initiative-id='{first}'] .st-stage[data-stage='2']", timeout=10000)
    b.wait_for_selector(f".st-init[data-initiative-id='{first}'] .st-stage[data-stage='3']", timeout=10000)
    a.locator(f".st-init[data-initiative-id='{first}'] .st-stage[data-stage='2']").click()
    b.locator(f".st-init[data-initiative-id='{first}'] .st-stage[data-stage='3']").click()
    a.wait_for_selector(f".st-init[data-initiative-id='{first}'] .st-stage.is-mine[data-stage='2'] .st-count",
                        timeout=10000)
    a.wait_for_selector(f".st-init[data-initiative-id='{first}'] .st-stage[data-stage='3'] .st-count", timeout=10000)
    assert a.locator(f".st-init[data-initiative-id='{first}'] .st-guide .st-risks").inner_text().find("Разговоры без результата") >= 0
    a.locator(f".st-init[data-initiative-id='{first}'] .st-pick-item[data-key='financial.emergence.1']").click()
    a.wait_for_selector(f".st-init[data-initiative-id='{first}'] .st-measure:has-text('Гранты')", timeout=10000)

    board.wait_for_selector("#tact-board [data-pane=stages] .st-stage-list", timeout=10000)
    board.locator(f"[data-pane=stages] .bd-picker-tabs [data-initiative='{first}']").click()
    board.wait_for_selector(".st-stage-card[data-stage='2'] .st-count")
    board.locator(".st-stage-card[data-stage='2'] [data-act=st-place]").click()
    board.wait_for_selector(".st-stage-card.is-group[data-stage='2']")
    board.locator(".st-matrix [data-id='consulting.emergence.1']").click()
    board.wait_for_selector(".st-matrix .st-chip.is-on[data-id='consulting.emergence.1']")
    board.locator("[data-f=st-own-kind]").select_option("property")
    board.fill("[data-f=st-own-text]", "Комната в библиотеке по вечерам")
    board.locator(".st-own button[type=submit]").click()
    board.wait_for_selector(".st-chosen-item.is-own:has-text('Комната в библиотеке')")
    for phone in (a, b):
        phone.wait_for_selector(f".st-init[data-initiative-id='{first}'] .st-decided.is-set", timeout=10000)
        phone.wait_for_selector(f".st-init[data-initiative-id='{first}'] .st-measure:has-text('Комната в библиотеке')",
                                timeout=10000)
        phone.wait_for_selector(f".st-init[data-initiative-id='{first}'] .st-measure:has-text('Менторство')")
    # The ikigai focus is carried forward: the stages views show it beside the initiative.
    assert "дальних улицах" in a.locator(f".st-init[data-initiative-id='{first}'] .st-ik-focus").inner_text()
    with database(server) as con:
        assert con.execute("select stage from stage_places where initiative_id=?", (first,)).fetchone()[0] == 2
        assert sorted(r[0] for r in con.execute(
            "select v.stage from stage_votes v join stage_places p on p.id=v.place_id "
            "where p.initiative_id=?", (first,))) == [2, 3]
        measures = con.execute("select catalog_key, phase, text from support_measures where "
                               "initiative_id=? and deleted_at is null order by id", (first,)).fetchall()
        assert [m[0] for m in measures] == ["financial.emergence.1", "consulting.emergence.1", None]
        assert measures[2][1] == "emergence"  # the own measure took the placed stage's phase
    projector.wait_for_selector(".st-pj-stage[data-stage='2'] .st-pj-chip", timeout=10000)
    projector.wait_for_selector(".st-pj-card:has-text('Комната в библиотеке')", timeout=10000)
    projector.wait_for_timeout(500)
    a.screenshot(path=shots / "phone-stages-390.png", full_page=True)
    board.screenshot(path=shots / "moderator-stages-1366.png", full_page=True)
    projector.screenshot(path=shots / "projector-stages-1920.png")

    # Many measures: the card keeps its type size and says how many it leaves out, never cutting
    # a line in half or hiding one without a word.
    for kind in ("financial", "property", "information", "staffing", "consulting"):
        for _ in range(3):
            chip = board.locator(f".st-matrix .st-chip[data-id^='{kind}.']:not(.is-on)").first
            key = chip.get_attribute("data-id")
            chip.click()
            board.wait_for_selector(f".st-matrix .st-chip.is-on[data-id='{key}']")
    with database(server) as con:
        (total,) = con.execute("select count(*) from support_measures where initiative_id=? and "
                               "deleted_at is null", (first,)).fetchone()
    card = projector.locator(f".st-pj-card[data-initiative-id='{first}']")
    card.locator(".st-pj-more").wait_for(timeout=10000)
    held = lambda: card.evaluate(  # noqa: E731  (every measure on the card, shown or counted)
        "(c) => [...c.querySelectorAll('.st-pj-measures li[data-count]')]"
        ".reduce((n, li) => n + +li.dataset.count, 0)")
    for _ in range(50):    # the last picks may still be on their way to the projector
        if held() == total:
            break
        projector.wait_for_timeout(200)
    assert held() == total
    fit = card.evaluate("""(c) => {
      const box = c.getBoundingClientRect();
      const shown = [...c.querySelectorAll('.st-pj-measures li:not(.hidden)')];
      return {inside: shown.every((li) => li.getBoundingClientRect().bottom <= box.bottom + 1),
              counted: shown.filter((li) => li.dataset.count).reduce((n, li) => n + +li.dataset.count, 0),
              more: c.querySelector('.st-pj-more').textContent,
              size: parseFloat(getComputedStyle(shown[0]).fontSize)}}""")
    assert fit["inside"], fit
    assert fit["more"] == f"Ещё мер: {total - fit['counted']}" and fit["counted"] < total, (fit, total)
    assert fit["size"] >= 32, fit  # 1.7vw at 1920, read from the back of a room
    projector.screenshot(path=shots / "projector-stages-many-1920.png")
    for ctx in (laptop, mod_ctx, screen):
        ctx.close()
