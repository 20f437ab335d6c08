"""The month-end batch (PRODUCT.md §3 "Month-end batch"): every workbench in a folder.

For each workbench (``*.xlsx`` / ``*.xlsm`` in the folder, not Excel's
``~$`` lock files, not aexl's ``.aexl-tmp-*`` temp files, not aexl's own
reports) the batch reads the file once and writes

- ``YYYYMMDD_<客户>_校验结果.xlsx``: every validation finding;
- per brand the 月度工作总结 of the month (brands with nothing that month are
  left out), the month's 投放列表 (brands with placements) and the
  效果追踪图表 workbook (brands with effect data), optionally PNG charts.

Workbenches are processed by up to two worker processes, each writing into
a private ``.aexl-tmp-*`` folder inside the output folder; the main process
then moves the files into place (a rename), workbench by workbench in input
order, so a workbench's outputs appear all together or not at all. A
workbench that cannot be read (or fails half-way) is named in one line and
skipped, and the others go on. File names follow the rulebook (date +
subject + kind): the validation summary is dated the day the monthly summary
is due, lists and charts the month's last day (as their own commands do); a
name already used in the run by another workbench (two clients with a brand
of the same name) gets the client's name added instead of being overwritten.

Everything here is a plain function; ``aexl.commands.month_end`` is the CLI.
"""

from __future__ import annotations

import gc
import logging
import os
import re
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from aexl.errors import AexlError, UsageError
from aexl.period import Period
from aexl.rules import as_day, brand_key

log = logging.getLogger("aexl")

CHECK_KIND = "校验结果"
CLEANUP_KIND = "月度清理清单"
WORKBENCH_SUFFIXES = (".xlsx", ".xlsm")
_CLIENT_SUFFIX = re.compile(r"[_\-\s]*AE\s*工作台.*$", re.IGNORECASE)
DEFAULT_WORKERS = 2
CHECK_HEADERS = ["工作表", "行", "列", "级别", "代码", "说明"]
CHECK_WIDTHS = [10, 6, 12, 6, 24, 90]
CLEANUP_HEADERS = ["文件", "最后修改", "说明"]
CLEANUP_WIDTHS = [60, 12, 70]


# --------------------------------------------------------------------------- results


@dataclass
class BookResult:
    """What the batch did with one input."""

    path: Path
    client: str = ""
    written: list[Path] = field(default_factory=list)
    brands: list[str] = field(default_factory=list)
    errors: int = 0
    warnings: int = 0
    skipped: str | None = None  # one Chinese line, "文件 <input>：…": why it was skipped
    bug: bool = False  # skipped because of an internal error (a defect, logged)
    seconds: float = 0.0
    stage: Path | None = None  # private staging folder (while being published)
    staged: list[tuple[Path, str]] = field(default_factory=list)  # (file, name tag)

    @property
    def ok(self) -> bool:
        return self.skipped is None


@dataclass
class RunSummary:
    month: str
    in_dir: Path
    out_dir: Path
    results: list[BookResult] = field(default_factory=list)
    cleanup: list = field(default_factory=list)  # aexl.files.tree.FileFinding
    cleanup_path: Path | None = None
    seconds: float = 0.0

    @property
    def read(self) -> list[BookResult]:
        return [r for r in self.results if r.ok]

    @property
    def skipped(self) -> list[BookResult]:
        return [r for r in self.results if not r.ok]

    @property
    def written(self) -> list[Path]:
        paths = [p for r in self.results for p in r.written]
        return paths + ([self.cleanup_path] if self.cleanup_path else [])

    @property
    def brands(self) -> int:
        return sum(len(r.brands) for r in self.read)

    @property
    def exit_code(self) -> int:
        if any(r.bug for r in self.results):
            return 3
        return 2 if self.skipped else 0

    def lines(self) -> list[str]:
        """The run summary (Chinese), one item per line."""
        errors = sum(r.errors for r in self.read)
        warnings = sum(r.warnings for r in self.read)
        out = [
            f"月底批处理 {self.month} 完成：读取工作台 {len(self.read)} 个，品牌 {self.brands} 个，"
            f"写出文件 {len(self.written)} 个，校验发现错误 {errors} 个、警告 {warnings} 个，"
            f"跳过输入 {len(self.skipped)} 个，用时 {self.seconds:.1f} 秒。",
            f"输出文件夹：{self.out_dir}",
        ]
        for r in self.read:
            out.append(
                f"  {r.path.name}：品牌 {len(r.brands)} 个，文件 {len(r.written)} 个，"
                f"错误 {r.errors} 个、警告 {r.warnings} 个"
            )
        for r in self.skipped:
            out.append(f"  已跳过 {r.skipped}")  # the line names the file (and sheet, row)
        if self.cleanup_path is not None:
            out.append(
                f"文件整理：待清理文件 {len(self.cleanup)} 个（超过一个月未改动的工作文件），"
                f"清单见 {self.cleanup_path.name}"
            )
        return out


