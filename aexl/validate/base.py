"""Shared machinery of the validation rules: the context, vectorised masks, emitting findings.

Rules see each register as the reader's DataFrame (parsed values, object
dtype, ``_row`` = Excel row). A cell the reader could not read is ``None`` in
the frame and already has a ``cell.unreadable`` finding, so the masks below
leave such cells out: it is never reported a second time as missing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime

from aexl import schema
from aexl.findings import ERROR, WARNING, Finding
from aexl.validate.columns import (  # noqa: F401  (the rules import them from here)
    NAT_TICKS,
    as_datetime64,
    as_number,
    as_ticks,
    blank_mask,
    blank_values,
    earlier_than,
    is_missing,
    is_type,
    job_key,
    key_values,
    map_unique,
    text_upper,
)

ROW = "_row"
__all__ = ["ERROR", "WARNING", "ROW", "Context", "fmt_date", "fmt_dt", "join_choices"]


def fmt_date(value) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def fmt_dt(value) -> str:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return fmt_date(value)


def join_choices(choices: Iterable[str]) -> str:
    return "、".join(choices)


class Context:
    """One validation run over a workbench: frames, unreadable cells, findings, calendar."""

    def __init__(self, wb, *, now: datetime | None = None, calendar=None) -> None:
        self.wb = wb
        self.now = now or datetime.now().replace(microsecond=0)
        self.findings: list[Finding] = []
        self._frames: dict = {}
        self._bad: dict[tuple[str, str], set[int]] = {}
        for sheet, row, column in getattr(wb, "bad_cells", ()) or ():
            self._bad.setdefault((sheet, column), set()).add(row)
        self._calendar = calendar
        self._job_ids = None
        self._keys: dict = {}
        self._blank: dict = {}
        self._blank_series: dict = {}
        self._values: dict = {}
        self._blocks: dict = {}
        self._dates: dict = {}
        self.cache: dict = {}  # results one rule computes and a later rule reuses

    # data -------------------------------------------------------------------
    def has(self, sheet: str) -> bool:
        return self.wb.has_sheet(sheet)

    def frame(self, sheet: str):
        """The register's frame; an empty one with the contract's columns if absent."""
        if sheet not in self._frames:
            frame = self.wb.frame(sheet)
            for name in schema.BY_SHEET[sheet].headers:
                if name not in frame.columns:  # be lenient with hand-made frames
                    frame = frame.assign(**{name: None})
            if ROW not in frame.columns:
                frame = frame.assign(**{ROW: range(2, len(frame) + 2)})
            self._frames[sheet] = frame
        return self._frames[sheet]

    @property
    def calendar(self):
        if self._calendar is None:
            from aexl.workcal import WorkCalendar

            if hasattr(self.wb, "calendar"):
                self._calendar = self.wb.calendar()
            else:
                self._calendar = WorkCalendar.from_holidays(self.frame(schema.HOLIDAYS.sheet))
        return self._calendar

    def job_ids(self):
        """Upper-cased job numbers of 工作单 (a set)."""
        if self._job_ids is None:
            self._job_ids = set(self.keys(schema.JOBS.sheet, "工作号").dropna())
        return self._job_ids

    def open_dates(self):
        """datetime64 开单日期 of every job, indexed by job key (first row of a number wins)."""
        cached = self.cache.get("open_dates")
        if cached is None:
            import pandas as pd

            keys = self.keys(schema.JOBS.sheet, "工作号")
            dates = pd.Series(
                self.dates(schema.JOBS.sheet, "开单日期").to_numpy(), index=keys.to_numpy()
            )
            dates = dates[dates.index.notna() & ~dates.index.duplicated(keep="first")]
            cached = self.cache["open_dates"] = dates
        return cached

    def open_date_of(self, keys):
        """datetime64 开单日期 of the jobs named by a Series of job keys (NaT if unknown)."""
        import pandas as pd

        dates = self.open_dates()
        if dates.empty:  # Series.map with an empty datetime Series fails in pandas
            return pd.Series(pd.NaT, index=keys.index, dtype="datetime64[ns]")
        return keys.map(dates)

    def values(self, sheet: str, column: str):
        """The column's cells as a numpy array (cached; do not modify)."""
        key = (sheet, column)
        cached = self._values.get(key)
        if cached is None:
            block = self._block(sheet)  # the sheet's one object block: no Series made
            at = block[1].get(column) if block is not None else None
            cached = self.frame(sheet)[column].to_numpy() if at is None else block[0][:, at]
            self._values[key] = cached
        return cached

    def _block(self, sheet: str):
        """(2-D object array, {column: position}) when every column of the frame is of
        object dtype (the reader's frames): ``to_numpy`` is then the frame's own values."""
        if sheet not in self._blocks:
            import numpy as np

            frame = self.frame(sheet)
            block = None
            kinds = frame.dtypes.tolist()
            if frame.columns.is_unique and all(
                isinstance(t, np.dtype) and t.kind == "O" for t in kinds
            ):
                block = frame.to_numpy(), {name: i for i, name in enumerate(frame.columns)}
            self._blocks[sheet] = block
        return self._blocks[sheet]

    def dates(self, sheet: str, column: str):
        """``as_datetime64`` of a column (cached; do not modify)."""
        key = (sheet, column)
        cached = self._dates.get(key)
        if cached is None:
            cached = self._dates[key] = as_datetime64(self.frame(sheet)[column])
        return cached

    def keys(self, sheet: str, column: str):
        """``job_key`` of every cell of a column (cached): how job numbers are compared."""
        cached = self._keys.get((sheet, column))
        if cached is None:
            cached = self._keys[(sheet, column)] = text_upper(self.frame(sheet)[column])
        return cached

    # masks --------------------------------------------------------------------
    def bad(self, sheet: str, column: str):
        """Boolean Series: the cell was unreadable (already reported by the reader)."""
        frame = self.frame(sheet)
        rows = self._bad.get((sheet, column))
        if not rows:
            return _false(frame)
        return frame[ROW].isin(rows)

    def blank_array(self, sheet: str, column: str):
        """numpy bool array: the cell is empty and was not unreadable (cached; do not modify)."""
        key = (sheet, column)
        cached = self._blank.get(key)
        if cached is None:
            cached = blank_values(self.values(sheet, column))
            if self._bad.get(key):
                cached = cached & ~self.bad(sheet, column).to_numpy()
            self._blank[key] = cached
        return cached

    def blank(self, sheet: str, column: str):
        """Boolean Series of ``blank_array`` (cached; do not modify)."""
        key = (sheet, column)
        cached = self._blank_series.get(key)
        if cached is None:
            import pandas as pd

            index = self.frame(sheet).index
            cached = pd.Series(self.blank_array(sheet, column), index=index, copy=False)
            self._blank_series[key] = cached
        return cached

    # emitting ---------------------------------------------------------------
    def add(
        self,
        sheet: str,
        row: int | None,
        column: str | None,
        severity: str,
        code: str,
        message: str,
    ) -> None:
        self.findings.append(
            Finding(sheet, int(row) if row is not None else None, column, severity, code, message)
        )

    def emit(
        self,
        sheet: str,
        mask,
        column: str | None,
        severity: str,
        code: str,
        message: str | Callable[[dict], str],
        *,
        fields: Iterable[str] = (),
    ) -> int:
        """One finding per row where ``mask`` is true.

        ``message`` is a string, or a function of a dict with the row's
        ``fields`` (plus ``_row``) for messages that quote the row's values.
        """
        frame = self.frame(sheet)
        if not len(frame):
            return 0
        values = self._mask_values(frame, mask)
        if not values.any():  # the usual case: nothing to report
            return 0
        at = values.nonzero()[0]
        rows = self._picked(sheet, ROW, at)
        if callable(message):
            names = [f for f in fields if f != ROW]
            columns = [rows, *(self._picked(sheet, f, at) for f in names)]
            keys = [ROW, *names]
            texts = [
                message(dict(zip(keys, cells, strict=True))) for cells in zip(*columns, strict=True)
            ]
        else:
            texts = [message] * len(rows)
        self.findings.extend(
            Finding(sheet, int(r), column, severity, code, t)
            for r, t in zip(rows, texts, strict=True)
        )
        return len(rows)

    @staticmethod
    def _mask_values(frame, mask):
        """``mask`` (a boolean Series, or a numpy bool array in the frame's row order) as a
        numpy bool array in the frame's row order; missing is False."""
        import numpy as np

        if isinstance(mask, np.ndarray):
            if mask.dtype != bool or len(mask) != len(frame):
                raise ValueError("emit: a numpy mask must be bool and one value per row")
            return mask
        if not mask.index.equals(frame.index):  # built on a re-ordered or partial frame
            mask = mask.reindex(frame.index, fill_value=False)
        values = mask.to_numpy()
        if values.dtype != bool:  # nullable or object masks: missing is False
            values = mask.fillna(False).to_numpy(dtype=bool)
        return values

    def _picked(self, sheet: str, column: str, at) -> list:
        """The cells of ``column`` at positions ``at`` as Python values (datetime64
        columns as Timestamps, as ``Series.tolist`` gives them)."""
        values = self.values(sheet, column)
        if values.dtype.kind in "Oiufb":
            return values[at].tolist()
        return self.frame(sheet)[column].iloc[at].tolist()

    # generic rules ------------------------------------------------------------
    def required(self, sheet: str, columns: Iterable[str], severity: str = ERROR) -> None:
        register = schema.BY_SHEET[sheet]
        for name in columns:
            note = register.column(name).note
            hint = f"（{note}）" if note else ""
            self.emit(
                sheet,
                self.blank_array(sheet, name),
                name,
                severity,
                f"{code_prefix(sheet)}.required",
                f"必填项「{name}」为空，请填写{hint}。",
            )

    def enums(self, sheet: str) -> None:
        """Every ENUM column holds one of its allowed values."""
        import numpy as np

        register = schema.BY_SHEET[sheet]
        frame = self.frame(sheet)
        for col in register.columns:
            if col.kind != schema.ENUM or not col.choices:
                continue
            wrong = _not_allowed(frame[col.name].tolist(), frozenset(col.choices))
            if wrong is None:
                continue
            mask = np.array(wrong, dtype=bool) & ~self.bad(sheet, col.name).to_numpy()
            choices = join_choices(col.choices)
            self.emit(
                sheet,
                mask,
                col.name,
                ERROR,
                "enum.invalid",
                lambda r, c=col.name, ch=choices: (
                    f"「{r[c]}」不是有效的「{c}」，请从下拉列表中选择：{ch}。"
                ),
                fields=[col.name],
            )

    def date_order(
        self, sheet: str, earlier: str, later: str, code: str, message: Callable[[dict], str]
    ) -> None:
        """``later`` is not before ``earlier`` (both dates) on the same row."""
        frame = self.frame(sheet)
        if frame.empty:
            return
        a, b = self.dates(sheet, earlier), self.dates(sheet, later)
        self.emit(sheet, earlier_than(b, a), later, ERROR, code, message, fields=[earlier, later])

    def unknown_job(self, sheet: str, column: str, code: str, severity: str = ERROR) -> None:
        """Job numbers in ``column`` that are not in 工作单."""
        frame = self.frame(sheet)
        if frame.empty:
            return
        import numpy as np

        known = self.job_ids()
        keys = self.keys(sheet, column).tolist()
        mask = np.fromiter((i is not None and i not in known for i in keys), bool, len(keys))
        self.emit(
            sheet,
            mask,
            column,
            severity,
            code,
            lambda r: (
                f"工作号「{r[column]}」在「工作单」中不存在：请核对编号，或先在「工作单」登记该工作。"
            ),
            fields=[column],
        )


_PREFIX = {
    "品牌": "brand",
    "工作单": "job",
    "修改单": "rev",
    "签核": "sign",
    "周进度": "weekly",
    "会议": "meeting",
    "投放": "placement",
    "效果": "effect",
    "月报备注": "notes",
    "文案": "copy",
    "节假日": "holiday",
}


def code_prefix(sheet: str) -> str:
    return _PREFIX.get(sheet, "sheet")


def _false(frame):
    import pandas as pd

    return pd.Series(False, index=frame.index, dtype=bool)


def _not_allowed(values: list, allowed: frozenset) -> list[bool] | None:
    """Per value: filled and not one of ``allowed``; None when every value is fine.
    Each distinct value is looked at once (a column repeats a few choices)."""
    try:
        bad = {v for v in set(values) if not is_missing(v) and v not in allowed}
    except TypeError:  # an unhashable cell: value by value
        wrong = [not is_missing(v) and v not in allowed for v in values]
        return wrong if any(wrong) else None
    return [v in bad for v in values] if bad else None
