"""Registers: rows, per-job groupings and the per-workbench results every brand's report shares,
over the real fixture workbench and the sample account set."""

from __future__ import annotations

from datetime import date

import pytest
from reportbook import sample_books, write_reportbook

from aexl import schema
from aexl.reports.registers import by_job, prepare, records
from aexl.rules import as_day, client_confirmations, jobno_key, status_as_of
from aexl.workbook.read import read_workbench

GROUPED = [  # rows' 工作号 values → the groups by_job makes (indexes of the rows), in order
    (["MD-1", "md-1", "MD-2", "MD-1"], [[0, 1, 3], [2]]),
    ([" MD-1 ", None, "MD-1"], [[0, 2], [1]]),
    (["ＭＤ-１", "MD-1", 2026, "2026"], [[0, 1], [2, 3]]),  # full width; a number as typed
    ([None, None], [[0, 1]]),
    ([], []),
]


@pytest.mark.parametrize(("values", "expected"), GROUPED)
def test_by_job_groups_rows_by_job_key_in_order(values, expected):
    rows = [{"工作号": v, "_row": n} for n, v in enumerate(values)]
    grouped = by_job(rows, "工作号")
    assert [[r["_row"] for r in group] for group in grouped.values()] == expected
    assert all(jobno_key(r["工作号"]) == k for k, group in grouped.items() for r in group)


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    folder = tmp_path_factory.mktemp("regs")
    paths = [write_reportbook(folder / "AE工作台.xlsx"), *sample_books(folder / "samples")]
    return [read_workbench(p) for p in paths]


def test_records_are_the_frames_rows(books):
    for wb in books:
        for sheet in (schema.JOBS.sheet, schema.SIGNOFFS.sheet, schema.WEEKLY.sheet):
            frame = wb.frame(sheet)
            rows = records(frame)
            assert len(rows) == len(frame)
            assert rows == frame.to_dict("records")


DAYS = [date(2026, 9, 30), date(2026, 10, 31), date(2026, 11, 30), date(2027, 12, 31)]


@pytest.mark.parametrize("day", DAYS)
def test_confirmations_up_to_a_day_are_those_of_the_signoffs_up_to_it(books, day):
    """The monthly summary reads the workbench's confirmations once and keeps those up to
    the month's end: the same as the confirmations of the job's sign-offs up to then."""
    checked = 0
    for wb in books:
        regs = prepare(wb)
        signs = regs.by_job(schema.SIGNOFFS.sheet, "工作号")
        for no in regs.jobs:
            upto = [s for s in signs.get(no, ()) if (as_day(s.get("日期")) or date.max) <= day]
            kept = [
                c
                for c in regs.confirmations().get(no, ())
                if (as_day(c.get("日期")) or date.max) <= day
            ]
            assert kept == client_confirmations(upto).get(no, [])
            checked += bool(kept)
    assert checked  # some jobs were confirmed by then


@pytest.mark.parametrize("day", DAYS)
def test_status_is_the_rule_over_the_jobs_records(books, day):
    for wb in books:
        regs = prepare(wb)
        for no, job in regs.jobs.items():
            assert regs.status(no, day) == status_as_of(job, regs.records(no), day)