# --------------------------------------------------------------------------- inputs


def default_in_dir() -> Path:
    """``workbooks/sample`` of the current folder, else of the source checkout."""
    here = Path("workbooks") / "sample"
    if here.is_dir():
        return here
    checkout = Path(__file__).resolve().parent.parent / "workbooks" / "sample"
    if checkout.is_dir():
        return checkout
    raise UsageError("没有找到示例工作台文件夹 workbooks/sample，请用 --in 指定工作台所在的文件夹")


def default_out_dir(month: str) -> Path:
    return Path("out") / month


def is_output_name(name: str) -> bool:
    """A file aexl wrote (``20261110_星河_月度工作总结.xlsx``), not a workbench."""
    from aexl.reports.registry import report_kinds

    kinds = "|".join(map(re.escape, report_kinds()))  # a file named like a kind aexl writes
    return bool(re.match(rf"^\d{{8}}_.+_({kinds})(_\d+)?\.xlsx$", name))


def find_workbenches(folder: str | Path) -> list[Path]:
    """The workbenches directly in ``folder``, sorted by name."""
    folder = Path(folder)
    if not folder.exists():
        raise UsageError(f"找不到文件夹「{folder}」，请检查 --in 的路径")
    if not folder.is_dir():
        raise UsageError(f"「{folder}」不是文件夹，--in 应指定工作台所在的文件夹")
    found = []
    for path in folder.iterdir():
        name = path.name
        if name.startswith(("~$", ".aexl-tmp-", ".")) or path.is_dir():
            continue
        if path.suffix.lower() in WORKBENCH_SUFFIXES and not is_output_name(name):
            found.append(path)
    return sorted(found, key=lambda p: p.name)


def client_name(path: Path, wb=None) -> str:
    """The client's short name: the file name without ``_AE工作台``; else 品牌 → 客户."""
    stem = _CLIENT_SUFFIX.sub("", path.stem).strip(" _-")
    if stem:
        return stem
    if wb is not None:
        clients = [c for c in wb.frame("品牌")["客户"].tolist() if isinstance(c, str) and c]
        if clients:
            return clients[0]
    return path.stem or "工作台"


# --------------------------------------------------------------------------- one book


MONTH_TRIM = {  # sheet → (date column, also drop dates before the month)
    "修改单": ("修改日期", False),
    "签核": ("日期", False),
    "会议": ("会议时间", False),
    "效果": ("日期", False),  # the monthly charts show a campaign from its first figure on
    "投放": ("投放日期", True),
}


