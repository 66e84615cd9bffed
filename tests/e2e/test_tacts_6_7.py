"""Tacts 6–7 in a browser: two groups exchange a request and a solution from two phones while
the projector's matrix updates; a phone adds an objective and a key result (vague wording kept
on purpose); the group moderator's board follows. Screenshots go to test-artifacts/."""
from datetime import date, timedelta

import pytest

from .conftest import advance, database, demo, staff_screens

pytestmark = pytest.mark.e2e


def _phone(ctx, server, code, name, group):
    page = ctx.new_page()
    page.on("dialog", lambda d: d.accept())
    page.goto(f"{server.url}/j/{code}")
    page.fill("input[name=display_name]", name)
    page.get_by_text(group, exact=True).click()
    page.click("button[type=submit]")
    page.wait_for_selector("#conn[data-status=online]")
    return page


def test_requests_between_groups_and_key_results(server, browser, phone_context, shots):
    d = demo(server, "--filled", "--until", "resources")
    code = d.code
    console, board, projector, contexts = staff_screens(browser, server, d)

    # From tact 5 through the presentation and the day-2 briefings to tact 6.
    while "Запросы и решения" not in console.inner_text("#cur-title"):
        advance(console)
    console.locator("[data-action=show-wall]").click()  # during tact 6: the requests matrix
    projector.wait_for_selector(".pj6-matrix", timeout=10000)
    phone_a = _phone(phone_context(), server, code, "Вера", "Экопросвещение")
    phone_b = _phone(phone_context(), server, code, "Роман", "Город и партнёры")

    # Group A asks group B for a hall; the projector's matrix shows it as new.
    phone_a.wait_for_selector(".ph-requests")
    phone_a.locator("[data-tab=out]").click()
    form = phone_a.locator(".ph-req-form")
    form.locator("select[name=to_group]").select_option(label="Город и партнёры")
    initiative = form.locator("select[name=initiative]")
    options = [o for o in initiative.locator("option").all() if o.get_attribute("value")]
    initiative.select_option(options[0].get_attribute("value"))
    form.locator("label.ph-mark-choice:has(input[value=resource])").click()
    form.locator("textarea[name=text]").fill("Зал на 150 человек для фестиваля экоуроков")
    form.locator("[data-action=send-request]").click()
    phone_a.wait_for_selector("li.ph-req[data-status=new]:has-text('Зал на 150 человек')")
    with database(server) as con:
        rid, a, b = con.execute("select id, from_group_id, to_group_id from requests "
                                "where text like 'Зал на 150%'").fetchone()
    cell = f".pj6-cell[data-from='{a}'][data-to='{b}']"
    projector.wait_for_selector(f"{cell} .pj6-chip[data-status=new]", timeout=10000)
    projector.wait_for_timeout(600)
    projector.screenshot(path=shots / "projector-requests-1920.png")

    # Group B sees it in its inbox, proposes a solution and accepts; A sees it live.
    phone_b.wait_for_selector(".ph-badge[data-count]")
    phone_b.locator("[data-tab=in]").click()
    row = phone_b.locator(f"li.ph-req[data-request-id='{rid}']")
    row.locator(".ph-solution-form textarea[name=text]").fill("Малый зал администрации по субботам")
    row.locator("[data-action=answer]").click()
    row.locator(".ph-solution[data-solution-id]").wait_for()
    row.locator("[data-action=accept]").click()
    phone_a.wait_for_selector(f"li.ph-req[data-request-id='{rid}'][data-status=accepted]")
    phone_b.screenshot(path=shots / "phone-requests-390.png", full_page=True)
    projector.wait_for_selector(f"{cell} .pj6-chip[data-status=accepted]", timeout=10000)
    phone_a.locator(f"li.ph-req[data-request-id='{rid}'] [data-action=mark-done]").click()
    board.wait_for_selector(f"li[data-request='{rid}'][data-status=done]", timeout=10000)
    board.screenshot(path=shots / "moderator-requests-1440.png", full_page=True)
    with database(server) as con:
        status, solutions = con.execute(
            "select status, (select count(*) from solutions where request_id=requests.id) "
            "from requests where id=?", (rid,)).fetchone()
    assert (status, solutions) == ("done", 1)

    # Tact 7: an objective and a key result; vague wording is warned, then kept on purpose.
    console.locator("[data-action=advance]").click()
    phone_a.wait_for_selector(".ph-okr .ph-init[data-initiative-id] .ph-obj-form")
    section = phone_a.locator(".ph-okr .ph-init[data-initiative-id]").first
    section.locator(".ph-obj-form textarea[name=text]").fill("Экоуроки стали регулярными")
    section.locator("[data-action=add-objective]").click()
    objective = section.locator("li.ph-obj[data-objective-id]").first
    objective.wait_for()
    objective.locator("details.ph-kr-more summary").click()
    kr = objective.locator(".ph-kr-form")
    kr.locator("input[name=metric]").fill("повысить интерес школьников")
    kr.locator("input[name=baseline]").fill("1")
    kr.locator("input[name=target]").fill("12,5")
    kr.locator("input[name=unit]").fill("школ")
    kr.locator("input[name=deadline]").fill((date.today() + timedelta(days=120)).isoformat())
    owners = [o.get_attribute("value") for o in kr.locator("select[name=owner] option").all()
              if o.get_attribute("value")]
    kr.locator("select[name=owner]").select_option(owners[0])
    kr.locator("[data-action=add-key-result]").click()
    objective.locator(".ph-vague:not([hidden]) [data-action=keep-vague]").click()
    objective.locator("li.ph-kr[data-key-result-id]").wait_for()
    with database(server) as con:
        target, vague = con.execute("select target, vague_accepted from key_results "
                                    "where metric='повысить интерес школьников'").fetchone()
    assert (target, vague) == (12.5, 1)
    phone_a.screenshot(path=shots / "phone-okr-390.png", full_page=True)
    board.wait_for_selector("li.bd7-obj:has-text('Экоуроки стали регулярными')", timeout=10000)
    # The group's moderator adds a key result on the board: saved, its form is empty again.
    from playwright.sync_api import expect
    obj = board.locator("li.bd7-obj", has_text="Экоуроки стали регулярными")
    obj.locator("[data-f=kr-metric]").fill("число школ с еженедельными экоуроками")
    obj.locator("[data-f=kr-target]").fill("8")
    obj.locator("[data-f=kr-unit]").fill("школ")
    obj.locator("[data-f=kr-deadline]").fill((date.today() + timedelta(days=90)).isoformat())
    owner = obj.locator("[data-f=kr-owner] option:not([value=''])").first.get_attribute("value")
    obj.locator("[data-f=kr-owner]").select_option(owner)
    obj.locator("[data-act=add-kr]").click()   # a count, not a direction: no vague warning
    expect(obj.locator("tr.bd7-kr", has_text="число школ с еженедельными экоуроками")) \
        .to_have_count(1, timeout=10000)
    expect(obj.locator("[data-f=kr-metric]")).to_have_value("")
    expect(obj.locator("[data-f=kr-target]")).to_have_value("")
    # On a phone the key results stack under their column names: nothing wider than the screen,
    # the metric read in whole words.
    board.set_viewport_size({"width": 390, "height": 844})
    board.wait_for_timeout(300)
    assert board.evaluate("document.documentElement.scrollWidth") <= 390
    metric = obj.locator("tr.bd7-kr .bd7-kr-metric").first.bounding_box()
    assert metric["width"] >= 200, metric
    assert obj.locator("tr.bd7-kr td[data-label]").first.evaluate(
        "(td) => getComputedStyle(td, '::before').content") == '"Сейчас"'
    board.screenshot(path=shots / "moderator-okr-390.png", full_page=True)
    board.set_viewport_size({"width": 1440, "height": 900})
    board.screenshot(path=shots / "moderator-okr-1440.png", full_page=True)
    console.locator("[data-action=show-group]").click()  # the first group: Экопросвещение
    projector.wait_for_selector("#pj-work[data-view=okr] li.pj7-obj[data-objective-id]",
                                timeout=10000)
    projector.wait_for_timeout(600)
    projector.screenshot(path=shots / "projector-okr-1920.png")
    for c in contexts:
        c.close()
