"""Rules for 品牌, 工作单 and 修改单 (PRODUCT.md §2: job numbers, job-sheet validation)."""

from __future__ import annotations

import re

from aexl import schema
from aexl.errors import AexlError
from aexl.validate.base import (
    ERROR,
    ROW,
    WARNING,
    Context,
    as_number,
    fmt_date,
    is_missing,
    job_key,
)

BRANDS, JOBS = schema.BRANDS.sheet, schema.JOBS.sheet

JOB_REQUIRED = (
    "工作号", "品牌", "产品线", "项目名称", "项目背景", "广告目标", "目标消费者", "广告策略",
    "广告调性", "工作内容", "工作类型", "预算", "开单日期", "交付日期", "执行人员", "主管签名",
)  # fmt: skip
JOB_SAY_NONE = ("其他必备条件", "提供资料")


# 品牌 -----------------------------------------------------------------------
def check_brands(ctx: Context) -> dict | None:
    """Brand rows; returns the code table {(brand, line): (brand_code, line_code)} or None."""
    frame = ctx.frame(BRANDS)
    ctx.required(BRANDS, ("品牌", "产品线"))
    ctx.required(BRANDS, ("客户",), WARNING)
    import numpy as np

    for column in ("品牌代码", "产品线代码"):
        problems = [_code_problem(v) != "" for v in ctx.values(BRANDS, column).tolist()]
        ctx.emit(
            BRANDS,
            np.array(problems, dtype=bool),
            column,
            ERROR,
            "brand.code_invalid",
            lambda r, c=column: (
                f"「{c}」应只含字母和数字，「{r[c]}」不符合：请改成如 MD、KT 的代码，或留空按拼音自动生成。"
            ),
            fields=[column],
        )
    if not frame.empty:
        dup, first = _duplicate_pairs(ctx)
        ctx.emit(
            BRANDS,
            dup,
            "产品线",
            ERROR,
            "brand.duplicate",
            lambda r: (
                f"品牌「{r['品牌']}」/产品线「{r['产品线']}」与第 {first[(r['品牌'], r['产品线'])]} 行重复："
                "每个品牌 × 产品线只登记一行，请删除重复行。"
            ),
            fields=["品牌", "产品线"],
        )
    if any(f.code == "brand.code_invalid" for f in ctx.findings):
        return None  # fix the typed codes first; codes from a broken sheet mislead
    from aexl.codes import code_table, name_key

    try:
        table = code_table(frame)
    except AexlError as exc:  # CodeError: two pairs give the same prefix, …
        reported = {f.row for f in ctx.findings if f.code == "brand.duplicate"}
        if exc.row is None or exc.row not in reported:
            ctx.add(BRANDS, exc.row, exc.column, ERROR, "brand.code_collision", exc.message + "。")
        return None
    return {(name_key(b), name_key(line)): codes for (b, line), codes in table.items()}


def _code_problem(value) -> str:
    """'' when a typed code is usable (letters and digits), else the problem."""
    if not isinstance(value, str) or not value.strip():
        return ""
    from aexl.codes import normalize_code

    try:
        normalize_code(value)
    except ValueError as exc:
        return str(exc)
    return ""


# 工作单 ------------------------------------------------------------------------
def check_jobs(ctx: Context, codes: dict | None) -> None:
    frame = ctx.frame(JOBS)
    if frame.empty:
        return
    ctx.required(JOBS, JOB_REQUIRED)
    for name in JOB_SAY_NONE:
        ctx.emit(
            JOBS,
            ctx.blank(JOBS, name),
            name,
            WARNING,
            "job.say_none",
            f"「{name}」为空：没有的话请填「无」，不要留空。",
        )
    kind = frame["工作类型"]
    ctx.emit(
        JOBS,
        kind.isin(schema.PRINT_WORK_TYPES) & ctx.blank(JOBS, "规格"),
        "规格",
        ERROR,
        "job.spec_required",
        lambda r: (
            f"工作类型为「{r['工作类型']}」的工作必须注明「规格」，请填写尺寸，如 A4 或 210×285mm。"
        ),
        fields=["工作类型"],
    )
    brief = frame["创意简报"]
    ctx.emit(
        JOBS,
        kind.isin(schema.BRIEF_WORK_TYPES) & (ctx.blank(JOBS, "创意简报") | (brief == "否")),
        "创意简报",
        ERROR,
        "job.brief_required",
        lambda r: (
            f"工作类型为「{r['工作类型']}」的立项必须使用创意简报：请与策略部、创作部完成创意简报，"
            "并把「创意简报」填为「是」。"
        ),
        fields=["工作类型"],
    )
    ctx.date_order(
        JOBS,
        "开单日期",
        "交付日期",
        "job.delivery_before_open",
        lambda r: (
            f"交付日期 {fmt_date(r['交付日期'])} 早于开单日期 {fmt_date(r['开单日期'])}：请核对这两个日期。"
        ),
    )
    budget = as_number(frame["预算"])
    ctx.emit(
        JOBS,
        budget < 0,
        "预算",
        ERROR,
        "job.budget_negative",
        lambda r: f"预算不能为负数（现为 {r['预算']:g}）：请填写 0 或以上的金额（元）。",
        fields=["预算"],
    )
    _job_numbers(ctx, codes)