def month_source(wb, month: Period):
    """The workbench cut to the rows a month's reports read (a new ``Workbench``).

    Left out: weekly entries of other weeks, month notes of other months,
    placements dated outside the month, and revisions, sign-offs, meetings and
    effect figures dated after it. Rows whose date is not a date stay (the
    reports decide about them). A year-scale workbench is mostly other months:
    the month's summaries, lists and charts are built from a fraction of it,
    with the same result (``tests/test_monthend.py`` compares).
    """
    from aexl.reports.monthly import month_weeks
    from aexl.workbook.read import Workbench

    start, end = month.start, month.end
    weeks = set(month_weeks(start, end))
    keeps = {
        "周进度": ("周次", lambda v: v in weeks),
        "月报备注": ("月份", lambda v: v == month.key),
    }
    for sheet, (column, before) in MONTH_TRIM.items():
        keeps[sheet] = (column, _date_keeper(start if before else None, end))
    frames = dict(wb.frames)
    for sheet, (column, keep) in keeps.items():
        frame = frames.get(sheet)
        if frame is None or not len(frame) or column not in frame.columns:
            continue
        mask = [keep(v) for v in frame[column].tolist()]
        if not all(mask):
            frames[sheet] = frame[mask]
    return Workbench(path=wb.path, frames=frames)


def _date_keeper(start: date | None, end: date):
    def keep(value) -> bool:
        if not isinstance(value, date):
            return True
        day = as_day(value)
        return day <= end and (start is None or day >= start)

    return keep


_TEXT_CACHE: dict = {}


def _text(value) -> str:
    """Cell text as the reports show it (``norm_text``), memoised: values repeat a lot."""
    key = (type(value), value)
    try:
        return _TEXT_CACHE[key]
    except KeyError:
        pass
    except TypeError:  # unhashable
        from aexl.values import norm_text

        return norm_text(value)
    from aexl.values import norm_text

    if len(_TEXT_CACHE) > 200_000:
        _TEXT_CACHE.clear()
    result = _TEXT_CACHE[key] = norm_text(value)
    return result


def book_brands(wb, start: date, end: date) -> list[str]:
    """Brands of the workbench: 品牌 sheet order, then 工作单, then 投放 / 效果 of the month.

    Names the reports take for one brand (``brand_key``: case, width) count once.
    """
    from aexl import schema

    seen: dict[str, str] = {}
    for sheet in (schema.BRANDS.sheet, schema.JOBS.sheet):
        for value in wb.frame(sheet)["品牌"].tolist():
            if _text(value):
                seen.setdefault(brand_key(value), _text(value))
    for sheet, column in ((schema.PLACEMENTS.sheet, "投放日期"), (schema.EFFECTS.sheet, "日期")):
        frame = wb.frame(sheet)
        for brand, day in zip(frame["品牌"].tolist(), frame[column].tolist(), strict=True):
            if _text(brand) and isinstance(day, date) and start <= as_day(day) <= end:
                seen.setdefault(brand_key(brand), _text(brand))
    return list(seen.values())


def process_workbench(
    path: str | Path,
    month: Period | str,
    out_dir: str | Path,
    *,
    png: bool = False,
    now: datetime | None = None,
    taken: set[str] | None = None,
) -> BookResult:
    """All month-end outputs of one workbench into ``out_dir``; never raises.

    A failure is reported in ``skipped`` and leaves no output. ``taken``:
    names already written by this run (for other workbenches); see ``publish``.
    """
    result = build_outputs(path, month, stage_dir(out_dir), png=png, now=now)
    publish(result, out_dir, taken if taken is not None else set())
    return result


def stage_dir(out_dir: str | Path) -> Path:
    """A fresh private folder inside ``out_dir`` (same file system: publishing is a rename)."""
    import tempfile

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=".aexl-tmp-", dir=out_dir))


