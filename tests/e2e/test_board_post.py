"""The group moderator types cards one after another faster than the acks come back: none is
dropped and the box is never cleared under the next card's text."""
import pytest

from .conftest import database, demo, staff_screens

pytestmark = pytest.mark.e2e


def test_cards_typed_back_to_back_are_all_posted(server, browser):
    d = demo(server, "--filled", "--until", "brainstorm")
    _console, board, _projector, _contexts = staff_screens(browser, server, d)
    board.wait_for_selector("#conn[data-status=online]")
    texts = [f"Карточка подряд № {n}" for n in range(1, 5)]
    for text in texts:  # no waiting between them: the next Enter comes while one is in flight
        board.fill("#post-text", text)
        board.press("#post-text", "Enter")
    for text in texts:
        board.wait_for_selector(f"#board .mod-card:has-text('{text}')")
    board.wait_for_function("document.getElementById('post-text').value === ''")
    with database(server) as con:
        stored = [r[0] for r in con.execute(
            "select text from ideas where session_id=? and text like 'Карточка подряд%'",
            (d.sid,))]
    assert sorted(stored) == sorted(texts)
