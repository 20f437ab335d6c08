"""A register's rows as dicts (aexl.records): the same from every kind of source."""

from __future__ import annotations

import math
from datetime import datetime

import pandas as pd
import pytest

from aexl import schema
from aexl.records import frames_of, rows, text
from aexl.reports.registers import prepare
from aexl.workbook.read import read_workbench


@pytest.fixture(scope="module")
def workbench(built_sample):
    return read_workbench(built_sample / "星河食品_AE工作台.xlsx")


@pytest.mark.parametrize("sheet", [schema.SIGNOFFS.sheet, schema.JOBS.sheet, schema.MEETINGS.sheet])
def test_rows_are_the_same_from_every_kind_of_source(workbench, sheet):
    from_workbench = rows(workbench, sheet)
    assert from_workbench and all("_row" in rec for rec in from_workbench)
    assert rows(dict(workbench.frames), sheet) == from_workbench
    assert rows(prepare(workbench), sheet) == from_workbench  # a prepared source's own rows
    assert frames_of(workbench) is workbench.frames


def test_an_absent_or_empty_sheet_has_no_rows(workbench):
    frames = {schema.SIGNOFFS.sheet: workbench.frame(schema.SIGNOFFS.sheet).iloc[0:0]}
    assert rows(frames, schema.SIGNOFFS.sheet) == []
    assert rows(frames, schema.MEETINGS.sheet) == []


def test_pandas_blanks_become_none():
    frame = pd.DataFrame(
        {"数值": [1.5, math.nan], "日期": [datetime(2026, 10, 1), pd.NaT], "_row": [2, 3]}
    )
    assert rows({"效果": frame}, "效果") == [
        {"数值": 1.5, "日期": datetime(2026, 10, 1), "_row": 2},
        {"数值": None, "日期": None, "_row": 3},
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        ("  正稿QC \n 客户确认 ", "正稿QC 客户确认"),
        ("AD", "AD"),
        (3.0, "3"),
        (12, "12"),
    ],
)
def test_text_is_one_line(value, expected):
    assert text({"步骤": value}, "步骤") == expected
