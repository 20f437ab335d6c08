"""The month-end batch (PRODUCT.md §3 "Month-end batch"): every workbench in a folder.

For each workbench (``*.xlsx`` / ``*.xlsm`` regular files in the folder; not
Excel's ``~$`` owner files, aexl's temp files, hidden files or aexl's own
reports) the batch reads the file once, as ``aexl check`` does, and writes

- ``YYYYMMDD_<客户>_校验结果.xlsx``: every validation finding, registers it
  could not read, and job numbers another workbench uses too;
- per brand, every report the registry marks ``month_end``
  (``aexl.reports.registry``): the 月度工作总结, the month's 投放列表, the
  效果追踪图表 (optionally PNG charts) …;
- ``YYYYMMDD_<客户>_待办清单.xlsx``: next month's due list, a sheet per person.

Layout:

- ``runner``: ``run_month_end`` — lock, build, cross-checks, publish; signals;
- ``workers``: worker processes, one workbench each at a time; a dead one is named;
- ``book``: one workbench's outputs into a staging folder (``build_outputs``);
- ``outputs``: the per-brand producers of the registry's month-end reports;
- ``writers``: 校验结果, 月度清理清单, 待办清单;
- ``publish``: staging, all-or-nothing publishing, the folder lock, leftovers;
- ``inputs``: which files are workbenches, reading one as ``check`` does;
- ``results``: ``BookResult``, ``RunSummary``, ``Interrupted``.

Everything here is a plain function; ``aexl.commands.month_end`` is the CLI.
"""

from aexl.monthend.book import book_brands, build_outputs, month_source, process_workbench
from aexl.monthend.inputs import (
    CHECK_KIND,
    CLEANUP_KIND,
    DUE_KIND,
    WORKBENCH_SUFFIXES,
    client_name,
    default_in_dir,
    default_out_dir,
    find_workbenches,
    is_output_name,
)
from aexl.monthend.publish import publish_all, stage_dir
from aexl.monthend.results import BookResult, Interrupted, RunSummary
from aexl.monthend.runner import DEFAULT_WORKERS, progress_bar, run_month_end
from aexl.monthend.writers import (
    cleanup_name,
    cleanup_subject,
    month_finish,
    write_cleanup_list,
    write_findings,
)

__all__ = [
    "CHECK_KIND",
    "CLEANUP_KIND",
    "DEFAULT_WORKERS",
    "DUE_KIND",
    "WORKBENCH_SUFFIXES",
    "BookResult",
    "Interrupted",
    "RunSummary",
    "book_brands",
    "build_outputs",
    "cleanup_name",
    "cleanup_subject",
    "client_name",
    "default_in_dir",
    "default_out_dir",
    "find_workbenches",
    "is_output_name",
    "month_finish",
    "month_source",
    "process_workbench",
    "progress_bar",
    "publish_all",
    "run_month_end",
    "stage_dir",
    "write_cleanup_list",
    "write_findings",
]
