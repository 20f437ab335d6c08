"""``aexl files``: folder tree, check, rename, archive and verify, on real folders in tmp_path."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import subprocess
import sys
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest

from aexl.files import archive as files_archive
from aexl.files import tree as files

TODAY = "2026-11-10"
CLIENT, BRAND = "美的集团", "美的空调"
BRAND_DIR = Path(CLIENT, BRAND)
DRAFTS = BRAND_DIR / "创意表现" / "过程稿"


def aexl(*args: str | Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "aexl", "files", *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )


def put(
    root: Path, rel: str | Path, when: str = "2026-11-05 10:00", data: bytes | None = None
) -> Path:
    """A file with the given modified time (content defaults to its own name)."""
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if data is not None else str(rel).encode())
    stamp = datetime.fromisoformat(when).timestamp()
    os.utime(path, (stamp, stamp))
    return path


def snapshot(root: Path) -> dict[str, tuple[bytes, float]]:
    return {
        p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime)
        for p in root.rglob("*")
        if p.is_file()
    }


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A full-service client with two brands, made by the real command."""
    result = aexl(
        "init", tmp_path / "档案", "--client", CLIENT, "--brand", BRAND, "--brand", "美的冰箱"
    )
    assert result.returncode == 0, result.stderr
    return tmp_path / "档案"


# ---- init ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "extra, present, absent",
    [
        (
            [],
            ["常规文件夹/工作进度表/对内", "常规文件夹/工作进度表/对外", "财务类文件夹/付款底单与签收",
             "已完成工作文件夹", "常规文件夹/其它", f"{BRAND}/创意表现/完稿", f"{BRAND}/市场资料/资料收集"],
            [],
        ),
        (["--single"], [f"{BRAND}/进度表/月进度表"], ["常规文件夹", "财务类文件夹", "已完成工作文件夹"]),
    ],
)  # fmt: skip
def test_init_creates_tree(tmp_path, extra, present, absent):
    result = aexl("init", tmp_path, "--client", CLIENT, "--brand", BRAND, *extra)
    assert result.returncode == 0, result.stderr
    printed = {Path(line) for line in result.stdout.splitlines()}
    for rel in present:
        assert (tmp_path / CLIENT / rel).is_dir()
        assert tmp_path / CLIENT / rel in printed
    for rel in absent:
        assert not (tmp_path / CLIENT / rel).exists()


def test_init_is_idempotent_and_keeps_files(root):
    kept = put(root, DRAFTS / "海报.psd", data=b"keep me")
    again = aexl("init", root, "--client", CLIENT, "--brand", BRAND)
    assert again.returncode == 0
    assert again.stdout == ""
    assert kept.read_bytes() == b"keep me"
    added = aexl("init", root, "--client", CLIENT, "--brand", "美的洗衣机")
    assert added.stdout.splitlines()[0] == str(root / CLIENT / "美的洗衣机")


@pytest.mark.parametrize(
    "option, name, words",
    [
        ("--client", "美的/集团", "不允许的字符"),
        ("--client", "美的:集团", "不允许的字符"),
        ("--client", "美的?", "不允许的字符"),
        ("--brand", 'a"b', "不允许的字符"),
        ("--client", "CON", "保留的设备名"),
        ("--brand", "lpt1.txt", "保留的设备名"),
        ("--client", "美的.", "结尾"),
        ("--client", " ", "不能为空"),
        ("--brand", "完稿", "规范文件夹同名"),
        ("--client", "存档与记录", "规范文件夹同名"),
        ("--client", "长" * 61, "过长"),
    ],
)
def test_init_refuses_bad_names(tmp_path, option, name, words):
    names = {"--client": CLIENT, "--brand": BRAND, option: name}
    result = aexl(
        "init", tmp_path / "r", "--client", names["--client"], "--brand", names["--brand"]
    )
    assert result.returncode == 2
    assert words in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert not (tmp_path / "r").exists()


# ---- check -----------------------------------------------------------------------------------


