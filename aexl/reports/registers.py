"""A workbench's registers as row dicts, prepared once for every brand's report.

``prepare(source)`` takes a ``Workbench``, a ``{sheet: DataFrame}`` dict or
``Registers``; the rows, the job index, the brands and the per-job and
per-brand groupings are computed on first use and then shared.
"""

from __future__ import annotations

from datetime import datetime

from aexl import schema
from aexl.rules import (
    JobRecords,
    brand_key,
    brand_order,
    client_confirmations,
    jobno_key,
    meeting_brands,
    status_as_of,
)
from aexl.values import is_blank

BRAND_SHEETS = (schema.BRANDS.sheet, schema.JOBS.sheet)  # the brands' order: 品牌, then 工作单


def reports_for(build, source, period, calendar=None, brands=None) -> list:
    """``build(source, brand, period, calendar)`` per brand.

    Without ``brands``: every brand of the workbench whose report is not empty.
    """
    regs = prepare(source)
    cal = calendar_of(regs, calendar)
    wanted = list(brands) if brands else regs.brands
    reports = [build(regs, b, period, cal) for b in wanted]
    return reports if brands else [r for r in reports if not r.is_empty]


# ------------------------------------------------------------ data access ---
def frame_getter(source):
    """``sheet -> DataFrame`` for a ``Workbench`` or a ``{sheet: DataFrame}`` dict."""
    if hasattr(source, "frame"):
        return source.frame
    from aexl.workbook.read import empty_frame

    def get(sheet: str):
        frame = source.get(sheet)
        return frame if frame is not None else empty_frame(schema.BY_SHEET[sheet])

    return get


def calendar_of(source, calendar=None):
    if calendar is not None:
        return calendar
    if hasattr(source, "calendar"):
        return source.calendar()
    from aexl.workcal import WorkCalendar

    return WorkCalendar()


def source_name(source) -> str:
    return getattr(source, "name", "") or "当前工作簿"


def clean(value):
    """Blank → None; pandas timestamps → datetime; other values unchanged.

    For values that did not come through ``aexl.workbook.read`` (the reader's
    values are clean already and are used as they are).
    """
    if is_blank(value):
        return None
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
        return value.date() if value.time() == datetime.min.time() else value
    return value


def records(frame) -> list[dict]:
    """The rows of a register as dicts (``_row`` kept).

    Values are used as ``aexl.workbook.read`` parsed them (text normalised, blanks
    None, dates as date/datetime): they are not cleaned a second time.
    """
    if frame is None or len(frame) == 0:
        return []
    columns = list(frame.columns)
    # column lists zipped into dicts: the values stay the reader's objects (to_dict("records")
    # would box each one again, at several times the cost)
    values = [frame[c].tolist() for c in columns]
    # (every column of one frame is as long as the others: zip needs no strict check)
    return [dict(zip(columns, row)) for row in zip(*values)]  # noqa: B905


def by_job(rows: list[dict], column: str) -> dict[str, list[dict]]:
    """``jobno_key(column)`` → the rows, in order."""
    out: dict[str, list[dict]] = {}
    keys: dict[str, str] = {}  # jobno_key per text: a register repeats its job numbers
    for rec in rows:
        value = rec.get(column)
        if type(value) is str:
            key = keys.get(value)
            if key is None:
                key = keys[value] = jobno_key(value)
        else:
            key = jobno_key(value)
        out.setdefault(key, []).append(rec)
    return out


