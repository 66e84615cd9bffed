"""LibreOffice (headless) converts the DOCX report and the summary PPTX to PDF; page 1 of each
is rendered to PNG in test-artifacts/ for a person to look at. Skips with a reason where
LibreOffice or poppler is missing (`make libreoffice` installs them where apt can run)."""
import shutil
import subprocess
from pathlib import Path

import pytest

from facilitation import exports

from .office_sessions import demo_app  # noqa: F401  (a module-scoped fixture)

SOFFICE = shutil.which("libreoffice") or shutil.which("soffice")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = [
    pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed (make libreoffice)"),
    pytest.mark.skipif(shutil.which("pdftoppm") is None or shutil.which("pdfinfo") is None,
                       reason="poppler-utils (pdftoppm, pdfinfo) are not installed"),
]


def test_libreoffice_converts_docx_and_pptx_to_pdf(demo_app, tmp_path):
    _app, session_id = demo_app
    sources = []
    for fmt in ("docx", "pptx"):
        body, _mimetype, extension = exports.render(fmt, session_id)
        path = tmp_path / f"session-{extension}.{extension}"  # one PDF name each
        path.write_bytes(body)
        sources.append(path)
    # A profile of its own: parallel runs (and a user's open LibreOffice) do not clash.
    profile = (tmp_path / "lo-profile").as_uri()
    result = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(tmp_path), *map(str, sources)],
        capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stderr
    ARTIFACTS.mkdir(exist_ok=True)
    for source in sources:
        pdf = source.with_suffix(".pdf")
        assert pdf.exists() and pdf.stat().st_size > 1000, result.stdout + result.stderr
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, timeout=60)
        pages = int(next(line.split()[-1] for line in info.stdout.splitlines()
                         if line.startswith("Pages:")))
        assert pages >= (10 if source.suffix == ".docx" else 15)
        png = ARTIFACTS / f"export-{source.suffix[1:]}-page1"
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile",
                        str(pdf), str(png)], check=True, timeout=60)
        assert png.with_suffix(".png").stat().st_size > 1000
