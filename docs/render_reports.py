"""Render every report kind the way a reader sees it: xlsx -> PDF (LibreOffice) -> PNG pages.

    python docs/render_reports.py [--out DIR] [--kinds weekly,monthly,...] [--pages N]

The bundled sample account set (``workbooks/sample/``, made by ``workbooks/make_sample.py``)
is copied to a temporary folder; each report kind is written by the real ``aexl`` command
(``python -m aexl ...``), converted to PDF by LibreOffice headless (the stand-in for WPS)
and to PNG pages by pdftoppm. ``DIR/index.md`` lists each report, its page count and its
pictures. Commands that do not exist yet (or lack the option a kind needs) are skipped with
a printed note. Exit code 0 when every kind rendered, 1 when some failed, 2 when LibreOffice
or pdftoppm is missing.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "workbooks" / "sample"
WEEK, MONTH, YEAR, DUE_DATE = "2026-W44", "2026-10", "2026", "2026-10-26"
PRINT_TYPES = ("平面广告", "报刊广告", "海报", "户外广告", "形象稿", "手册")
NOT_REPORTS = {"init", "code", "jobno", "check", "copycheck", "files", "addin", "serve"}
NOT_REPORTS |= {"doctor", "ledger"}  # commands that write no report workbook
COMMAND_TIMEOUT = 300


@dataclass
class Report:
    """One written report file and what its rendering gave."""

    kind: str
    source: Path  # the .xlsx (or .png) aexl wrote
    pdf: Path | None = None
    page_count: int = 0
    pictures: list[Path] = field(default_factory=list)


@dataclass
class Context:
    """The sample copy, the output folders and what the ``aexl`` command offers."""

    work: Path  # the copied sample account set
    raw: Path  # where aexl writes its reports
    commands: set[str]
    notes: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    _help: dict[str, str] = field(default_factory=dict)
    _month_end: list[Path] | None = None

    @property
    def books(self) -> list[Path]:
        return sorted(self.work.glob("*_AE工作台.xlsx"))

    def help(self, command: str) -> str:
        if command not in self._help:
            self._help[command] = aexl([command, "--help"], self.work).stdout
        return self._help[command]

    def note(self, text: str) -> None:
        print(text)
        self.notes.append(text)

    def run(self, kind: str, args: list[str]) -> bool:
        """Run ``aexl args``; a failure is noted (with aexl's own message), never raised."""
        result = aexl(args, self.work)
        if result.returncode in (0, 1):  # 1: the report was written and has findings
            return True
        message = (result.stderr.strip() or result.stdout.strip()).splitlines()
        self.note(
            f"{kind}：aexl {' '.join(args[:1])} 失败（退出码 {result.returncode}）："
            f"{message[-1] if message else '无输出'}"
        )
        self.failed.append(kind)
        return False

    def out(self, name: str) -> Path:
        folder = self.raw / name
        folder.mkdir(parents=True, exist_ok=True)
        return folder


def aexl(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "aexl", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=COMMAND_TIMEOUT,
    )


def list_commands(cwd: Path) -> set[str]:
    """The subcommands ``aexl --help`` lists (indented names in its command section)."""
    text = aexl(["--help"], cwd).stdout
    return set(re.findall(r"^    ([a-z][a-z-]*)(?:\s|$)", text, flags=re.MULTILINE))


def written(folder: Path, *patterns: str) -> list[Path]:
    return sorted(p for pattern in patterns for p in folder.rglob(pattern))


# ---- the report kinds ------------------------------------------------------------------


def per_book(ctx: Context, kind: str, command: str, options: list[str], folder: str) -> list:
    out = ctx.out(folder)
    for book in ctx.books:
        ctx.run(kind, [command, "--book", str(book), *options, "--out", str(out)])
    return written(out, "*.xlsx", "*.png")


def kind_weekly(ctx: Context) -> list[Path]:
    files = per_book(ctx, "weekly", "weekly", ["--week", WEEK], "weekly")
    if "--internal" in ctx.help("weekly"):
        files += per_book(
            ctx, "weekly", "weekly", ["--week", WEEK, "--internal"], "weekly-internal"
        )
    else:
        ctx.note("weekly：aexl weekly 还没有 --internal 选项，只画了客户版")
    return files


PER_BOOK = {  # kind: the aexl command and its options, run on every workbench
    "placements-week": ("placements", ["--week", WEEK]),
    "placements-month": ("placements", ["--month", MONTH]),
    "charts": ("charts", ["--month", MONTH, "--png"]),
    "charts-year": ("charts", []),  # all dates: the date axis over a whole year
    "monthly": ("monthly", ["--month", MONTH]),
    "year-end": ("year-end", ["--year", YEAR]),
}


def kind_per_book(kind: str, ctx: Context) -> list[Path]:
    command, options = PER_BOOK[kind]
    return per_book(ctx, kind, command, options, kind)


def sample_jobs(books: list[Path]) -> dict[str, tuple[Path, str]]:
    """One TVC job and one print job of the sample: {"tvc"/"print": (book, job number)}."""
    from python_calamine import CalamineWorkbook

    found: dict[str, tuple[Path, str]] = {}
    for book in books:
        rows = CalamineWorkbook.from_path(str(book)).get_sheet_by_name("工作单").to_python()
        header = [str(h) for h in rows[0]]
        for row in rows[1:]:
            job = dict(zip(header, row, strict=False))
            kind = "tvc" if job.get("工作类型") == "TVC" else None
            kind = kind or ("print" if job.get("工作类型") in PRINT_TYPES else None)
            if kind and kind not in found and job.get("状态") != "已取消":
                found[kind] = (book, str(job["工作号"]))
    return found


def kind_per_job(command: str, ctx: Context) -> list[Path]:
    """``aexl jobsheet`` / ``aexl schedule`` for the sample's TVC job and its print job."""
    if command not in ctx.commands:
        ctx.note(f"{command}：aexl 还没有 {command} 命令，跳过")
        return []
    out, jobs = ctx.out(command), sample_jobs(ctx.books)
    for label in ("tvc", "print"):
        if label not in jobs:
            ctx.note(f"{command}：示例数据里没有{'TVC' if label == 'tvc' else '平面'}类工作，跳过")
            continue
        book, jobno = jobs[label]
        ctx.run(command, [command, "--book", str(book), "--jobno", jobno, "--out", str(out)])
    return written(out, "*.xlsx")


def kind_due(ctx: Context) -> list[Path]:
    if "due" not in ctx.commands or "--xlsx" not in ctx.help("due"):
        ctx.note("due：aexl 还没有 due --xlsx，跳过")
        return []
    target = ctx.out("due") / "待办清单.xlsx"
    ctx.run(
        "due",
        ["due", "--in", str(ctx.work), "--date", DUE_DATE, "--days", "10", "--xlsx", str(target)],
    )
    return [target] if target.exists() else []


def make_files_root(root: Path, work: Path) -> None:
    """A client's files tree (``aexl files init``) with a few files untouched for two months."""
    aexl(
        [
            "files",
            "init",
            str(root),
            "--client",
            "星河食品",
            "--brand",
            "星河",
            "--brand",
            "小河豚",
        ],
        work,
    )
    stale = time.time() - 62 * 86400
    leaves = sorted(p for p in root.rglob("*") if p.is_dir() and not any(p.iterdir()))
    for number, folder in enumerate(leaves[:8]):
        old = folder / f"2026080{number + 1}_{folder.parent.name}_{folder.name}.docx"
        old.write_bytes(b"sample")
        os.utime(old, (stale, stale))
    (root / "新建文本文档.txt").write_text("散落在根目录的文件", encoding="utf-8")


def month_end_outputs(ctx: Context) -> list[Path]:
    """Run ``aexl month-end`` once (with a files root) and keep what it wrote."""
    if ctx._month_end is None:
        out, root = ctx.out("month-end"), ctx.raw / "电脑档案"
        make_files_root(root, ctx.work)
        args = ["month-end", "--month", MONTH, "--in", str(ctx.work), "--out", str(out)]
        if "--files" in ctx.help("month-end"):
            args += ["--files", str(root)]
        ok = ctx.run("month-end", [*args, "--workers", "1"])
        ctx._month_end = written(out, "*.xlsx") if ok else []
    return ctx._month_end


def kind_checks(ctx: Context) -> list[Path]:
    return [p for p in month_end_outputs(ctx) if "校验结果" in p.name]


def kind_cleanup(ctx: Context) -> list[Path]:
    found = [p for p in month_end_outputs(ctx) if "清理" in p.name]
    if not found:
        ctx.note("cleanup：月底批处理没有写月度清理清单")
    return found


KINDS: dict[str, Callable[[Context], list[Path]]] = {
    "weekly": kind_weekly,
    **{kind: partial(kind_per_book, kind) for kind in PER_BOOK},
    "jobsheet": partial(kind_per_job, "jobsheet"),
    "checks": kind_checks,
    "cleanup": kind_cleanup,
    "schedule": partial(kind_per_job, "schedule"),
    "due": kind_due,
}
HANDLED = {"weekly", "placements", "charts", "monthly", "year-end", "jobsheet", "month-end"}
HANDLED |= {"schedule", "due"}


# ---- xlsx -> PDF -> PNG -------------------------------------------------------------------


def find_tools() -> tuple[str, str] | str:
    """(soffice, pdftoppm), or the one line saying what is missing."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        return "找不到 LibreOffice（soffice）：请先安装（如 apt-get install libreoffice-calc），再运行本脚本"
    pdftoppm = shutil.which("pdftoppm")
    if not pdftoppm:
        return "找不到 pdftoppm：请先安装 poppler（如 apt-get install poppler-utils），再运行本脚本"
    return soffice, pdftoppm


def convert_to_pdf(soffice: str, reports: list[Report], pdf_dir: Path, temp: Path) -> None:
    """One LibreOffice run for all workbooks, in a private profile (parallel runs never clash)."""
    stage = temp / "stage"
    stage.mkdir()
    staged = {}
    for number, report in enumerate(reports, 1):
        if report.source.suffix.lower() == ".xlsx":
            name = f"{number:02d}_{report.kind}_{report.source.stem}"
            shutil.copy2(report.source, stage / f"{name}.xlsx")
            staged[name] = report
    if not staged:
        return
    profile = (temp / "lo-profile").as_uri()
    command = [
        soffice,
        f"-env:UserInstallation={profile}",
        "--headless",
        "--norestore",
        "--convert-to",
        "pdf",
        "--outdir",
        str(pdf_dir),
    ]
    files = [str(stage / f"{name}.xlsx") for name in staged]
    subprocess.run(command + files, capture_output=True, timeout=COMMAND_TIMEOUT * 2, check=False)
    for name, report in staged.items():
        pdf = pdf_dir / f"{name}.pdf"
        report.pdf = pdf if pdf.exists() else None


def page_count(pdf: Path) -> int:
    pdfinfo = shutil.which("pdfinfo")
    if pdfinfo:
        info = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True, check=False)
        match = re.search(r"^Pages:\s+(\d+)", info.stdout, flags=re.MULTILINE)
        if match:
            return int(match.group(1))
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf.read_bytes()))


def render_pages(pdftoppm: str, report: Report, png_dir: Path, pages: int, dpi: int) -> None:
    """The first ``pages`` pages of the report as PNG (a PNG report is its own picture)."""
    if report.source.suffix.lower() == ".png":
        target = png_dir / f"{report.kind}_{report.source.name}"
        shutil.copy2(report.source, target)
        report.page_count, report.pictures = 1, [target]
        return
    if report.pdf is None:
        return
    report.page_count = page_count(report.pdf)
    prefix = png_dir / report.pdf.stem
    last = min(pages, report.page_count) if pages > 0 else report.page_count
    subprocess.run(
        [
            pdftoppm,
            "-png",
            "-r",
            str(dpi),
            "-f",
            "1",
            "-l",
            str(last),
            str(report.pdf),
            str(prefix),
        ],
        capture_output=True,
        check=False,
    )
    report.pictures = sorted(png_dir.glob(f"{glob_escape(prefix.name)}-*.png"))


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def shrink(picture: Path, max_bytes: int) -> None:
    """Keep a picture under ``max_bytes``: 256-colour palette first, then scale down."""
    from PIL import Image

    if picture.stat().st_size <= max_bytes:
        return
    with Image.open(picture) as opened:
        image = opened.convert("RGB")
    scale = 1.0
    while True:
        size = (max(1, int(image.width * scale)), max(1, int(image.height * scale)))
        image.resize(size, Image.LANCZOS).quantize(256).save(picture, optimize=True)
        if picture.stat().st_size <= max_bytes or scale < 0.3:
            return
        scale *= 0.85


def write_index(out: Path, reports: list[Report], notes: list[str]) -> Path:
    lines = [
        "# 报告渲染（LibreOffice → PDF → PNG）",
        "",
        f"示例数据：workbooks/sample（周 {WEEK}，月 {MONTH}，年 {YEAR}）",
        "",
        "| 种类 | 报告 | 页数 | 图片 |",
        "|---|---|---|---|",
    ]
    for report in reports:
        links = " ".join(f"[{p.name}]({p.relative_to(out).as_posix()})" for p in report.pictures)
        pages = str(report.page_count) if report.pictures else "未能转换"
        lines.append(f"| {report.kind} | {report.source.name} | {pages} | {links} |")
    if notes:
        lines += ["", "## 说明", "", *(f"- {note}" for note in notes)]
    index = out / "index.md"
    index.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return index


# ---- the command ----------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="out/render", help="output folder (default out/render)")
    parser.add_argument(
        "--kinds", default=",".join(KINDS), help=f"comma-separated report kinds: {','.join(KINDS)}"
    )
    parser.add_argument("--pages", type=int, default=2, help="pages per report as PNG (0: all)")
    parser.add_argument("--dpi", type=int, default=70, help="PNG resolution (default 70)")
    parser.add_argument(
        "--fresh-sample",
        action="store_true",
        help="generate the sample with workbooks/make_sample.py instead of copying it",
    )
    parser.add_argument("--max-kb", type=int, default=0, help="shrink each PNG to this size")
    return parser.parse_args(argv)


def copy_sample(work: Path) -> str | None:
    if not any(SAMPLE.glob("*_AE工作台.xlsx")):
        return f"找不到示例工作台「{SAMPLE}」：请先运行 python workbooks/make_sample.py，或加 --fresh-sample"
    shutil.copytree(SAMPLE, work)
    return None


def make_sample(work: Path) -> str | None:
    """The sample account set as the current code writes it (when the committed one lags)."""
    command = [sys.executable, str(SAMPLE.parent / "make_sample.py"), "--out", str(work)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=COMMAND_TIMEOUT)
    if result.returncode != 0:
        lines = (result.stderr.strip() or result.stdout.strip() or "无输出").splitlines()
        return f"生成示例数据失败（workbooks/make_sample.py）：{lines[-1]}"
    return None


def prepare_out(out: Path) -> str | None:
    """Clear a previous rendering in ``out``; refuse a non-empty folder that is not one."""
    if out.exists() and any(out.iterdir()) and not (out / "index.md").exists():
        return f"输出文件夹「{out}」不是空的，也不是上次渲染的结果：请换一个 --out"
    for name in ("xlsx", "pdf", "png", "index.md", "aexl-errors.log"):
        target = out / name
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    for name in ("xlsx", "pdf", "png"):
        (out / name).mkdir(parents=True, exist_ok=True)
    return None


def collect(ctx: Context, kinds: list[str]) -> list[Report]:
    reports = []
    for kind in kinds:
        found = KINDS[kind](ctx)
        if not found and kind not in ctx.failed and not any(n.startswith(kind) for n in ctx.notes):
            ctx.note(f"{kind}：没有写出任何报告")
        reports += [Report(kind, path) for path in found]
        print(f"{kind}: {len(found)} 个文件")
    for command in sorted(ctx.commands - NOT_REPORTS - HANDLED):
        ctx.note(f"aexl {command}：本脚本还不会运行这个命令，跳过")
    return reports


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    tools = find_tools()
    if isinstance(tools, str):
        print(tools, file=sys.stderr)
        return 2
    kinds = [k.strip() for k in args.kinds.split(",") if k.strip()]
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        print(f"不认识的报告种类：{'、'.join(unknown)}（可用：{','.join(KINDS)}）", file=sys.stderr)
        return 2
    out = Path(args.out).resolve()
    problem = prepare_out(out)
    if problem:
        print(problem, file=sys.stderr)
        return 2
    os.environ.setdefault("AEXL_ERROR_LOG", str(out / "aexl-errors.log"))  # kept for reading
    with tempfile.TemporaryDirectory(prefix="aexl-render-") as name:
        temp = Path(name)
        work = temp / "sample"
        problem = make_sample(work) if args.fresh_sample else copy_sample(work)
        if problem:
            print(problem, file=sys.stderr)
            return 2
        ctx = Context(work=work, raw=out / "xlsx", commands=list_commands(work))
        reports = collect(ctx, kinds)
        convert_to_pdf(tools[0], reports, out / "pdf", temp)
        for report in reports:
            render_pages(tools[1], report, out / "png", args.pages, args.dpi)
            for picture in report.pictures if args.max_kb else []:
                shrink(picture, args.max_kb * 1024)
            if not report.pictures:
                ctx.note(f"{report.kind}：{report.source.name} 没能转换成图片")
                ctx.failed.append(report.kind)
    index = write_index(out, reports, ctx.notes)
    print(f"{len(reports)} 个报告，索引：{index}")
    return 1 if ctx.failed else 0


if __name__ == "__main__":
    sys.exit(main())
