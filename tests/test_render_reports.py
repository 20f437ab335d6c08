"""docs/render_reports.py: reports through LibreOffice headless to PDF and PNG pages."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

SCRIPT = Path(__file__).resolve().parents[1] / "docs" / "render_reports.py"
HAVE_TOOLS = bool(shutil.which("soffice") or shutil.which("libreoffice")) and bool(
    shutil.which("pdftoppm")
)


def render(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=600,
    )


def ink_share(picture: Path) -> float:
    """Share of pixels that are not (near) white."""
    with Image.open(picture) as image:
        gray = image.convert("L")
    histogram = gray.histogram()
    return sum(histogram[:200]) / (gray.width * gray.height)


@pytest.mark.skipif(not HAVE_TOOLS, reason="LibreOffice (soffice) or pdftoppm not installed")
def test_renders_job_sheets_to_png_pages(tmp_path):
    out = tmp_path / "render"
    # a fresh sample: the committed one may lag a workbench-contract change in progress
    result = render("--out", str(out), "--kinds", "jobsheet", "--pages", "1", "--fresh-sample")
    assert result.returncode == 0, result.stdout + result.stderr
    pages = sorted((out / "png").glob("*_jobsheet_*-1.png"))
    assert len(pages) == 2  # the sample's TVC job and print job
    for page in pages:
        with Image.open(page) as image:
            assert image.width < image.height  # the job sheet is A4 portrait
        assert ink_share(page) > 0.02, f"{page.name} is blank"
    index = (out / "index.md").read_text(encoding="utf-8")
    assert all(page.name in index for page in pages)
    assert "| jobsheet |" in index


def fake_path_without_tools(tmp_path: Path) -> dict:
    empty = tmp_path / "bin"
    empty.mkdir()
    return dict(os.environ, PATH=str(empty))


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        ("no_tools", "LibreOffice"),
        ("unknown_kind", "不认识的报告种类：weekly2"),
        ("foreign_out", "不是空的"),
    ],
)
def test_refusals_are_one_line_and_exit_2(tmp_path, case, expected):
    out = tmp_path / "out"
    args, env = ["--out", str(out)], None
    if case == "no_tools":
        env = fake_path_without_tools(tmp_path)
    elif case == "unknown_kind":
        args += ["--kinds", "weekly2"]
        if not HAVE_TOOLS:
            pytest.skip("the kind is checked after the tools; LibreOffice not installed")
    else:
        out.mkdir()
        (out / "notes.txt").write_text("someone's file", encoding="utf-8")
        if not HAVE_TOOLS:
            pytest.skip("the folder is checked after the tools; LibreOffice not installed")
    result = render(*args, env=env)
    assert result.returncode == 2
    assert expected in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    if case == "foreign_out":
        assert (out / "notes.txt").exists()  # nothing of the user's is removed
