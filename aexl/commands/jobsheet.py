"""``aexl jobsheet``: one job as a printable A4 项目工作单 with signature boxes.

The command itself (name, options, help) comes from ``aexl.reports.registry``
(``aexl.commands.reports``); this is what it runs.
"""

from __future__ import annotations


def run(args, _period=None) -> int:
    from aexl.commands.reporting import load_book, write_each
    from aexl.reports.jobsheet import jobsheet_data, write_jobsheet

    wb = load_book(args.book)
    write_each([jobsheet_data(wb, args.jobno)], write_jobsheet, args.out)
    return 0