class Registers:
    """A workbench's registers prepared once for every brand's report.

    ``reports_for`` makes one and hands it to each brand's ``*_data``; the
    rows (``records``), the job index, the brands and the per-job and
    per-brand groupings are computed on first use and then shared. Any
    ``*_data`` function also takes a plain source and prepares it itself.
    """

    def __init__(self, source, shared: dict | None = None):
        self.source = source
        self.get = frame_getter(source)
        # rows and per-job groupings by DataFrame, shared with other Registers over the same
        # frames (month-end: the month's reports and the whole workbench's due list)
        self._shared = shared if shared is not None else {}
        self._rows: dict[str, list[dict]] = {}
        self._by_job: dict[tuple[str, str], dict[str, list[dict]]] = {}
        self._by_brand: dict[str, dict[str, list[dict]]] = {}
        self._jobs: dict[str, dict] | None = None
        self._brands: list[str] | None = None
        self._meetings: dict[str, list[tuple[dict, str]]] | None = None
        self._records: dict[str, JobRecords] = {}
        self._status: dict[tuple, str | None] = {}
        self._confirmations: dict[str, list[dict]] | None = None

    @property
    def name(self) -> str:
        return source_name(self.source)

    @property
    def path(self):
        return getattr(self.source, "path", None)

    def frame(self, sheet: str):
        return self.get(sheet)

    def calendar(self):
        return calendar_of(self.source)

    def rows(self, sheet: str) -> list[dict]:
        if sheet not in self._rows:
            self._rows[sheet] = self._of_frame(sheet)[1]
        return self._rows[sheet]

    def _of_frame(self, sheet: str) -> tuple:
        """(frame, its rows, {column: rows by job}) of the sheet's frame, made once per frame."""
        frame = self.get(sheet)
        hit = self._shared.get(id(frame))
        if hit is None or hit[0] is not frame:  # the entry holds the frame: its id stays its own
            hit = self._shared[id(frame)] = (frame, records(frame), {})
        return hit

    @property
    def jobs(self) -> dict[str, dict]:
        if self._jobs is None:
            self._jobs = {}
            for rec in self.rows(schema.JOBS.sheet):
                key = jobno_key(rec.get("工作号"))
                if key and key not in self._jobs:
                    self._jobs[key] = rec
        return self._jobs

    @property
    def brands(self) -> list[str]:
        if self._brands is None:
            self._brands = brand_order(self.get(sheet) for sheet in BRAND_SHEETS)
        return self._brands

    def brand_jobs(self, brand: str) -> dict[str, dict]:
        """The brand's jobs, in register order (key: ``jobno_key``)."""
        return dict(self.by_brand(schema.JOBS.sheet).get(brand_key(brand), {}))

    def by_job(self, sheet: str, column: str) -> dict[str, list[dict]]:
        """``jobno_key(column)`` → the sheet's rows, in sheet order."""
        if (sheet, column) not in self._by_job:
            _frame, rows, grouped = self._of_frame(sheet)
            self._rows.setdefault(sheet, rows)
            if column not in grouped:
                grouped[column] = by_job(rows, column)
            self._by_job[sheet, column] = grouped[column]
        return self._by_job[sheet, column]

    def by_brand(self, sheet: str) -> dict:
        """``brand_key(品牌)`` → the sheet's rows (for 工作单: ``{jobno: job}``)."""
        if sheet not in self._by_brand:
            out: dict = {}
            if sheet == schema.JOBS.sheet:
                for no, rec in self.jobs.items():
                    out.setdefault(brand_key(rec.get("品牌")), {})[no] = rec
            else:
                for rec in self.rows(sheet):
                    out.setdefault(brand_key(rec.get("品牌")), []).append(rec)
            self._by_brand[sheet] = out
        return self._by_brand[sheet]

    def brand_rows(self, sheet: str, brand: str) -> list[dict]:
        return self.by_brand(sheet).get(brand_key(brand), [])

    def meetings(self, brand: str) -> list[tuple[dict, str]]:
        """The brand's 会议 rows by ``meeting_brands``, each with its note ("" or 未注明品牌)."""
        if self._meetings is None:
            self._meetings = {}
            for rec in self.rows(schema.MEETINGS.sheet):
                names, note = meeting_brands(rec, self.jobs, self.brands)
                for name in names:
                    self._meetings.setdefault(brand_key(name), []).append((rec, note))
        return self._meetings.get(brand_key(brand), [])

    def records(self, no: str) -> JobRecords:
        """The job's dated records (``rules.JobRecords``), for ``rules.status_as_of``."""
        if no not in self._records:
            self._records[no] = JobRecords(
                weekly=tuple(self.by_job(schema.WEEKLY.sheet, "工作号").get(no, ())),
                signoffs=tuple(self.by_job(schema.SIGNOFFS.sheet, "工作号").get(no, ())),
                revisions=tuple(self.by_job(schema.REVISIONS.sheet, "原工作号").get(no, ())),
                meetings=tuple(self.by_job(schema.MEETINGS.sheet, "工作号").get(no, ())),
            )
        return self._records[no]

    def confirmations(self) -> dict[str, list[dict]]:
        """``rules.client_confirmations`` of the whole 签核 register: per job, oldest first."""
        if self._confirmations is None:
            self._confirmations = client_confirmations(self.rows(schema.SIGNOFFS.sheet))
        return self._confirmations

    def status(self, no: str, day) -> str | None:
        """The job's 状态 at the end of ``day`` (``rules.status_as_of``); None before it was opened.
        Worked out once per job and day (every brand's report and table asks)."""
        if (no, day) not in self._status:
            job = self.jobs.get(no)
            found = None if job is None else status_as_of(job, self.records(no), day)
            self._status[no, day] = found
        return self._status[no, day]


def prepare(source, shared: dict | None = None) -> Registers:
    """``source`` (a ``Workbench``, a ``{sheet: DataFrame}`` dict or ``Registers``) prepared.

    ``shared``: one dict given to several ``prepare`` calls over workbenches that share
    DataFrames (a month cut from a workbench): each frame's rows are made once for all.
    """
    return source if isinstance(source, Registers) else Registers(source, shared)