@pytest.fixture
def messy(root: Path) -> Path:
    put(root, "散落的报价.xlsx")  # outside any client folder
    put(root, Path(CLIENT, "20261101_美的集团_会议记录.docx"))  # client root of a full client
    put(root, BRAND_DIR / "创意表现" / "20261101_美的空调_海报.psd")  # container folder
    put(root, DRAFTS / "海报初稿.psd", "2026-11-05 09:30")  # no date, no project
    put(root, DRAFTS / "20260901_美的空调_海报过程稿.psd", "2026-09-01 12:00")  # stale
    put(root, DRAFTS / "~$20261105_美的空调_文案.docx")  # Office lock file
    put(root, BRAND_DIR / "创意表现" / "文案" / "Thumbs.db")
    put(root, BRAND_DIR / "创意表现" / "完稿" / "20260301_美的空调_完稿.ai", "2026-03-01 10:00")
    put(root, Path(CLIENT, "常规文件夹", "会议记录", "2026-11-03_美的冰箱_会议记录.docx"))
    put(
        root,
        Path(
            CLIENT,
            "常规文件夹",
            "其它",
            "20261010_美的集团_资料.pdf",
        ),
        "2026-10-10 08:00",
    )
    put(
        root, Path("小米", "20261101_小米_提案.pptx")
    )  # one-off client: files may lie in its folder
    put(root, Path("小米", "杂七杂八.png"), "2026-08-01 10:00")
    return root


EXPECTED = {
    ("散落的报价.xlsx", "files.outside_folder"),
    ("散落的报价.xlsx", "files.naming"),
    (f"{CLIENT}/20261101_美的集团_会议记录.docx", "files.outside_folder"),
    (f"{CLIENT}/{BRAND}/创意表现/20261101_美的空调_海报.psd", "files.outside_folder"),
    (f"{DRAFTS.as_posix()}/海报初稿.psd", "files.naming"),
    (f"{DRAFTS.as_posix()}/20260901_美的空调_海报过程稿.psd", "files.stale"),
    (f"{DRAFTS.as_posix()}/~$20261105_美的空调_文案.docx", "files.lock"),
    (f"{CLIENT}/{BRAND}/创意表现/文案/Thumbs.db", "files.temp"),
    ("小米/杂七杂八.png", "files.naming"),
    ("小米/杂七杂八.png", "files.stale"),
}


def test_check_reports_every_kind(messy):
    before = snapshot(messy)
    result = aexl("check", messy, "--json", "--today", TODAY)
    assert result.returncode == 1, result.stderr
    findings = json.loads(result.stdout)
    assert {(f["path"], f["code"]) for f in findings} == EXPECTED
    by_key = {(f["path"], f["code"]): f for f in findings}
    draft = by_key[(f"{DRAFTS.as_posix()}/海报初稿.psd", "files.naming")]
    assert draft["suggestion"] == "20261105_美的空调_海报初稿.psd"
    assert "日期、项目名称" in draft["message"]
    stale = by_key[(f"{DRAFTS.as_posix()}/20260901_美的空调_海报过程稿.psd", "files.stale")]
    assert stale["modified"] == "2026-09-01"
    assert by_key[("小米/杂七杂八.png", "files.naming")]["suggestion"] is None
    assert snapshot(messy) == before  # check only reads


def test_check_text_output_and_missing_root(messy, root):
    text = aexl("check", messy, "--today", TODAY)
    assert text.returncode == 1
    assert "[文件夹外] 散落的报价.xlsx：" in text.stdout
    assert "共 10 项问题" in text.stderr
    clean = aexl("check", root.parent / "空", "--today", TODAY)
    assert clean.returncode == 2 and "文件夹不存在" in clean.stderr


def test_check_clean_tree_exits_zero(root):
    put(root, DRAFTS / "20261105_美的空调_海报过程稿.psd")
    result = aexl("check", root, "--today", TODAY)
    assert (result.returncode, result.stdout) == (0, "")
    assert "未发现问题" in result.stderr


