"""The committed sample account set is what workbooks/make_sample.py generates."""

import re
from collections import Counter
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from samples import load_make_sample

from aexl import schema
from aexl.codes import resolve_codes
from aexl.jobno import format_jobno
from aexl.workbook.read import read_workbench

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "workbooks" / "sample"


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    out = tmp_path_factory.mktemp("sample")
    load_make_sample().build_sample(out)
    return out


@pytest.fixture(scope="module")
def books():
    return {p.name: read_workbench(p) for p in sorted(SAMPLE.glob("*_AE工作台.xlsx"))}


def sheet_values(path):
    book = CalamineWorkbook.from_path(str(path))
    return {
        name: book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        for name in book.sheet_names
    }


def test_committed_workbooks_equal_regenerated_content(regenerated):
    committed = sorted(p.name for p in SAMPLE.glob("*.xlsx"))
    fresh = sorted(p.name for p in regenerated.glob("*.xlsx"))
    assert committed == fresh and len(committed) >= 2
    for name in committed:
        assert sheet_values(SAMPLE / name) == sheet_values(regenerated / name), name


def test_committed_images_equal_regenerated_bytes(regenerated):
    committed = {p.name: p.read_bytes() for p in (SAMPLE / "样稿").glob("*.png")}
    fresh = {p.name: p.read_bytes() for p in (regenerated / "样稿").glob("*.png")}
    assert committed and committed.keys() == fresh.keys()
    for name in committed:
        assert committed[name] == fresh[name], name


def test_sample_is_small_enough_to_commit():
    total = sum(p.stat().st_size for p in SAMPLE.rglob("*") if p.is_file())
    assert total < 2 * 1024 * 1024
    assert all(p.stat().st_size < 16 * 1024 for p in (SAMPLE / "样稿").glob("*.png"))


def test_sample_reads_without_unreadable_cells(books):
    assert len(books) >= 2
    for name, wb in books.items():
        assert wb.findings == [], name
        assert set(wb.frames) == set(schema.BY_SHEET), name


def test_sample_has_same_tables_and_lists_as_the_template():
    import openpyxl

    for path in SAMPLE.glob("*_AE工作台.xlsx"):
        wb = openpyxl.load_workbook(path)
        assert wb.sheetnames == [r.sheet for r in schema.REGISTERS]
        for register in schema.REGISTERS:
            ws = wb[register.sheet]
            assert list(ws.tables) == [register.table]
            enums = sum(c.kind == schema.ENUM for c in register.columns)
            assert len(ws.data_validations.dataValidation) == enums


def test_job_numbers_follow_the_rule(books):
    for name, wb in books.items():
        brands = wb.frame("品牌")
        jobs = wb.frame("工作单")
        seen: dict[tuple, list[int]] = {}
        for rec in jobs.to_dict("records"):
            bc, lc = resolve_codes(brands, rec["品牌"], rec["产品线"])
            year = rec["开单日期"].year
            m = re.fullmatch(rf"{bc}{lc}{year}(\d{{3,}})", rec["工作号"])
            assert m, (name, rec["工作号"])
            serial = int(m.group(1))
            assert rec["工作号"] == format_jobno(bc, lc, year, serial)
            seen.setdefault((bc, lc, year), []).append(serial)
        for serials in seen.values():
            assert sorted(serials) == list(range(1, len(serials) + 1))
        assert jobs["工作号"].is_unique


def test_sample_covers_the_cases_the_tools_must_handle(books):
    jobs = [r for wb in books.values() for r in wb.frame("工作单").to_dict("records")]
    assert {r["工作类型"] for r in jobs} == set(schema.WORK_TYPES)
    assert {r["状态"] for r in jobs} == set(schema.JOB_STATUSES)
    assert len({(r["品牌"], r["产品线"]) for r in jobs}) >= 5
    assert {r["开单日期"].month for r in jobs} == set(range(1, 12))
    codes = [rec for wb in books.values() for rec in wb.frame("品牌").to_dict("records")]
    assert any(rec["品牌代码"] for rec in codes)  # a typed override
    names = "".join(f"{r['品牌']}{r['产品线']}" for r in codes)
    assert "重庆" in names and "银行" in names  # polyphones
    results = Counter(r for wb in books.values() for r in wb.frame("签核")["结果"].tolist())
    assert results["拒单"] >= 1 and results["退回"] >= 1
    meetings = [r for wb in books.values() for r in wb.frame("会议").to_dict("records")]
    assert any(r["主管审阅"] is None and r["纪要发送时间"] for r in meetings)
    samples = [s for wb in books.values() for s in wb.frame("投放")["样稿"].tolist()]
    assert any(s.startswith("http") for s in samples)
    missing = [s for s in samples if not s.startswith("http") and not (SAMPLE / s).exists()]
    assert len(missing) == 1
    copy = [r for wb in books.values() for r in wb.frame("文案").to_dict("records")]
    assert any("最佳" in r["正文"] + r["标题"] and "第一品牌" in r["正文"] for r in copy)
    assert any(r["口号"] is None for r in copy)
    holidays = [r for wb in books.values() for r in wb.frame("节假日").to_dict("records")]
    assert holidays and all(r["日期"].year == 2027 for r in holidays)
    assert all("推测" in r["说明"] for r in holidays)


def test_weekly_entries_cover_every_active_week(books):
    from datetime import date, timedelta

    for name, wb in books.items():
        weeks = {(r["工作号"], r["周次"]) for r in wb.frame("周进度").to_dict("records")}
        for job in wb.frame("工作单").to_dict("records"):
            if job["状态"] == "已取消":
                continue
            day = job["开单日期"]
            assert (job["工作号"], f"{day.isocalendar()[0]}-W{day.isocalendar()[1]:02d}") in weeks
            end = min(job["交付日期"], day + timedelta(days=400))
            monday = day - timedelta(days=day.weekday())
            while monday <= min(end, date(2026, 11, 26)):
                iso = monday.isocalendar()
                assert (job["工作号"], f"{iso[0]}-W{iso[1]:02d}") in weeks, (name, job["工作号"])
                monday += timedelta(days=7)


def test_scale_multiplies_rows(tmp_path):
    make = load_make_sample()
    small = make.client_rows(make.CLIENTS[0], 7, 1)[0]
    large = make.client_rows(make.CLIENTS[0], 7, 2)[0]
    assert len(large["工作单"]) == 2 * len(small["工作单"])
    assert len(large["签核"]) > 1.5 * len(small["签核"])
    more = make.client_list(25)
    assert len({c.short for c in more}) == 25