def build_outputs(
    path: str | Path,
    month: Period | str,
    stage: str | Path,
    *,
    png: bool = False,
    now: datetime | None = None,
) -> BookResult:
    """Write one workbench's outputs into the staging folder ``stage``; never raises."""
    started = time.perf_counter()
    month = Period.of("month", month)  # a Period passes as it is
    result = BookResult(path=Path(path))
    # XlsxWriter and pandas make many short-lived objects: cyclic collection
    # during a workbench costs ~20% CPU, so collect once afterwards instead.
    gc.disable()
    try:
        _process(result, month, Path(stage), png=png, now=now)
    except AexlError as exc:
        # the error names its place once; the input goes first unless it is that place
        own = exc.file == result.path.name
        result.skipped = str(exc) if own else f"文件 {result.path.name}：{exc}"
    except Exception as exc:  # one bad workbench must not stop the batch
        if isinstance(exc, PermissionError):
            result.skipped = (
                f"文件 {result.path.name}：无法读取或写入（文件被占用或没有权限），"
                "请先在 Excel 中关闭相关文件再重试"
            )
        elif isinstance(exc, OSError):
            result.skipped = f"文件 {result.path.name}：读写失败（{exc.strerror or exc}）"
        else:
            result.bug = True
            from aexl.errors import log_internal_error

            log_path = log_internal_error(f"month-end {result.path}")
            result.skipped = (
                f"文件 {result.path.name}：内部错误（程序缺陷，不是您的操作问题），"
                f"详情已记录到 {log_path}"
            )
    finally:
        gc.enable()
        gc.collect(0)  # nothing was promoted while disabled: the young generation holds it all
    result.stage = Path(stage)
    result.seconds = time.perf_counter() - started
    return result


def publish(result: BookResult, out_dir: str | Path, taken: set[str]) -> None:
    """Move a workbench's staged outputs into ``out_dir``, or drop them if it was skipped.

    A name in ``taken`` (written by this run for another workbench, e.g. two
    clients with a brand of the same name) gets the client's name added
    (``20261110_星河食品-星河_月度工作总结.xlsx``) instead of overwriting it.
    """
    import shutil

    out_dir = Path(out_dir)
    stage = result.stage
    try:
        if result.skipped:
            result.written, result.brands = [], []
            return
        published = []
        for staged, tag in result.staged:
            name = _free_name(staged.name, tag, taken)
            target = out_dir / name
            os.replace(staged, target)
            taken.add(name)
            published.append(target)
        result.written = published
    finally:
        result.staged = []
        if stage is not None:
            shutil.rmtree(stage, ignore_errors=True)
        result.stage = None


def _free_name(name: str, tag: str, taken: set[str]) -> str:
    """``name``, else with ``tag`` added to its subject, else numbered."""
    if name not in taken:
        return name
    stem, dot, suffix = name.rpartition(".")
    dated = re.match(r"^\d{8}_", stem)
    tagged = f"{stem[:9]}{tag}-{stem[9:]}" if dated else f"{tag}-{stem}"
    candidate, n = f"{tagged}{dot}{suffix}", 2
    while candidate in taken:
        candidate, n = f"{tagged}_{n}{dot}{suffix}", n + 1
    return candidate


