"""One command per report kind, generated from ``aexl.reports.registry``.

Each ``Report`` gives its command name, help and example; its period option
(``--week``, ``--month``, ``--year``, either of ``--week``/``--month``, an
optional ``--month``, or none); ``--book``; ``--brand`` when it reports per
chosen brand; its own options; ``--out``; and ``--force``, which lets the new
report replace a file of the same name that someone edited (by default that
file is kept and the new report is written beside it).
"""

from __future__ import annotations

import functools

from aexl.cli import add_command
from aexl.reports import registry

PERIOD_HELP = {
    "week": "ISO 周次，如 2026-W47",
    "month": "月份，如 2026-10",
    "year": "年份，如 2026",
}


def register(sub) -> None:
    for report in registry.reports():
        add_report_command(sub, report)


def add_report_command(sub, report: registry.Report):
    parser = add_command(sub, report.name, report.help, report.example)
    parser.add_argument("--book", required=True, help="AE工作台工作簿路径（只读，不会被修改）")
    add_period(parser, report)
    if report.brands:
        parser.add_argument(
            "--brand", action="append", help="只生成这个品牌（可写多次）；默认所有有记录的品牌"
        )
    for option in report.options:
        if option.switch:
            parser.add_argument(option.flag, action="store_true", help=option.help)
        else:
            parser.add_argument(option.flag, required=option.required, help=option.help)
    parser.add_argument("--out", default=".", help="输出文件夹（默认当前文件夹）")
    parser.add_argument(
        "--force",
        action="store_true",
        help="同名文件在上次生成后被人改过时也直接覆盖（默认保留原文件，新报告另起一个名字）",
    )
    parser.set_defaults(func=run, report=report.name)
    return parser


def add_period(parser, report: registry.Report) -> None:
    kind = report.period
    if not kind:
        return
    if kind == "week|month":
        group = parser.add_mutually_exclusive_group(required=True)
        for each in ("week", "month"):
            group.add_argument(f"--{each}", help=PERIOD_HELP[each])
        return
    optional = kind.endswith("?")
    kind = kind.rstrip("?")
    parser.add_argument(
        f"--{kind}", required=not optional, help=report.period_help or PERIOD_HELP[kind]
    )


def period_of(report: registry.Report, args):
    """The ``Period`` the user asked for (None when the report takes none or it was left
    out); an error names the flag."""
    from aexl.commands.reporting import period_arg

    for kind in ("week", "month", "year"):
        value = getattr(args, kind, None)
        if kind in report.period and value is not None:
            return period_arg(kind, value, f"--{kind}")
    return None


def run(args) -> int:
    from aexl.commands.reporting import run_brand_reports
    from aexl.workbook.write import force_overwrite

    report = registry.report(args.report)
    period = period_of(report, args)
    with force_overwrite(args.force):
        if report.run:
            return int(registry.load(report.run)(args, period) or 0)
        nothing = report.nothing.format(period=period.key if period else "", kind=report.kind)
        extra = {
            o.keyword: o.value
            for o in report.options
            if o.keyword and getattr(args, o.flag.lstrip("-").replace("-", "_"), None)
        }
        build = functools.partial(report.builder(), **extra) if extra else report.builder()
        return run_brand_reports(args, period, build, report.writer(), nothing)
