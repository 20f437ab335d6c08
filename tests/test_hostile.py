"""Hostile inputs for the reader, the calendar import and the file commands (issue 10).

Each case runs the real ``aexl`` command on a real file made here and asserts the exit
code, the message, that no raw control character reaches the terminal, and that no input
file changed (SHA-256 of every file under the case's folder, before and after).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from aexl import schema

sys.path.insert(0, str(Path(__file__).parent))
from test_workbook import _jobs_book, write_hostile_register  # noqa: E402

NOTICES = Path(__file__).parent / "data" / "holiday_notices"


def run(*args, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "aexl", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        stdin=subprocess.DEVNULL,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


# Each setup makes its input files in a folder and returns the command's arguments.


def stray_cell(folder: Path) -> list:
    return ["check", "--book", _jobs_book(folder / "wb.xlsx", 3, stray=(1048575, 16383))]


def over_row_cap(folder: Path) -> list:
    return ["check", "--book", _jobs_book(folder / "wb.xlsx", 12)]


def error_values(folder: Path) -> list:
    return ["check", "--book", write_hostile_register(folder / "wb.xlsx", schema.JOBS, "#REF!")]


def infinite_effect(folder: Path) -> list:
    book = write_hostile_register(folder / "wb.xlsx", schema.EFFECTS, "#N/A", also=("工作单",))
    return ["check", "--json", "--book", book]


def escape_in_sheet_name(folder: Path) -> list:
    import xlsxwriter

    path = folder / "wb\x1b[2J.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("工作单").write_row(0, 0, ["工作号"])
    book.close()
    return ["check", "--book", path]


def wrong_year_notice(folder: Path) -> list:
    notice = folder / "通知.txt"
    notice.write_text((NOTICES / "2026.txt").read_text("utf-8"), "utf-8")
    return ["calendar", "import", notice, "--book", _jobs_book(folder / "wb.xlsx", 1), "--year", "2027", "--yes"]  # fmt: skip


def read_only_book(folder: Path) -> list:
    notice = folder / "通知.txt"
    notice.write_text((NOTICES / "2026.txt").read_text("utf-8"), "utf-8")
    book = _jobs_book(folder / "wb.xlsx", 1)
    book.chmod(0o444)
    return ["calendar", "import", notice, "--book", book, "--yes"]


def not_a_notice(folder: Path) -> list:
    notice = folder / "通知.txt"
    notice.write_bytes(b"\x00\xff\xfe" * 100)
    return ["calendar", "import", notice, "--book", _jobs_book(folder / "wb.xlsx", 1), "--yes"]


def text_not_a_notice(folder: Path) -> list:
    notice = folder / "通知.txt"
    notice.write_text("关于2027年部分节假日安排\n=cmd|' /C calc'!A0\n请遵照执行。", "utf-8")
    return ["calendar", "import", notice, "--book", _jobs_book(folder / "wb.xlsx", 1), "--yes"]


def duplicate_member(folder: Path) -> list:
    import warnings

    from aexl.files.archive import MANIFEST_NAME, _manifest_text

    path = folder / "存档.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("客户/a.pdf", b"real")
        zf.writestr(MANIFEST_NAME, _manifest_text([_row("客户/a.pdf", b"real")]))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            zf.writestr("客户/a.pdf", b"forged")
    return ["files", "verify", path]


def _row(name: str, data: bytes):
    from aexl.files.archive import ManifestRow

    return ManifestRow(name, len(data), hashlib.sha256(data).hexdigest(), "2026-09-30 10:00:00")


def control_characters_in_names(folder: Path) -> list:
    drafts = folder / "档案" / "客户" / "品牌" / "创意表现" / "过程稿"
    drafts.mkdir(parents=True)
    (folder / "档案" / "客户" / "品牌" / "进度表").mkdir()
    (drafts / "海报\x1b]0;pwned\x07\x1b[2J.psd").write_bytes(b"x")
    return ["files", "check", folder / "档案", "--today", "2026-11-10"]


def fifo_named_xlsx(folder: Path) -> list:
    drafts = folder / "档案" / "客户" / "品牌" / "创意表现" / "过程稿"
    drafts.mkdir(parents=True)
    os.mkfifo(drafts / "20261105_品牌_工作台.xlsx")
    return ["files", "check", folder / "档案", "--today", "2026-11-10"]


CASES = [
    # (setup, exit code, words in stdout+stderr, env)
    (stray_cell, 2, "单元格 XFD1048576", {}),
    (over_row_cap, 2, "有内容的行超过 10 行", {"AEXL_MAX_ROWS": "10"}),
    (error_values, 1, "单元格是错误值 #REF!", {}),
    (infinite_effect, 1, "不是有限数", {}),
    (escape_in_sheet_name, 2, "wb\\x1b[2J.xlsx", {}),
    (wrong_year_notice, 2, "不是周四", {}),
    (read_only_book, 2, "只读", {}),
    (not_a_notice, 2, "无法识别文件的文字编码", {}),
    (text_not_a_notice, 2, "没有从通知中读到", {}),
    (duplicate_member, 1, "两个同名成员", {}),
    (control_characters_in_names, 1, "\\x1b[2J", {}),
    (fifo_named_xlsx, 0, "不是普通文件", {}),
]


@pytest.mark.parametrize("setup, code, words, env", CASES, ids=[case[0].__name__ for case in CASES])
def test_hostile_input(tmp_path, setup, code, words, env):
    args = setup(tmp_path)
    before = hashes(tmp_path)
    result = run(*args, env=env)
    output = result.stdout + result.stderr
    assert result.returncode == code, output
    assert words in output
    assert "\x1b" not in output and "Traceback" not in output
    assert hashes(tmp_path) == before
