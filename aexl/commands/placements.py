"""``aexl placements``: 投放列表 per brand for a week or a month.

The command itself (name, options, help) comes from ``aexl.reports.registry``
(``aexl.commands.reports``); this is what it runs.
"""

from __future__ import annotations

from aexl.cli import print_paths


def run(args, period) -> int:
    from aexl.commands.reporting import write_placement_lists

    print_paths(write_placement_lists(args.book, period, out_dir=args.out))
    return 0
