"""The group moderator types cards one after another faster than the acks come back: none is
dropped and the box is never cleared under the next card's text."""
import pytest

from .conftest import database, demo, staff_screens

pytestmark = pytest.mark.e2e


def test_cards_typed_back_to_back_are_all_posted(server, browser):
    from playwright.sync_api import expect  # here: without playwright the e2e tests skip
    d = demo(server, "--filled", "--until", "brainstorm")
    _console, board, _projector, _contexts = staff_screens(browser, server, d)
    board.wait_for_selector("#conn[data-status=online]")
    texts = [f"Карточка подряд № {n}" for n in range(1, 5)]
    for first, second in (texts[:2], texts[2:]):
        # The second card is typed and sent at once, while the first is still on its way: its
        # Enter must not be dropped, nor its text cleared by the first card's ack.
        board.fill("#post-text", first)
        board.press("#post-text", "Enter")
        board.fill("#post-text", second)
        board.press("#post-text", "Enter")
        for text in (first, second):
            board.wait_for_selector(f"#board .mod-card:has-text('{text}')")
        expect(board.locator("#post-text")).to_have_value("")
    with database(server) as con:
        stored = [r[0] for r in con.execute(
            "select text from ideas where session_id=? and text like 'Карточка подряд%'",
            (d.sid,))]
    assert sorted(stored) == sorted(texts)
