"""``aexl charts``: 效果追踪图表 per brand (native Excel charts, optional PNGs).

The command itself (name, options, help) comes from ``aexl.reports.registry``
(``aexl.commands.reports``); this is what it runs.
"""

from __future__ import annotations

from aexl.cli import print_paths


def run(args, month) -> int:
    from aexl.commands.reporting import write_chart_reports

    print_paths(write_chart_reports(args.book, month=month, out_dir=args.out, png=args.png))
    return 0