def _process(result: BookResult, month: Period, stage: Path, *, png: bool, now) -> None:
    from aexl import schema
    from aexl.reports.charts import SHEET_TITLE as CHART_KIND
    from aexl.reports.charts import chart_specs, png_name, render_pngs, write_chart_workbook
    from aexl.reports.monthly import monthly_data, write_monthly
    from aexl.reports.placements import REPORT_KIND as PLACEMENT_KIND
    from aexl.reports.placements import placement_rows, report_date, write_placement_list
    from aexl.reports.registers import prepare
    from aexl.validate import validate_workbench
    from aexl.workbook.read import read_workbench
    from aexl.workbook.write import atomic_write_bytes, report_name

    path = result.path
    wb = read_workbench(path)
    if not wb.frames:
        raise AexlError(
            "不是 AE 工作台：没有任何登记表（工作单、投放、效果……），"
            "请确认文件，或把它移出该文件夹（新工作台可用 aexl init 生成）",
            file=path,
        )
    client = result.client = client_name(path, wb)
    start, end = month.start, month.end
    calendar = wb.calendar()
    finish, _send = month.due(calendar)
    label = month.label

    findings = validate_workbench(wb, now=now, calendar=calendar)
    result.errors = sum(f.is_error for f in findings)
    result.warnings = len(findings) - result.errors
    check = stage / report_name(finish, client, CHECK_KIND)
    write_findings(findings, check, client=client, source=path.name, month=month.key)
    result.staged.append((check, path.stem))

    list_day = report_date(start, end, weekly=False)
    regs = prepare(month_source(wb, month))  # the month's rows, prepared once for every brand
    placements = regs.frame(schema.PLACEMENTS.sheet)
    effects = regs.frame(schema.EFFECTS.sheet)
    pending_png: list[tuple[Path, object]] = []
    for brand in book_brands(wb, start, end):
        count = len(result.staged)
        report = monthly_data(regs, brand, month, calendar)
        if not report.is_empty:
            report.source = path.name
            result.staged.append((write_monthly(report, stage / report.filename), client))
        rows = placement_rows(placements, brand, start, end, path.parent) if len(placements) else []
        if rows:
            target = stage / report_name(list_day, brand, PLACEMENT_KIND)
            write_placement_list(rows, brand, label, target, source=path.name)
            result.staged.append((target, client))
        specs = chart_specs(effects, brand, start, end) if len(effects) else []
        if specs:
            target = stage / report_name(end, brand, CHART_KIND)
            write_chart_workbook(specs, target, brand=brand, period_label=label, source=path.name)
            result.staged.append((target, client))
            pending_png += [(stage / png_name(end, spec), spec) for spec in specs]
        if len(result.staged) > count:
            result.brands.append(brand)
    if png and pending_png:
        images = render_pngs([spec for _, spec in pending_png], workers=1)
        for (target, _), data in zip(pending_png, images, strict=True):
            if target.exists():  # two charts whose names differ only in forbidden characters
                target = target.with_name(f"{target.stem}_{len(result.staged)}.png")
            result.staged.append((atomic_write_bytes(data, target), client))


# --------------------------------------------------------------------------- writers


def write_findings(findings, path: str | Path, *, client: str, source: str, month: str) -> Path:
    """The 校验结果 workbook: one row per finding, errors marked; atomically."""
    from aexl.findings import SEVERITY_LABEL
    from aexl.workbook import write as xo

    errors = sum(f.is_error for f in findings)
    book = xo.Book(path, title=f"{client} {CHECK_KIND}", subject=CHECK_KIND)
    sheet = book.sheet(CHECK_KIND)
    lines = [
        f"工作台：{source}　　月底批处理：{month}　　校验时间：{datetime.now():%Y-%m-%d %H:%M}",
        f"错误 {errors} 个，警告 {len(findings) - errors} 个"
        + ("（错误须改正；警告请核实）" if findings else "：没有发现问题"),
    ]
    rows = [
        [f.sheet, f.row, f.column, SEVERITY_LABEL.get(f.severity, f.severity), f.code, f.message]
        for f in findings
    ]
    title = f"{client} {CHECK_KIND}"
    header_row = sheet.listing(title, lines, CHECK_HEADERS, rows, empty_text="（没有发现问题）")
    for n, finding in enumerate(findings):
        if finding.is_error:  # the 级别 cell stands out
            sheet.put(header_row + 1 + n, 4, rows[n][3], xo.CELL, xo.WARN, xo.ERROR)
    if rows:
        sheet.autofilter(header_row, 1, header_row + len(rows), len(CHECK_HEADERS))
    sheet.set_widths(CHECK_WIDTHS)
    return book.save()