def _duplicate_pairs(ctx: Context):
    """(bool array: the 品牌 row repeats the brand × line of an earlier row with both
    filled, {(brand, line): first Excel row})."""
    import numpy as np

    first: dict = {}
    dup = []
    rows = ctx.values(BRANDS, ROW).tolist()
    brands, lines = ctx.values(BRANDS, "品牌").tolist(), ctx.values(BRANDS, "产品线").tolist()
    for row, brand, line in zip(rows, brands, lines, strict=True):
        seen = first.setdefault((brand, line), row)
        dup.append(seen != row and not is_missing(brand) and not is_missing(line))
    return np.array(dup, dtype=bool), first


def _job_numbers(ctx: Context, codes: dict | None) -> None:
    """工作号 unique, well formed, and agreeing with brand, line and year of 开单日期.

    Vectorised: the expected prefix (brand code + line code + year) of every
    row is built once per distinct brand × line; rows whose number starts with
    it and ends in a valid serial pass without a Python call into ``jobno``;
    only the rest are parsed one by one for the exact reason.
    """
    frame = ctx.frame(JOBS)
    ids = ctx.keys(JOBS, "工作号")
    has_id = ids.notna()
    dup = _duplicate_numbers(ctx, frame, ids, has_id)
    pairs = _pair_codes(ctx, codes)  # Series of (brand code, line code) or None
    years = ctx.dates(JOBS, "开单日期").dt.year
    ok = _numbers_as_expected(frame, ids, pairs, years)
    slow = frame.loc[has_id & ~dup & ~ok]
    _number_problems(ctx, slow, pairs, years)


def _duplicate_numbers(ctx: Context, frame, ids, has_id):
    """Duplicates: every occurrence after the first names the first row; returns the mask."""
    dup = has_id & ids.duplicated(keep="first")
    first = dict(zip(ids[has_id & ~dup], frame.loc[has_id & ~dup, ROW], strict=True))
    ctx.emit(
        JOBS,
        dup,
        "工作号",
        ERROR,
        "jobno.duplicate",
        lambda r: (
            f"工作号「{r['工作号']}」与第 {first[job_key(r['工作号'])]} 行重复：一个工作号只用于一项工作，"
            "修改请登记在「修改单」并沿用原工作号，新工作请用「新建工作号」生成新号。"
        ),
        fields=["工作号"],
    )
    return dup


def _numbers_as_expected(frame, ids, pairs, years):
    """Rows whose 工作号 starts with the expected prefix (brand code + line code + year)
    and ends in a valid serial: these pass without a call into ``jobno``."""
    import pandas as pd

    expected = pd.Series(
        [
            f"{p[0]}{p[1]}{int(y)}" if p is not None and y == y else None
            for p, y in zip(pairs, years, strict=True)
        ],
        index=frame.index,
        dtype=object,
    )
    ok = pd.Series(
        [
            e is not None
            and i is not None
            and i.startswith(e)
            and bool(_SERIAL.fullmatch(i[len(e) :]))
            for i, e in zip(ids, expected, strict=True)
        ],
        index=frame.index,
        dtype=bool,
    )
    return ok


def _number_problems(ctx: Context, slow, pairs, years) -> None:
    """The rows that failed the quick pass, parsed one by one for the exact reason."""
    from aexl.jobno import jobno_problem, parse_jobno

    for row, text, pair, year in zip(
        slow[ROW], slow["工作号"], pairs[slow.index], years[slow.index], strict=True
    ):
        try:
            parse_jobno(text)
        except AexlError as exc:
            ctx.add(
                JOBS, row, "工作号", ERROR, "jobno.malformed",
                f"{exc.message.rstrip('。')}；请更正，或用「新建工作号」生成。",
            )  # fmt: skip
            continue
        if pair is None or year != year:
            continue  # brand/line unknown (reported) or no 开单日期 (reported)
        reason = jobno_problem(text, pair[0], pair[1], int(year))
        if reason:
            ctx.add(
                JOBS, row, "工作号", ERROR, "jobno.mismatch",
                f"{reason.rstrip('。')}：本行（开单日期 {int(year)} 年）的工作号应以 "
                f"{pair[0]}{pair[1]}{int(year)} 开头；请核对品牌、产品线和开单日期，"
                "或用「新建工作号」重新生成。",
            )  # fmt: skip


