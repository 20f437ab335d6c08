"""The 签核 rows the sign-off rules read: steps read by ``rules.normalise_step``, and the
usable rows sorted by job, flow and row with their rounds (computed once per validation)."""

from __future__ import annotations

from aexl import schema
from aexl.rules import ENDS_ROUND, normalise_step
from aexl.validate.base import ROW, Context, as_datetime64

SIGNOFFS = schema.SIGNOFFS.sheet


_STEP_KEY_TYPES = frozenset({str, int, float, type(None)})


def known_steps(ctx: Context):
    """(steps, known): the 签核 sheet's 步骤 read by ``rules.normalise_step`` (per flow: a
    number is a position in its chain; ``""`` for a blank) and whether each is a step of
    its flow. Computed once per validation, once per distinct flow and plain step."""
    cached = ctx.cache.get("signoff_steps")
    if cached is not None:
        return cached
    import pandas as pd

    valid = {(f, s) for f, chain in schema.SIGNOFF_CHAINS.items() for s in chain}
    seen: dict = {}
    steps, known = [], []
    flows, raw = ctx.values(SIGNOFFS, "流程").tolist(), ctx.values(SIGNOFFS, "步骤").tolist()
    for flow, step in zip(flows, raw, strict=True):
        key = (flow, step) if type(step) in _STEP_KEY_TYPES else None
        hit = seen.get(key) if key is not None else None
        if hit is None:
            value = normalise_step(step, flow)
            hit = value, (flow, value) in valid
            if key is not None:
                seen[key] = hit
        steps.append(hit[0])
        known.append(hit[1])
    index = ctx.frame(SIGNOFFS).index
    cached = pd.Series(steps, index=index, dtype=object), pd.Series(known, index=index, dtype=bool)
    ctx.cache["signoff_steps"] = cached
    return cached


def signoff_work(ctx: Context):
    """The usable 签核 rows (a known job key and a step of the flow), sorted by job, flow
    and row, with ``_id``, ``_step``, ``_round``, ``_pos`` (place in the round, from 0)
    and ``_d``: computed once per validation, whichever rule asks first."""
    cached = ctx.cache.get("signoff_work")
    if cached is not None:
        return cached
    import numpy as np
    import pandas as pd

    frame = ctx.frame(SIGNOFFS)
    steps, known = known_steps(ctx)
    ids = ctx.keys(SIGNOFFS, "工作号")
    usable = np.flatnonzero(ids.notna().to_numpy() & known.to_numpy())
    order = usable[
        np.lexsort(
            (
                ctx.values(SIGNOFFS, ROW)[usable].astype(np.int64),
                _sort_codes(ctx.values(SIGNOFFS, "流程")[usable]),
                _sort_codes(ids.to_numpy()[usable]),
            )
        )
    ]  # by job, flow and row, as a stable sort_values on those columns
    work = frame[[ROW, "工作号", "流程", "日期", "结果"]].take(order)
    job, flow = ids.to_numpy()[order], work["流程"].to_numpy()
    rounds = _round_numbers(job, flow, work["结果"].tolist())
    at = np.arange(len(order))
    starts = _run_starts(changes(job, flow) | changes(rounds))
    work = work.assign(
        _id=pd.Series(job, index=work.index, dtype=object),
        _step=steps.take(order),
        _round=pd.Series(rounds, index=work.index),
        _pos=pd.Series(at - starts, index=work.index),
        _d=as_datetime64(work["日期"]),
    )
    ctx.cache["signoff_work"] = work
    return work


def _sort_codes(values):
    """int codes of ``values`` in sorted order of the values (for ``numpy.lexsort``)."""
    import numpy as np

    values = values.tolist()
    code = {v: i for i, v in enumerate(sorted(set(values)))}
    return np.fromiter((code[v] for v in values), np.int64, len(values))


def changes(*columns):
    """bool array: the row starts a new run of equal values in ``columns`` (numpy arrays)."""
    import numpy as np

    n = len(columns[0])
    out = np.zeros(n, dtype=bool)
    out[:1] = True
    for values in columns:
        out[1:] |= values[1:] != values[:-1]
    return out


def _run_starts(new):
    """Position of the first row of each row's run (``new`` marks where runs start)."""
    import numpy as np

    return np.maximum.accumulate(np.where(new, np.arange(len(new)), 0))


def _round_numbers(job, flow, results: list):
    """Round of every row within its job × flow (numpy int64): a 拒单/退回 row ends its
    round. The rows are sorted by job and flow, so each job × flow is a run of rows:
    the round is the count of round-ending rows before it in its run."""
    import numpy as np

    first = changes(job, flow)
    ended = np.fromiter((result in ENDS_ROUND for result in results), bool, len(results))
    step_up = np.zeros(len(results), dtype=np.int64)
    step_up[1:] = ended[:-1] & ~first[1:]
    total = np.cumsum(step_up)
    return total - total[_run_starts(first)]


def work_lists(ctx: Context, work) -> dict:
    """The columns of ``signoff_work`` as lists (computed once per validation)."""
    cached = ctx.cache.get("signoff_lists")
    if cached is None:
        names = (ROW, "工作号", "流程", "结果", "_id", "_step", "_round")
        cached = ctx.cache["signoff_lists"] = {name: work[name].tolist() for name in names}
    return cached