def month_finish(month: Period) -> date:
    """The day the month's reports are due (the monthly summary's finish date, 10th of M+1)."""
    from aexl.errors import CalendarError
    from aexl.workcal import WorkCalendar

    try:
        return month.due(WorkCalendar())[0]
    except CalendarError:  # a year the bundled calendar does not know: the plain 10th
        last = month.end
        return date(last.year + last.month // 12, last.month % 12 + 1, 10)


def cleanup_subject(root: Path) -> str:
    """Whose files the clean-up list covers: the one client of the root, else 电脑档案."""
    from aexl.files.tree import RECORDS_DIR

    try:
        clients = [
            d.name
            for d in root.iterdir()
            if d.is_dir() and not d.name.startswith(".") and d.name != RECORDS_DIR
        ]
    except OSError:
        clients = []
    return clients[0] if len(clients) == 1 else "电脑档案"


def cleanup_name(root: Path, month: Period) -> str:
    """``20261110_星河食品_月度清理清单.xlsx``: dated like the month's summaries."""
    from aexl.workbook.write import report_name

    return report_name(month_finish(month), cleanup_subject(root), CLEANUP_KIND)


def write_cleanup_list(
    items, path: str | Path, *, root: Path, today: date, month: str | None = None
) -> Path:
    """The monthly clean-up list of a files root (守则 三.1.4 / 三.2)."""
    from aexl.workbook import write as xo

    book = xo.Book(path, title=CLEANUP_KIND, subject=CLEANUP_KIND)
    sheet = book.sheet(CLEANUP_KIND)
    lines = [
        f"文件根目录：{root}　　"
        + (f"月底批处理：{month}　　" if month else "")
        + f"检查日期：{today:%Y-%m-%d}",
        f"待清理文件 {len(items)} 个：工作文件夹中超过一个月未改动的文件，"
        "请确认已过期且没有保留价值后删除，或归档到相应文件夹",
    ]
    rows = [[item.path, item.modified, item.message] for item in items]
    sheet.listing(
        CLEANUP_KIND,
        lines,
        CLEANUP_HEADERS,
        rows,
        formats={1: xo.DATE_FORMAT},
        empty_text="（没有需要清理的文件）",
    )
    sheet.set_widths(CLEANUP_WIDTHS)
    return book.save()


# --------------------------------------------------------------------------- the run


def progress_bar(total: int, stream=None):
    """tqdm's bar on a terminal (stderr by default); nothing when not a TTY."""
    from tqdm import tqdm

    return tqdm(
        total=total,
        file=stream if stream is not None else sys.stderr,
        desc="月底批处理",
        unit="个工作台",
        disable=None,  # off when the stream is not a terminal (a pipe, a log file)
        leave=False,
        dynamic_ncols=True,
    )


def _preload(month: Period) -> None:
    """Import and warm up what every workbench needs, once, before forking the workers.

    Forked workers inherit it: without this each worker imports pandas,
    XlsxWriter, PIL, pypinyin… and loads the calendar and the word lists itself
    (about 0.8 s of CPU per worker, paid twice on two cores).
    """
    import numpy  # noqa: F401
    import pandas  # noqa: F401
    import pandas.core.methods.to_dict  # noqa: F401
    import python_calamine  # noqa: F401
    import xlsxwriter.workbook  # noqa: F401
    from PIL import Image, ImageOps, JpegImagePlugin, PngImagePlugin  # noqa: F401

    import aexl.reports.charts  # noqa: F401
    import aexl.reports.monthly  # noqa: F401
    import aexl.reports.placements  # noqa: F401
    import aexl.validate  # noqa: F401
    import aexl.workbook.read  # noqa: F401

    try:  # caches filled on first use: pinyin dictionaries, copy-check terms, the year's calendar
        from aexl import codes, copycheck, jobno  # noqa: F401
        from aexl.workcal import WorkCalendar

        codes.code_for("美的")
        copycheck.check_text("最好")
        month.due(WorkCalendar())
    except Exception:  # a warm-up only: the real work reports any problem itself
        log.debug("warm-up failed", exc_info=True)


def run_month_end(
    month: Period | str,
    in_dir: str | Path | None = None,
    out_dir: str | Path | None = None,
    *,
    files_root: str | Path | None = None,
    workers: int = DEFAULT_WORKERS,
    png: bool = False,
    today: date | None = None,
    now: datetime | None = None,
    on_result: Callable[[BookResult], None] | None = None,
    progress_stream=None,
) -> RunSummary:
    """Run the batch; ``on_result`` is called (in this process) as each workbench finishes.

    ``month``: a ``Period`` (or what people type for one, read here once).
    """
    started = time.perf_counter()
    month = Period.of("month", month)
    in_dir = Path(in_dir) if in_dir is not None else default_in_dir()
    out_dir = Path(out_dir) if out_dir is not None else default_out_dir(month.key)
    paths = find_workbenches(in_dir)
    if not paths:
        raise UsageError(
            f"文件夹「{in_dir}」里没有 AE 工作台（.xlsx / .xlsm 文件），请检查 --in 的路径"
        )
    summary = RunSummary(month=month.key, in_dir=in_dir, out_dir=out_dir)
    today = today or date.today()
    if files_root is not None:
        from aexl.files.tree import cleanup_list

        root = Path(files_root)
        summary.cleanup = cleanup_list(root, today)  # a bad root fails here, before any work
        summary.cleanup_path = write_cleanup_list(
            summary.cleanup,
            out_dir / cleanup_name(root, month),
            root=root,
            today=today,
            month=month.key,
        )
    out_dir.mkdir(parents=True, exist_ok=True)
    progress = progress_bar(len(paths), progress_stream)

    def finished(result: BookResult) -> None:
        summary.results.append(result)
        if on_result:
            with progress.external_write_mode():  # the bar steps aside while a path prints
                on_result(result)
        progress.set_postfix_str(result.path.name, refresh=False)
        progress.update(1)

    taken: set[str] = {summary.cleanup_path.name} if summary.cleanup_path else set()
    options = {"png": png, "now": now}

    def built(result: BookResult) -> None:
        publish(result, out_dir, taken)
        finished(result)

    jobs = min(max(1, workers), len(paths), os.cpu_count() or 1)
    if jobs > 1:
        _run_parallel(paths, month, out_dir, jobs, options, built)
    else:
        for path in paths:
            built(build_outputs(path, month, stage_dir(out_dir), **options))
    progress.close()
    order = {p: i for i, p in enumerate(paths)}
    summary.results.sort(key=lambda r: order.get(r.path, 0))
    summary.seconds = time.perf_counter() - started
    return summary


def _run_parallel(paths, month, out_dir, jobs, options, built) -> None:
    """Build in worker processes; publish in input order (so names never depend on timing)."""
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    _preload(month)
    gc.freeze()  # the preloaded libraries are shared with the workers: never scan them
    ready: dict[int, BookResult] = {}
    running: dict = {}  # future -> (input index, staging folder)
    published = 0

    def publish_ready() -> None:
        nonlocal published
        while published in ready:
            built(ready.pop(published))
            published += 1

    try:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for index in _largest_first(paths):  # so no big workbench is left for the end
                stage = stage_dir(out_dir)
                future = pool.submit(build_outputs, paths[index], month, stage, **options)
                running[future] = (index, stage)
            while running:
                complete, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in complete:
                    index, stage = running.pop(future)
                    try:
                        ready[index] = future.result()
                    except BrokenProcessPool:
                        shutil_rmtree(stage)
                        raise
                publish_ready()
    except (BrokenProcessPool, OSError) as exc:
        log.warning("工作进程异常（%s），其余工作台改在本进程中处理", exc)
        for _index, stage in running.values():
            shutil_rmtree(stage)
        for index in range(published, len(paths)):
            if index not in ready:
                ready[index] = build_outputs(paths[index], month, stage_dir(out_dir), **options)
        publish_ready()


def _largest_first(paths: list[Path]) -> list[int]:
    """Input indexes, biggest file first: the workers finish close together (LPT order)."""

    def size(index: int) -> int:
        try:
            return paths[index].stat().st_size
        except OSError:
            return 0

    return sorted(range(len(paths)), key=lambda i: (-size(i), i))


def shutil_rmtree(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)