_SERIAL = re.compile(r"\d{3}|[1-9]\d{3,}")


def _pair_codes(ctx: Context, codes: dict | None):
    """(brand code, line code) of every 工作单 row, None where unknown.

    Reports rows whose brand × line is not in the 品牌 sheet. Without 品牌
    rows the codes come from pinyin (with a warning on the sheet); when the
    品牌 sheet has its own errors (``codes`` is None) nothing is checked.
    """
    import pandas as pd

    from aexl.codes import name_key

    frame = ctx.frame(JOBS)
    brands = ctx.frame(BRANDS)
    none = pd.Series([None] * len(frame), index=frame.index, dtype=object)
    use_sheet = not brands.empty
    if codes is None and use_sheet:
        return none  # the 品牌 sheet has a problem of its own (reported there)
    if not use_sheet:
        ctx.add(
            BRANDS, None, None, WARNING, "brand.sheet_empty",
            "「品牌」表没有内容：工作号暂按品牌、产品线名称的拼音首字母核对；"
            "请在「品牌」表登记每个品牌 × 产品线（代码可留空自动生成）。",
        )  # fmt: skip
    brand_cells, line_cells = ctx.values(JOBS, "品牌").tolist(), ctx.values(JOBS, "产品线").tolist()
    key = [
        None if is_missing(brand) or is_missing(line) else (brand, line)
        for brand, line in zip(brand_cells, line_cells, strict=True)
    ]
    if all(k is None for k in key):
        return none
    found = _found_codes(ctx, key, codes, use_sheet)
    result = [found.get(k) if k is not None else None for k in key]
    if use_sheet:
        brand_keys = {name_key(b) for b in ctx.values(BRANDS, "品牌").tolist() if not is_missing(b)}
        missing = [k is not None and r is None for k, r in zip(key, result, strict=True)]
        _unknown_pairs(ctx, brand_cells, missing, brand_keys)
    return pd.Series(result, index=frame.index, dtype=object)


def _found_codes(ctx: Context, key: list, codes: dict | None, use_sheet: bool) -> dict:
    """{(brand, line): (brand code, line code) or None} for the distinct pairs in ``key``:
    from the 品牌 sheet's table, or (no 品牌 rows) from pinyin, reporting what fails."""
    from aexl.codes import name_key, resolve_codes

    found: dict[tuple, tuple | None] = {}
    for pair in {k for k in key if k is not None}:
        brand, line = pair
        wanted = (name_key(brand), name_key(line))
        if use_sheet:
            found[pair] = (codes or {}).get(wanted)
        else:
            try:
                found[pair] = tuple(resolve_codes(None, brand, line))
            except AexlError as exc:
                found[pair] = None
                rows = ctx.values(JOBS, ROW).tolist()
                for row in [r for r, k in zip(rows, key, strict=True) if k == pair]:
                    ctx.add(JOBS, row, "品牌", ERROR, "job.unknown_brand", exc.message + "。")
    return found


def _unknown_pairs(ctx: Context, brand_cells: list, missing: list, brand_keys: set) -> None:
    """Rows whose brand × line is not in the 品牌 sheet: the line or the whole brand."""
    import numpy as np

    from aexl.codes import name_key

    known = [m and name_key(b) in brand_keys for m, b in zip(missing, brand_cells, strict=True)]
    missing, known_brand = np.array(missing, dtype=bool), np.array(known, dtype=bool)
    ctx.emit(
        JOBS,
        missing & known_brand,
        "产品线",
        ERROR,
        "job.unknown_brand",
        lambda r: (
            f"品牌「{r['品牌']}」在「品牌」表中没有产品线「{r['产品线']}」：请先在「品牌」表添加这一行"
            "（代码可留空自动按拼音生成），或核对本行的产品线名称。"
        ),
        fields=["品牌", "产品线"],
    )
    ctx.emit(
        JOBS,
        missing & ~known_brand,
        "品牌",
        ERROR,
        "job.unknown_brand",
        lambda r: (
            f"品牌「{r['品牌']}」不在「品牌」表中：请先在「品牌」表登记该品牌和产品线"
            "（代码可留空自动按拼音生成），或核对本行的品牌名称。"
        ),
        fields=["品牌"],
    )