@pytest.mark.parametrize(
    "folder, name, when, suggestion",
    [
        (DRAFTS, "20261105_美的空调_海报.psd", "2026-11-05", "ok"),
        (DRAFTS, "2026-11-05_美的空调_KV.jpg", "2026-11-05", "ok"),
        (DRAFTS, "美的空调海报.psd", "2026-11-05", "20261105_美的空调海报.psd"),
        (DRAFTS, "2026.11.03 海报.psd", "2026-11-05", "20261103_美的空调_海报.psd"),
        (DRAFTS, "20261103美的空调.psd", "2026-11-05", "20261103_美的空调_过程稿.psd"),
        (BRAND_DIR / "进度表" / "周进度表", "W45.xlsx", "2026-11-06", "20261106_美的空调_W45_周进度表.xlsx"),
        (Path(CLIENT, "常规文件夹", "会议记录"), "客户来访.docx", "2026-11-02", "20261102_美的集团_客户来访_会议记录.docx"),
        (Path(CLIENT, "常规文件夹", "会议记录"), "20261102_美的冰箱_纪要.docx", "2026-11-02", "ok"),
        (Path(CLIENT, "财务类文件夹", "报价与合同"), "美的集团2026.docx", "2026-11-02", "20261102_美的集团2026_报价.docx"),
        (Path(CLIENT, "已完成工作文件夹", "双十一"), "终稿.pdf", "2026-11-02", "20261102_美的集团_终稿.pdf"),
        (Path(CLIENT, "自建文件夹"), "杂项.txt", "2026-11-02", None),
    ],
)  # fmt: skip
def test_naming_cases(root, folder, name, when, suggestion):
    put(root, folder / name, f"{when} 10:00")
    findings = json.loads(aexl("check", root, "--json", "--today", TODAY).stdout)
    naming = [f for f in findings if f["code"] == "files.naming"]
    if suggestion == "ok":
        assert naming == []
    else:
        assert [(f["path"], f["suggestion"]) for f in naming] == [
            ((folder / name).as_posix(), suggestion)
        ]


def test_report_types_cover_every_kind_aexl_writes():
    from aexl import monthend
    from aexl.files.naming import REPORT_TYPES
    from aexl.monthend.inputs import DUE_KIND
    from aexl.planning import gantt
    from aexl.reports import charts, jobsheet, monthly, placements, weekly, yearend

    kinds = {
        weekly.KIND, placements.REPORT_KIND, charts.SHEET_TITLE, monthly.KIND, yearend.KIND,
        jobsheet.KIND, monthend.CHECK_KIND, monthend.CLEANUP_KIND, "资料存档", DUE_KIND,
        gantt.KIND,
    }  # fmt: skip
    assert kinds == set(REPORT_TYPES)
    assert all(monthend.is_output_name(f"20261110_美的_{kind}.xlsx") for kind in REPORT_TYPES)
    assert monthend.is_output_name("20261110_美的_每周工作进度表_内部.xlsx")  # the department copy


def _aexl_output_names() -> list[str]:
    from aexl.files.archive import archive_name, parse_period
    from aexl.files.naming import REPORT_TYPES
    from aexl.workbook.write import report_name

    day = date(2026, 11, 10)
    names = [report_name(day, "美的集团", kind) for kind in REPORT_TYPES if kind != "资料存档"]
    names += [
        report_name(date(2026, 1, 22), "MDKT2026001-双十一新品上市", "工作单"),  # job sheet
        report_name(date(2026, 10, 31), "美的空调_双十一_到店人数", "效果追踪图表", ".png"),
        "20261110_美的集团-美的空调_月度工作总结_2.xlsx",  # renamed apart by month-end
        archive_name(CLIENT, parse_period(quarter="2026Q3")),
        archive_name(CLIENT, parse_period(year="2026")),
    ]
    return names


@pytest.mark.parametrize(
    "folder",
    [BRAND_DIR / "进度表" / "月进度表", Path(CLIENT, "常规文件夹", "创意工作单与制作工作单")],
)
def test_aexl_output_and_workbenches_pass_check_and_are_never_renamed(root, folder):
    names = _aexl_output_names()
    for name in names:
        put(root, folder / name)
    put(root, Path(CLIENT, f"{CLIENT}_AE工作台.xlsx"), "2026-01-05 10:00")  # as the README names it
    put(root, folder / "小米_AE工作台.xlsm", "2026-01-05 10:00")
    before = snapshot(root)
    check = aexl("check", root, "--json", "--today", TODAY)
    assert (check.returncode, json.loads(check.stdout)) == (0, []), check.stdout
    renamed = aexl("rename", root, "--apply", "--today", TODAY)
    assert (renamed.returncode, renamed.stdout) == (0, "")
    assert snapshot(root) == before
    assert files.cleanup_list(root, date(2026, 11, 10)) == []


