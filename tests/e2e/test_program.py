"""The program builder in a browser: add an item, move it with the arrow (script and touch),
see it on the chief moderator's console live; screenshots at laptop and phone widths."""
import re

from .conftest import login, wait_until


def _titles(page):
    return page.locator("#program .prog-title").all_inner_texts()


def test_builder_adds_and_reorders_and_the_console_follows(browser, server, shots):
    sid = int(re.search(r"^session: (\d+)$", server.demo, re.MULTILINE).group(1))
    laptop = browser.new_context(viewport={"width": 1366, "height": 900}, locale="ru-RU")
    try:
        console = laptop.new_page()
        login(console, server, "organizer@demo.takt", server.organizer_password)
        console.goto(f"{server.url}/moderate/{sid}")
        console.wait_for_selector("#conn[data-status=online]")
        builder = laptop.new_page()
        errors = []
        builder.on("pageerror", lambda exc: errors.append(str(exc)))
        builder.goto(f"{server.url}/organizer/s/{sid}/program")
        assert "Конструктор программы" in builder.inner_text("h1")
        day1 = builder.locator("#day-1 + .prog-items .prog-item").count()

        # add an item at the end of day 1 (a plain form post)
        builder.fill("#new-title_ru", "Кофе-брейк")
        builder.fill("#new-title_en", "Coffee break")
        builder.fill("#new-day", "1")
        builder.fill("#new-start_time", "17:55")
        builder.fill("#new-duration_min", "15")
        builder.click("#add button[type=submit]")
        builder.wait_for_url(re.compile(r"/program#item-\d+$"))
        titles = _titles(builder)
        assert titles[day1] == "Кофе-брейк"
        assert "Пункт добавлен" in builder.inner_text(".flashes")
        wait_until(
            console, "() => [...document.querySelectorAll('#agenda .mod-item-title')]"
            ".some(e => e.textContent === 'Кофе-брейк')")

        # move it up with the arrow: the script swaps the list in place, focus stays on the arrow
        item = builder.locator(".prog-item", has_text="Кофе-брейк")
        item_id = item.get_attribute("data-item-id")
        item.locator("[data-action=up]").click()
        wait_until(
            builder, "(n) => [...document.querySelectorAll('#program .prog-title')][n]?.textContent"
            " === 'Кофе-брейк'", arg=day1 - 1)
        assert builder.evaluate("document.activeElement.dataset.action") == "up"
        assert builder.evaluate("document.activeElement.closest('[data-item-id]').dataset"
                                ".itemId") == item_id
        assert "Пункт передвинут" in builder.inner_text("#program-status")
        # the console shows the new order without a reload
        wait_until(
            console, "(n) => { const t = [...document.querySelectorAll('#agenda .mod-item-title')]"
            ".map(e => e.textContent); return t.indexOf('Кофе-брейк') === n - 1; }", arg=day1)
        order = console.locator("#agenda .mod-item-title").all_inner_texts()
        assert order.index("Кофе-брейк") == day1 - 1

        # past and current items are locked once the session runs
        console.click("[data-action=advance]")
        wait_until(console, "() => !!document.querySelector('#agenda [aria-current]')")
        builder.goto(f"{server.url}/organizer/s/{sid}/program")
        first = builder.locator(".prog-item").first
        assert "prog-locked" in first.get_attribute("class")
        assert first.locator("[data-action]").count() == 0
        builder.screenshot(path=str(shots / "program-builder-1366.png"), full_page=False)
        builder.locator(".prog-item", has_text="Кофе-брейк").locator("summary").click()
        builder.locator(".prog-item", has_text="Кофе-брейк").scroll_into_view_if_needed()
        builder.screenshot(path=str(shots / "program-builder-1366-edit.png"), full_page=False)
        assert not errors, errors
    finally:
        laptop.close()


def test_builder_on_a_phone_moves_by_touch(browser, server, shots):
    sid = int(re.search(r"^session: (\d+)$", server.demo, re.MULTILINE).group(1))
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                              has_touch=True, device_scale_factor=2, locale="ru-RU")
    try:
        page = ctx.new_page()
        login(page, server, "organizer@demo.takt", server.organizer_password)
        page.goto(f"{server.url}/organizer/s/{sid}/program")
        before = _titles(page)
        second = page.locator(".prog-item").nth(1)
        second.locator("[data-action=up]").tap()
        wait_until(
            page, "(t) => document.querySelector('#program .prog-title').textContent === t",
            arg=before[1])
        assert _titles(page)[:2] == [before[1], before[0]]
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page scrolls sideways: {width}px"
        page.screenshot(path=str(shots / "program-builder-390.png"), full_page=False)
        page.locator("#add").scroll_into_view_if_needed()
        page.screenshot(path=str(shots / "program-builder-390-add.png"), full_page=False)
    finally:
        ctx.close()
