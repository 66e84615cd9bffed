"""The chief's console on laptop screens, in a browser against the real server: each column shows
all it holds or scrolls, and the count of joined phones is in sight at 1366×768, the commonest
laptop screen of our users. Screenshots go to test-artifacts/."""
import pytest

from .conftest import demo, login

pytestmark = pytest.mark.e2e

SIZES = [(1366, 768), (1280, 720), (1920, 1080)]
COLUMNS = ".mod-agenda, .mod-agenda-scroll, .mod-center, .mod-side"

# A column may hold more than it shows only if it scrolls; one that scrolls is on screen whole
# (the page at its top), so its scrollbar can be reached.
CLIPPED = """(selector) => [...document.querySelectorAll(selector)].flatMap(col => {
  const style = getComputedStyle(col), box = col.getBoundingClientRect();
  const scrolls = ['auto', 'scroll'].includes(style.overflowY);
  if (col.scrollHeight > col.clientHeight + 1 && !scrolls)
    return [`${col.className}: ${col.scrollHeight}px in ${col.clientHeight}px, overflow-y ${style.overflowY}`];
  if (scrolls && col.scrollHeight > col.clientHeight + 1 && box.bottom > innerHeight + 1)
    return [`${col.className}: scrolls but ends at ${box.bottom}px, under the screen's ${innerHeight}px`];
  return [];
})"""

# In the viewport, and the pointer would hit the element itself near its top and its bottom: not cut
# by its column's edge, not under another panel.
IN_SIGHT = """(el) => {
  const r = el.getBoundingClientRect(), x = r.left + r.width / 2;
  const shown = (y) => { const hit = document.elementFromPoint(x, y); return !!hit && el.contains(hit); };
  return r.height > 4 && r.top >= 0 && r.bottom <= innerHeight && shown(r.top + 2) && shown(r.bottom - 2);
}"""


def test_console_columns_fit_laptop_screens(server, browser, shots):
    """At 1366×768 the join code and «Подключились: N» are in sight before any scrolling, and the
    projector buttons and the last link of the column stay reachable; at every size no column
    clips what it holds without scrolling."""
    d = demo(server, "--filled")
    ctx = browser.new_context(viewport={"width": 1366, "height": 768}, locale="ru-RU")
    try:
        page = ctx.new_page()
        login(page, server, "organizer@demo.takt", d.organizer_pw)
        page.goto(f"{server.url}/moderate/{d.sid}")
        page.wait_for_selector("#conn[data-status=online]")
        page.wait_for_selector("#agenda li")
        joined = page.locator(".mod-joined")
        assert "Подключились" in joined.text_content()
        assert joined.evaluate(IN_SIGHT) and page.locator(".mod-code").evaluate(IN_SIGHT)
        page.screenshot(path=shots / "console-fits-1366x768.png")

        for width, height in SIZES:
            page.set_viewport_size({"width": width, "height": height})
            page.evaluate("window.scrollTo(0, 0)")
            assert page.evaluate(CLIPPED, COLUMNS) == [], f"{width}×{height}"
            joined.scroll_into_view_if_needed()
            assert joined.is_visible()
            assert joined.evaluate(IN_SIGHT), f"{width}×{height}"

        page.set_viewport_size({"width": 1366, "height": 768})
        page.evaluate("window.scrollTo(0, 0)")
        for selector in (".mod-open-projector .button", "#snapshot-link", "[data-mode=join]"):
            target = page.locator(selector)
            target.scroll_into_view_if_needed()
            assert target.evaluate(IN_SIGHT), selector
    finally:
        ctx.close()