@pytest.mark.parametrize(
    "name, token, suggestion",
    [
        ("20261310_美的空调_月度工作总结.xlsx", "20261310", "20261105_美的空调_月度工作总结.xlsx"),
        ("美的空调_2026-02-30_提案.pptx", "2026-02-30", "20261105_美的空调_提案.pptx"),
        ("2026.11.31 海报.psd", "2026.11.31", "20261105_美的空调_海报.psd"),
        ("20261310_星河_投放列表.xlsx", "20261310", "20261105_美的空调_星河_投放列表.xlsx"),
    ],
)  # fmt: skip
def test_impossible_date_is_reported_and_left_for_a_person(root, name, token, suggestion):
    put(root, DRAFTS / name, "2026-11-05 10:00")
    findings = json.loads(aexl("check", root, "--json", "--today", TODAY).stdout)
    assert [(f["code"], f["suggestion"]) for f in findings] == [("files.naming", suggestion)]
    assert "日期不存在" in findings[0]["message"] and token in findings[0]["message"]
    before = snapshot(root)
    done = aexl("rename", root, "--apply", "--today", TODAY)
    assert done.returncode == 1 and "日期不存在" in done.stderr
    log = root / files.RECORDS_DIR / "20261110_文件改名记录.csv"
    assert done.stdout.splitlines() == [str(log)]
    assert {k: v for k, v in snapshot(root).items() if files.RECORDS_DIR not in k} == before


def test_aexl_job_number_locks_are_ignored(root):
    put(root, DRAFTS / "20261105_美的空调_脚本.docx")
    put(root, DRAFTS / "~$aexl-20261105_美的空调_脚本.docx.lock")
    put(root, Path(CLIENT, f"~$aexl-{CLIENT}_AE工作台.xlsx.lock"))
    put(root, Path(CLIENT, f".~aexl-{CLIENT}_AE工作台.xlsx.lock"))
    check = aexl("check", root, "--json", "--today", TODAY)
    assert (check.returncode, json.loads(check.stdout)) == (0, [])
    renamed = aexl("rename", root, "--today", TODAY)
    assert (renamed.returncode, renamed.stdout) == (0, "")


@pytest.mark.parametrize("command", [["check"], ["rename"], ["archive", "--year", "2026"]])
def test_root_that_is_a_file_or_missing_is_said_first(tmp_path, command):
    afile = put(tmp_path, "afile")
    is_file = aexl(command[0], afile, *command[1:], "--today", TODAY)
    assert is_file.returncode == 2 and "是一个文件，不是文件夹" in is_file.stderr
    missing = aexl(command[0], tmp_path / "nope", *command[1:], "--today", TODAY)
    assert missing.returncode == 2 and "文件夹不存在" in missing.stderr
    assert "还没有结束" not in missing.stderr


def test_cleanup_list_for_month_end(messy):
    items = files.cleanup_list(messy, date(2026, 11, 10))
    assert [(i.path, i.modified) for i in items] == [  # by path
        ("小米/杂七杂八.png", date(2026, 8, 1)),
        (f"{DRAFTS.as_posix()}/20260901_美的空调_海报过程稿.psd", date(2026, 9, 1)),
    ]
    # 2026-10-10 in 其它 is exactly one month old: not yet due
    later = [i.path for i in files.cleanup_list(messy, date(2026, 11, 11))]
    assert f"{CLIENT}/常规文件夹/其它/20261010_美的集团_资料.pdf" in later and len(later) == 3


