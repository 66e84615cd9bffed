"""The organizer's outcomes: downloads in every format, the printable summary, refusals."""
import re

import pytest

from facilitation.exports import FORMATS


@pytest.fixture
def filled(runner):
    out = runner.invoke(args=["demo", "--filled"]).output
    return (int(re.search(r"^session: (\d+)$", out, re.M).group(1)),
            re.search(r"organizer@demo\.takt / (\S+)", out).group(1))


def test_downloads_and_summary_for_the_organizer_only(client, auth, runner, filled, world):
    filled, password = filled
    base = f"/organizer/s/{filled}"
    assert client.get(f"{base}/export.md").status_code == 302  # sign in first
    auth.login(world.organizer)  # the organizer of another session
    assert client.get(f"{base}/export.md").status_code == 403
    assert client.get(f"{base}/summary").status_code == 403
    auth.logout()
    client.post("/login", data={"email": "organizer@demo.takt", "password": password})
    page = client.get(base).get_data(as_text=True)
    assert "Итоги и выгрузки" in page and f"{base}/summary" in page
    for fmt in FORMATS:
        response = client.get(f"{base}/export.{fmt}")
        assert response.status_code == 200, fmt
        assert response.headers["Content-Disposition"].endswith(f"session-{filled}.{fmt}")
        assert response.data
    md = client.get(f"{base}/export.md").get_data(as_text=True)
    assert md.startswith("# Экокампус") and "## Команда второго дня: Экотропа" in md
    assert client.get(f"{base}/export.exe").status_code == 404
    assert client.get(f"{base}/export.md?group=999999").status_code == 404
    summary = client.get(f"{base}/summary").get_data(as_text=True)
    assert "Список Б" in summary and "Совет НКО и ТОС" in summary and "<script>" not in summary.split(
        "</main>")[0].split("<main")[1]
    # The panel's form: one group in one format, or the page to print.
    form = client.get(f"{base}/download?fmt=md&group=5")
    assert form.status_code == 302 and "export.md?group=5" in form.headers["Location"]
    assert "summary" in client.get(f"{base}/download?fmt=print&group=0").headers["Location"]
    assert client.get(f"{base}/download?fmt=nope&group=0").status_code == 302
