"""Tacts 3–5 and the day-1 presentation in a browser, against the real server.

A touch phone drags an idea into an initiative, stakes chips, adds a stakeholder with values
and a resource flow; the group moderator clusters, opens staking, reveals and locks List B;
the projector shows the board, the stakeholder map, the flagged one-sided stakeholder and the
group's presentation. Screenshots of each view go to test-artifacts/.
"""

import pytest

from .conftest import database, demo, staff_screens, wait_until

pytestmark = pytest.mark.e2e


def _touch_drag(page, source, target):
    """Drag with a finger: touchstart, hold past SortableJS's touch delay, move in steps, lift.

    Both ends must be on screen (and not under the sticky bars): the source goes just below
    the top bar, and the target list must start within the viewport."""
    page.evaluate("(el) => { el.scrollIntoView({block: 'start'}); window.scrollBy(0, -170); }",
                  source.element_handle())
    page.wait_for_timeout(200)
    a, b = source.bounding_box(), target.bounding_box()
    assert b["y"] + 20 < page.viewport_size["height"], (a, b)
    cdp = page.context.new_cdp_session(page)
    x0, y0 = a["x"] + 30, a["y"] + a["height"] / 2
    x1, y1 = b["x"] + b["width"] / 2, b["y"] + min(b["height"] - 5, 40)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x0, "y": y0}]})
    page.wait_for_timeout(450)
    for n in range(1, 16):
        x, y = x0 + (x1 - x0) * n / 15, y0 + (y1 - y0) * n / 15
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]})
        page.wait_for_timeout(30)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def test_tacts_3_to_5_and_the_presentation(server, browser, phone_context, shots):
    d = demo(server, "--filled", "--until", "brainstorm")
    sid, code = d.sid, d.code
    console, board, projector, contexts = staff_screens(browser, server, d)

    # Tact 3: the moderator takes ideas of List A and clusters them into two initiatives.
    console.locator("[data-action=advance]").click()
    board.wait_for_selector("#tact-board [data-pane=clustering]", timeout=10000)
    takes = board.locator(".bd-list[data-list=a] .bd-idea [data-act=take]")
    for n in range(4):
        takes.nth(n).click()
        board.wait_for_selector(f".bd-list[data-list=pool] .bd-idea >> nth={n}")
    for name in ("Батарейки в школах", "Экотропа у озера"):
        board.fill("[data-f=new-initiative]", name)
        board.locator(".bd-create button[type=submit]").click()
        board.wait_for_selector(f".bd-init:has-text('{name}')")
    with database(server) as con:
        first, second = [r[0] for r in con.execute(
            "select id from initiatives where session_id=? order by id", (sid,))]
    board.locator("[data-f=participants_cluster]").check()

    # A phone with touch joins group 1 and drags an idea from the pool into an initiative.
    ctx = phone_context()
    phone = ctx.new_page()
    phone.goto(f"{server.url}/j/{code}")
    phone.fill("input[name=display_name]", "Вера")
    phone.get_by_text("Экопросвещение", exact=True).click()
    phone.click("button[type=submit]")
    phone.wait_for_selector("#conn[data-status=online]")
    phone.wait_for_selector(".ph-clustering .ph-pool .ph-idea")
    # the board's "participants cluster" has reached the phone: its lists take a drag
    phone.wait_for_selector(f"ul.ph-ideas.ph-can-drag[data-initiative-id='{first}']",
                            timeout=10000)
    source = phone.locator(".ph-pool .ph-idea").first
    idea_id = int(source.get_attribute("data-idea-id"))
    _touch_drag(phone, source, phone.locator(f"ul.ph-ideas[data-initiative-id='{first}']"))
    phone.wait_for_selector(f"ul.ph-ideas[data-initiative-id='{first}'] "
                            f".ph-idea[data-idea-id='{idea_id}']", timeout=10000)
    board.wait_for_selector(f".bd-init[data-initiative='{first}'] .bd-idea", timeout=10000)
    with database(server) as con:
        assert con.execute("select initiative_id from selections where idea_id=? and group_id="
                           "(select group_id from initiatives where id=?)",
                           (idea_id, first)).fetchone()[0] == first
    phone.screenshot(path=shots / "phone-clustering-390.png", full_page=True)

    # Stakes: the moderator opens staking; the phone places its five chips, a sixth is refused.
    board.locator("[data-part=staking] button[data-act=staking]").click()
    phone.wait_for_selector("[data-stake=plus]")
    for target, taps in ((first, 3), (second, 2)):
        plus = phone.locator(f".ph-init[data-initiative-id='{target}'] [data-stake=plus]")
        for _ in range(taps):
            plus.click()
            phone.wait_for_timeout(150)
    phone.wait_for_selector(".ph-chips[data-left='0']")
    wait_until(phone, "!document.querySelector('.ph-stake-state.pending')", timeout=10000)
    phone.locator(f".ph-init[data-initiative-id='{first}'] [data-stake=plus]").click()
    with database(server) as con:
        stakes = dict(con.execute("select initiative_id, count from stakes").fetchall())
    assert stakes == {first: 3, second: 2}
    phone.screenshot(path=shots / "phone-stakes-390.png", full_page=True)

    # The moderator reveals and locks List B; the phone and the projector show the ranking.
    board.locator("[data-f=totals_revealed]").check()
    phone.wait_for_selector(f".ph-listb li[data-initiative-id='{first}']")
    board.locator("button[data-act=lock]").click()
    board.wait_for_selector(".bd-locked-note")
    board.screenshot(path=shots / "moderator-clustering-1440.png", full_page=True)
    console.locator("[data-action=show-group]").click()
    projector.wait_for_selector("text=Батарейки в школах", timeout=10000)
    projector.wait_for_timeout(800)
    projector.screenshot(path=shots / "projector-clustering-1920.png")

    # Tact 4: the phone adds stakeholders with values to the top initiative.
    console.locator("[data-action=advance]").click()
    phone.wait_for_selector(f".ph-stakeholders .ph-init[data-initiative-id='{first}'] .ph-sh-form")
    form = phone.locator(f".ph-init[data-initiative-id='{first}'] .ph-sh-form")
    for name, type_, value in (("Школа № 12", "public_body", "практика для учеников"),
                               ("Газета «Вести Прибрежья»", "media", "местные истории")):
        form.locator("input[name=name]").fill(name)
        form.locator("select[name=type]").select_option(type_)
        form.locator("input[name=value]").fill(value)
        form.locator("[data-action=add-stakeholder]").click()
        phone.wait_for_selector(f".ph-sh:has-text('{name}')")
    school = phone.locator(".ph-sh:has-text('Школа № 12')")
    school.locator(".ph-value-form input[name=value]").fill("имидж школы")
    school.locator("[data-action=add-value]").click()
    school.locator(".ph-value:has-text('имидж школы')").wait_for()
    phone.screenshot(path=shots / "phone-stakeholders-390.png", full_page=True)
    projector.wait_for_selector("svg.tk-map", timeout=10000)
    wait_until(projector, "[...document.querySelectorAll('svg.tk-map text')]"
               ".some((t) => t.textContent.includes('Школа № 12'))")
    projector.wait_for_timeout(800)
    projector.screenshot(path=shots / "projector-stakeholders-1920.png")
    # One initiative on the whole screen: the chief picks it beside the group; its map is drawn
    # larger; "all initiatives" brings the others back.
    from playwright.sync_api import expect
    name_size = f"""() => Math.max(...[...document.querySelectorAll(
      ".pj-panel[data-initiative-id='{first}'] svg.tk-map .tk-node text")]
      .map((t) => t.getBoundingClientRect().height))"""
    before = projector.evaluate(name_size)
    pick = console.locator("#show-initiative")
    expect(pick).to_be_visible()
    pick.select_option(str(first))
    console.locator("[data-action=show-group]").click()
    expect(projector.locator(".pj-panels")).to_have_attribute("data-count", "1")
    expect(projector.locator(f".pj-panel[data-initiative-id='{first}'] svg.tk-map")).to_have_count(1)
    projector.wait_for_timeout(500)
    projector.screenshot(path=shots / "projector-stakeholders-one-1920.png")
    assert projector.evaluate(name_size) > before * 1.15, (before, projector.evaluate(name_size))
    name = projector.locator(".pj-panel-title").inner_text()
    expect(console.locator("#on-screen")).to_contain_text(name)
    pick.select_option("")
    console.locator("[data-action=show-group]").click()
    expect(projector.locator(".pj-panels")).not_to_have_attribute("data-count", "1")
    board.wait_for_selector(".bd-sh:has-text('Газета')")
    board.screenshot(path=shots / "moderator-stakeholders-1440.png", full_page=True)

    # Tact 5: a flow from the newspaper to the initiative: the newspaper only gives.
    console.locator("[data-action=advance]").click()
    flow = phone.locator(f".ph-resources .ph-init[data-initiative-id='{first}'] .ph-flow-form")
    flow.wait_for()
    with database(server) as con:
        paper = con.execute("select id from stakeholders where name like 'Газета%'").fetchone()[0]
    flow.locator("select[name=source]").select_option(str(paper))
    flow.locator("select[name=target]").select_option("")
    flow.locator("select[name=resource]").select_option("media")
    flow.locator("input[name=resource_text]").fill("публикации о занятиях")
    flow.locator(".ph-mark-choice:has(input[value=given])").click()
    flow.locator("button[type=submit]").click()
    phone.wait_for_selector(".ph-flow[data-flow-id]")
    phone.wait_for_selector(f".ph-bal[data-stakeholder-id='{paper}'] .ph-flag[data-flag=only_gives]")
    phone.screenshot(path=shots / "phone-resources-390.png", full_page=True)
    board.wait_for_selector(f".bd-matrix tr.is-flagged[data-stakeholder='{paper}']")
    board.screenshot(path=shots / "moderator-resources-1440.png", full_page=True)
    projector.wait_for_selector("svg.tk-flows", timeout=10000)
    flagged = projector.locator("li.pj-flag[data-flag=only_gives]")
    flagged.wait_for()
    assert "Газета «Вести Прибрежья»" in flagged.inner_text()
    projector.wait_for_timeout(800)
    projector.screenshot(path=shots / "projector-resources-1920.png")
    with database(server) as con:
        assert con.execute("select count(*) from flows where source_id=?", (paper,)).fetchone()[0] == 1

    # The day-1 presentation: the chief moderator puts group 1 on the screen with its timer.
    console.locator("[data-action=advance]").click()
    console.locator("[data-action=present]").first.click()
    projector.wait_for_selector("#projector.mode-present", timeout=10000)
    projector.wait_for_selector("text=Батарейки в школах")
    projector.wait_for_timeout(800)
    projector.screenshot(path=shots / "projector-present-1920.png")
    phone.screenshot(path=shots / "phone-presentation-390.png", full_page=True)
    for c in contexts:
        c.close()