@pytest.mark.parametrize(
    "today, cutoff",
    [(date(2026, 11, 10), date(2026, 10, 10)), (date(2026, 3, 31), date(2026, 2, 28)),
     (date(2026, 1, 15), date(2025, 12, 15))],
)  # fmt: skip
def test_month_before(today, cutoff):
    assert files.month_before(today) == cutoff


# ---- rename ----------------------------------------------------------------------------------


def test_rename_dry_run_then_apply_with_collision(root):
    put(root, DRAFTS / "海报初稿.psd", "2026-11-05 09:30", b"draft")
    put(root, DRAFTS / "提案.pptx", "2026-11-06 09:30", b"new proposal")
    existing = put(
        root, DRAFTS / "20261106_美的空调_提案.pptx", "2026-11-06 08:00", b"old proposal"
    )
    put(root, DRAFTS / "脚本.docx", "2026-11-07 09:30", b"open in Word")
    put(root, DRAFTS / "~$脚本.docx")
    put(root, Path(CLIENT, "自建文件夹", "杂项.txt"))

    before = snapshot(root)
    dry = aexl("rename", root, "--today", TODAY)
    assert dry.returncode == 1  # some files need a person
    assert "海报初稿.psd → 20261105_美的空调_海报初稿.psd" in dry.stdout
    assert "试运行" in dry.stderr
    assert snapshot(root) == before
    assert not (root / files.RECORDS_DIR).exists()

    done = aexl("rename", root, "--apply", "--today", TODAY)
    assert done.returncode == 1, done.stderr
    new = root / DRAFTS / "20261105_美的空调_海报初稿.psd"
    log_path = root / files.RECORDS_DIR / "20261110_文件改名记录.csv"
    assert done.stdout.splitlines() == [str(new), str(log_path)]
    assert new.read_bytes() == b"draft" and not (root / DRAFTS / "海报初稿.psd").exists()
    assert existing.read_bytes() == b"old proposal"  # collision: never overwritten
    assert (root / DRAFTS / "提案.pptx").read_bytes() == b"new proposal"
    assert (root / DRAFTS / "脚本.docx").exists()  # open in Office: left alone

    with log_path.open(encoding="utf-8-sig", newline="") as fh:
        rows = {row["原文件"]: (row["新文件"], row["结果"]) for row in csv.DictReader(fh)}
    drafts = DRAFTS.as_posix()
    assert rows[f"{drafts}/海报初稿.psd"] == (f"{drafts}/20261105_美的空调_海报初稿.psd", "已改名")
    assert rows[f"{drafts}/提案.pptx"][1].startswith("同名文件已存在")
    assert rows[f"{drafts}/脚本.docx"][1].startswith("文件正在 Office 中打开")
    assert rows[f"{CLIENT}/自建文件夹/杂项.txt"] == ("", "无法从文件夹推断项目或类型，请手动改名")

    again = aexl(
        "rename", root, "--apply", "--today", TODAY
    )  # a second log never replaces the first
    assert again.stdout.splitlines()[-1] == str(log_path.with_name("20261110_文件改名记录_2.csv"))


def test_rename_two_files_to_same_name(root):
    put(root, DRAFTS / "海报.psd", "2026-11-05 09:00", b"a")
    put(root, DRAFTS / "海报 .psd", "2026-11-05 09:00", b"b")
    result = aexl("rename", root, "--apply", "--today", TODAY)
    assert result.returncode == 1
    kept = {p.name: p.read_bytes() for p in (root / DRAFTS).iterdir()}
    assert len(kept) == 2 and "20261105_美的空调_海报.psd" in kept
    assert sorted(kept.values()) == [b"a", b"b"]  # one renamed, the other left alone


def test_rename_nothing_to_do(root):
    put(root, DRAFTS / "20261105_美的空调_海报.psd")
    result = aexl("rename", root, "--apply")
    assert (result.returncode, result.stdout) == (0, "")
    assert "没有需要改名的文件" in result.stderr


# ---- archive and verify --------------------------------------------------------------------------


