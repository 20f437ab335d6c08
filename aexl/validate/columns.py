"""Column helpers of the validation rules: blank masks, job keys, dates and numbers of
the reader's object columns (plain Python where pandas' own conversions cost more)."""

from __future__ import annotations

from datetime import date, datetime, timedelta


def blank_values(values):
    """numpy bool array of ``blank_mask`` for a column's numpy values."""
    import pandas as pd

    if values.dtype != object:
        return pd.isna(values)
    return pd.isna(values) | (values == "")


def blank_mask(series):
    """None/NaN or an empty string (the reader turns blank text into None already)."""
    import pandas as pd

    return pd.Series(blank_values(series.to_numpy()), index=series.index)


def is_missing(value) -> bool:
    """None, NaN, NaT or pd.NA (what ``pd.isna`` says of a scalar), without the call cost."""
    if value is None:
        return True
    kind = type(value)
    if kind in _PLAIN:
        return False
    if kind is float:
        return value != value
    import pandas as pd

    return pd.api.types.is_scalar(value) and bool(pd.isna(value))


_PLAIN = frozenset({str, int, bool, date, datetime})


def job_key(value) -> str | None:
    """How job numbers are compared (``rules.jobno_key``, as every report does); None for
    non-text."""
    from aexl.rules import jobno_key

    if not isinstance(value, str):
        return None
    return jobno_key(value) or None


def is_type(series, *types):
    """Boolean Series: the cell's exact type is one of ``types``."""
    import numpy as np
    import pandas as pd

    wanted = frozenset(types)
    out = np.fromiter((type(v) in wanted for v in series.tolist()), bool, len(series))
    return pd.Series(out, index=series.index)


def text_upper(series):
    """``job_key`` of every cell (job numbers, codes); None for blanks and non-text."""
    return map_unique(series, job_key)


def map_unique(series, func):
    """``series.map(func)`` calling ``func`` once per distinct value; blanks stay None."""
    import pandas as pd

    values = series.tolist()
    table: dict = {}
    try:
        for v in set(values):
            if not is_missing(v):
                table[v] = func(v)
    except TypeError:  # an unhashable cell: one call per cell
        out = [None if is_missing(v) else func(v) for v in values]
    else:
        get = table.get
        out = [get(v) for v in values]  # a missing value is not in the table: None
    return pd.Series(out, index=series.index, dtype=object)


def key_values(values: list) -> list:
    """Values for duplicate detection: text through ``job_key``, other values as they are."""
    keys: dict[str, object] = {}  # job_key per distinct text: registers repeat job numbers
    out = []
    for v in values:
        if type(v) is str:
            key = keys.get(v)
            if key is None:
                key = job_key(v)
                key = keys[v] = v if key is None else key
            v = key
        out.append(v)
    return out


def as_datetime64(series):
    """datetime64 Series of the date/datetime cells; NaT elsewhere.

    Converted in plain Python (microseconds since 1970) because
    ``pd.to_datetime`` on an object column costs more than the rule it feeds.
    """
    import numpy as np
    import pandas as pd

    try:
        micros = [_micros(v) for v in series.tolist()]
    except (TypeError, OverflowError):  # e.g. a time zone: pandas' rules
        clean = series.where(is_type(series, date, datetime), None)
        return pd.to_datetime(clean, errors="coerce")
    values = np.array(micros, dtype=np.int64).view("datetime64[us]")
    return pd.Series(values, index=series.index)


_EPOCH = datetime(1970, 1, 1)
_EPOCH_DAY = _EPOCH.date()
_MICROSECOND = timedelta(microseconds=1)
NAT_TICKS = -(2**63)  # numpy's NaT as int64


def _micros(value) -> int:
    kind = type(value)
    if kind is datetime:
        return (value - _EPOCH) // _MICROSECOND
    if kind is date:
        return (value - _EPOCH_DAY).days * 86_400_000_000
    return NAT_TICKS


def earlier_than(a, b):
    """``a < b`` of two ``as_datetime64`` Series on one index (numpy when both are plain
    datetime64; NaT compares False either way)."""
    if a.dtype == b.dtype and a.dtype.kind == "M" and getattr(a.dtype, "tz", None) is None:
        return a.to_numpy() < b.to_numpy()
    return (a < b).to_numpy(dtype=bool)


def as_ticks(dates) -> list:
    """int64 ticks of an ``as_datetime64`` Series (NaT is ``NAT_TICKS``, the smallest)."""
    import pandas as pd

    if dates.dtype.kind == "M" and getattr(dates.dtype, "tz", None) is None:
        return dates.to_numpy().view("int64").tolist()
    return [NAT_TICKS if d is pd.NaT else d.value for d in dates.tolist()]  # their UTC ticks


def as_number(series):
    """float Series of the numeric cells; NaN elsewhere."""
    import pandas as pd

    clean = series.where(is_type(series, int, float), None)
    return pd.to_numeric(clean, errors="coerce")
