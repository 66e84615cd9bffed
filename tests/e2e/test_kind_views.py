"""Kinds with their own scripts (static/js/tacts/kind_views.js) in a browser: the acks of a kind's
writes go to that kind's view only, and a refusal for a kind no longer on screen is still said.

A phone of the support workshop writes an ikigai entry while offline; the chief moderator moves on
past the canvas to the stage diagnosis; when the phone is back, the server refuses the late entry
(the canvas is closed) while the phone shows the stages: the phone says the entry was not saved,
above the stages view, and nothing is written.
"""
import pytest

from .conftest import advance, database, login, wait_until
from .test_support_workshop import _add_entry, _join, _setup

pytestmark = pytest.mark.e2e


def test_a_refusal_for_a_kind_off_screen_is_said_on_the_phone(server, browser, phone_context,
                                                               shots):
    d = _setup(server)
    sid = d["sid"]
    laptop = browser.new_context(viewport={"width": 1366, "height": 900}, locale="ru-RU")
    console = laptop.new_page()
    login(console, server, "organizer@demo.takt", d["organizer_pw"])
    console.goto(f"{server.url}/moderate/{sid}")
    console.wait_for_selector("#conn[data-status=online]")
    phone = _join(phone_context, server, d["code"], "Лариса", d["group"])
    with database(server) as con:
        first = con.execute("select id from initiatives where session_id=? order by id limit 1",
                            (sid,)).fetchone()[0]

    advance(console, 2)  # a break, then the ikigai canvas
    form = f".ik-init[data-initiative-id='{first}'] .ik-col[data-column=want] form"
    phone.wait_for_selector(form, timeout=10000)
    phone.context.set_offline(True)
    phone.wait_for_selector("#conn[data-status=offline]", timeout=15000)
    _add_entry(phone, first, "want", "Запоздалая запись")
    phone.wait_for_selector(".ik-entry.ph-pending:has-text('Запоздалая запись')")

    advance(console, 2)  # a lecture, then the stage diagnosis: the canvas is closed
    phone.context.set_offline(False)
    phone.wait_for_selector("#conn[data-status=online]", timeout=20000)
    phone.wait_for_selector(f".st-init[data-initiative-id='{first}'] .st-stage", timeout=10000)
    phone.wait_for_selector("#tact .ph-notice:has-text('Не сохранено')", timeout=10000)
    wait_until(phone, "!localStorage.getItem(Object.keys(localStorage).find((k) => "
               "k.startsWith('takt.outbox.')) || '[]').includes('Запоздалая')",
               timeout=10000)
    with database(server) as con:
        assert not con.execute("select count(*) from ikigai_entries where text=?",
                               ("Запоздалая запись",)).fetchone()[0]
    phone.screenshot(path=shots / "phone-kind-ack-refused-390.png", full_page=True)
    laptop.close()