@pytest.fixture
def quarter(root: Path) -> Path:
    brand = BRAND_DIR
    put(
        root,
        brand / "创意表现" / "完稿" / "20260815_美的空调_海报完稿.ai",
        "2026-11-01 10:00",
        b"A" * 5000,
    )
    put(root, Path(CLIENT, "已完成工作文件夹", "中秋", "成品.pdf"), "2026-09-20 18:00", b"final")
    put(root, Path(CLIENT, "常规文件夹", "全年沟通策略", "沟通规划.pptx"), "2026-07-02 09:00")
    put(root, brand / "进度表" / "月进度表" / "20260930_美的空调_月度工作总结.docx")
    put(root, brand / "创意表现" / "过程稿" / "20260901_美的空调_中秋方案.pptx")
    put(root, brand / "创意表现" / "过程稿" / "20260901_美的空调_海报过程稿.psd")  # a draft: no
    put(root, brand / "创意表现" / "完稿" / "20261002_美的空调_完稿.ai")  # next quarter: no
    put(root, brand / "创意表现" / "完稿" / "~$20260901_美的空调_完稿.docx")  # lock file: no
    put(root, Path("小米", "20260905_小米_活动方案.pptx"))  # a second, one-off client
    return root


ARCHIVED = {
    f"{CLIENT}/{BRAND}/创意表现/完稿/20260815_美的空调_海报完稿.ai",
    f"{CLIENT}/已完成工作文件夹/中秋/成品.pdf",
    f"{CLIENT}/常规文件夹/全年沟通策略/沟通规划.pptx",
    f"{CLIENT}/{BRAND}/进度表/月进度表/20260930_美的空调_月度工作总结.docx",
    f"{CLIENT}/{BRAND}/创意表现/过程稿/20260901_美的空调_中秋方案.pptx",
}


def read_zip(path: Path) -> tuple[set[str], list[dict]]:
    with zipfile.ZipFile(path) as zf:
        manifest = zf.read(files_archive.MANIFEST_NAME).decode("utf-8-sig")
        return set(zf.namelist()), list(csv.DictReader(io.StringIO(manifest)))


def test_archive_quarter_manifest_and_hashes(quarter, tmp_path):
    out = tmp_path / "刻录"
    result = aexl("archive", quarter, "--quarter", "2026Q3", "--out", out, "--today", TODAY)
    assert result.returncode == 0, result.stderr
    target = out / f"20261001_{CLIENT}_2026Q3资料存档.zip"
    other = out / "20261001_小米_2026Q3资料存档.zip"
    assert sorted(result.stdout.splitlines()) == sorted([str(target), str(other)])
    assert sorted(out.iterdir()) == sorted([target, other])  # no temp file left behind
    assert read_zip(other)[0] == {"小米/20260905_小米_活动方案.pptx", files_archive.MANIFEST_NAME}

    names, manifest = read_zip(target)
    assert names == ARCHIVED | {files_archive.MANIFEST_NAME}
    assert {row["路径"] for row in manifest} == ARCHIVED
    for row in manifest:
        source = quarter / row["路径"]
        data = source.read_bytes()
        assert int(row["大小（字节）"]) == len(data)
        assert row["SHA-256"] == hashlib.sha256(data).hexdigest()
        assert row["修改时间"] == datetime.fromtimestamp(source.stat().st_mtime).isoformat(sep=" ")

    assert aexl("verify", target).returncode == 0

    again = aexl("archive", quarter, "--quarter", "2026Q3", "--out", out, "--today", TODAY)
    assert again.returncode == 2 and "已存在，不会覆盖" in again.stderr
    assert read_zip(target)[0] == names


def test_archive_year_default_out(quarter):
    result = aexl("archive", quarter, "--year", "2026", "--client", CLIENT, "--today", "2027-01-05")
    assert result.returncode == 0, result.stderr
    target = quarter / files.RECORDS_DIR / f"20270101_{CLIENT}_2026年度资料存档.zip"
    assert result.stdout.splitlines() == [str(target)]
    names, _ = read_zip(target)
    assert f"{CLIENT}/{BRAND}/创意表现/完稿/20261002_美的空调_完稿.ai" in names
    assert aexl("check", quarter, "--today", "2027-01-05").stdout.count(files.RECORDS_DIR) == 0


@pytest.mark.parametrize(
    "args, words",
    [
        (["--quarter", "2026Q4"], "还没有结束"),
        (["--quarter", "2026Q5"], "无法识别"),
        (["--year", "26"], "无法识别"),
        (["--quarter", "2025Q3"], "没有找到 2025Q3"),
        (["--quarter", "2026Q3", "--client", "华为"], "没有客户「华为」"),
        (["--quarter", "2026Q3", "--today", "明天"], "--today"),
    ],
)
def test_archive_user_errors(quarter, args, words):
    result = aexl("archive", quarter, *args, *([] if "--today" in args else ["--today", TODAY]))
    assert result.returncode == 2
    assert words in result.stderr and len(result.stderr.strip().splitlines()) == 1


def _member_data_offset(path: Path, name: str) -> int:
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(name)
    header = path.read_bytes()[info.header_offset : info.header_offset + 30]
    name_len = int.from_bytes(header[26:28], "little")
    extra_len = int.from_bytes(header[28:30], "little")
    return info.header_offset + 30 + name_len + extra_len


@pytest.mark.parametrize(
    "member",
    [f"{CLIENT}/{BRAND}/创意表现/完稿/20260815_美的空调_海报完稿.ai", files_archive.MANIFEST_NAME],
)
def test_verify_detects_a_corrupted_byte(quarter, tmp_path, member):
    aexl("archive", quarter, "--quarter", "2026Q3", "--out", tmp_path, "--today", TODAY)
    target = tmp_path / f"20261001_{CLIENT}_2026Q3资料存档.zip"
    data = bytearray(target.read_bytes())
    data[_member_data_offset(target, member) + 3] ^= 0xFF
    target.write_bytes(bytes(data))
    result = aexl("verify", target)
    assert result.returncode == 1
    shown = BRAND if member != files_archive.MANIFEST_NAME else files_archive.MANIFEST_NAME
    assert shown in result.stdout and "校验失败" in result.stderr


def test_verify_not_a_zip(tmp_path):
    bad = put(tmp_path, "坏.zip", data=b"not a zip")
    result = aexl("verify", bad)
    assert result.returncode == 2 and "无法打开" in result.stderr


def test_archive_refuses_when_written_zip_does_not_verify(quarter, tmp_path, monkeypatch):
    real = files_archive._manifest_text

    def wrong_hashes(rows):
        return real([files_archive.ManifestRow(r.path, r.size, "0" * 64, r.modified) for r in rows])

    monkeypatch.setattr(files_archive, "_manifest_text", wrong_hashes)
    period = files_archive.parse_period(quarter="2026Q3")
    with pytest.raises(files_archive.ArchiveError, match="写入后校验失败"):
        files_archive.make_archives(quarter, period, date(2026, 11, 10), tmp_path)
    assert list(tmp_path.glob("*.zip")) == [] and list(tmp_path.glob(".*tmp")) == []


# ---- help --------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["init", "check", "rename", "archive", "verify"])
def test_every_subcommand_has_an_example(command):
    result = aexl(command, "--help")
    assert result.returncode == 0 and f"aexl files {command}" in result.stdout.split("示例：")[1]


# ---- hostile archives and names (issue 10, failures 10 and 11) -----------------------------------


def _archived(quarter: Path, out: Path) -> Path:
    result = aexl("archive", quarter, "--quarter", "2026Q3", "--out", out, "--today", TODAY)
    assert result.returncode == 0, result.stderr
    return out / f"20261001_{CLIENT}_2026Q3资料存档.zip"


def _add_member(target: Path, name: str, data: bytes) -> None:
    import warnings

    with warnings.catch_warnings(), zipfile.ZipFile(target, "a") as zf:
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate: that is the attack
        zf.writestr(name, data)


FORGED = f"{CLIENT}/{BRAND}/创意表现/完稿/20260815_美的空调_海报完稿.ai"


@pytest.mark.parametrize(
    "name, words",
    [
        (FORGED, "两个同名成员"),  # unzip extracts the second, forged copy
        (FORGED.upper().replace("/", "\\"), "两个同名成员"),  # same file on Windows
        (files_archive.MANIFEST_NAME, "两份清单"),
        (f"{CLIENT}/多出来的.exe", "不在清单中"),
        ("../../outside.txt", "解压到存档文件夹之外"),
    ],
)
def test_verify_refuses_forged_members(quarter, tmp_path, name, words):
    target = _archived(quarter, tmp_path)
    _add_member(target, name, b"forged")
    result = aexl("verify", target)
    assert result.returncode == 1, result.stdout
    assert words in result.stdout and "校验失败" in result.stderr


def test_manifest_cells_are_formula_escaped_and_still_verify(tmp_path):
    root = tmp_path / "档案"
    client = "=HYPERLINK(1)"
    put(root, Path(client, "20260815_方案.pptx"), "2026-08-15 10:00")
    out = tmp_path / "out"
    result = aexl("archive", root, "--quarter", "2026Q3", "--out", out, "--today", TODAY)
    assert result.returncode == 0, result.stderr
    [target] = out.glob("*.zip")
    with zipfile.ZipFile(target) as zf:
        manifest = zf.read(files_archive.MANIFEST_NAME).decode("utf-8-sig")
    cells = [row[0] for row in csv.reader(io.StringIO(manifest))][1:]
    assert cells == [f"'{client}/20260815_方案.pptx"]
    assert aexl("verify", target).returncode == 0
    assert "SHA-256 为" in result.stderr  # the whole zip's hash, to keep elsewhere


def test_archive_help_says_what_an_unsigned_manifest_proves():
    text = aexl("archive", "--help").stdout
    assert "没有签名" in text and "不能证明存档没有被人改过" in text


def test_rename_log_cells_are_formula_escaped(root, tmp_path):
    put(root, "=cmd|' /C calc'!A0.psd", "2026-11-05 10:00")  # outside any client: manual
    log_path = tmp_path / "log.csv"
    aexl("rename", root, "--apply", "--log", log_path, "--today", TODAY)
    rows = list(csv.reader(io.StringIO(log_path.read_text(encoding="utf-8-sig"))))
    assert rows[1][:2] == ["'=cmd|' /C calc'!A0.psd", ""]
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_control_characters_in_names_are_shown_escaped(root):
    put(root, DRAFTS / "海报\x1b[2J.psd", "2026-11-05 10:00")
    for command in (["check"], ["rename"]):
        result = aexl(*command, root, "--today", TODAY)
        assert "\x1b" not in result.stdout + result.stderr
        assert "\\x1b[2J" in result.stdout


@pytest.mark.parametrize(
    "name, good",
    [
        ("海报<定稿>?.psd", "海报_定稿__.psd"),
        ("CON.psd", None),
        ("美" * 80 + ".psd", None),  # 244 bytes: with date and project past 200
    ],
)
def test_suggested_names_are_valid_on_windows_and_short(root, name, good):
    put(root, DRAFTS / name, "2026-11-05 10:00")
    suggestion = next(
        f.suggestion
        for f in files.check_tree(root, date(2026, 11, 10))
        if f.code == "files.naming" and f.path.endswith(name)
    )
    assert not set('<>:"/\\|?*') & set(suggestion)
    assert len(suggestion.encode()) <= 200 and not suggestion.endswith((".", " "))
    assert suggestion.split(".")[0].split("_")[-1].upper() not in {"CON", "PRN", "AUX", "NUL"}
    if good:
        assert suggestion.endswith(good)


def test_fifo_and_aexl_temp_files_are_skipped(root, caplog):
    fifo = root / DRAFTS / "20261105_美的空调_海报.xlsx"
    os.mkfifo(fifo)
    put(root, DRAFTS / ".~aexl-1a2b3c4d-99.tmp")
    put(root, DRAFTS / "~aexl-工作台.xlsx")
    with caplog.at_level("WARNING"):
        findings = files.check_tree(root, date(2026, 11, 10))
    assert [f for f in findings if "aexl-" in f.path] == []
    assert "不是普通文件" in caplog.text
    result = aexl("check", root, "--today", TODAY)  # returns instead of hanging on the pipe
    assert result.returncode == 0 and "不是普通文件" in result.stderr
