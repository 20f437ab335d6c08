"""The helper process that scans the workbenches' sheets while the main process loads."""

from __future__ import annotations

import xlsxwriter

from aexl import schema
from aexl.monthend.prescan import Prescan
from aexl.workbook.extent import scan_sheet


def _book(path, rows: int):
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("工作单").write_row(0, 0, schema.JOBS.headers)
    for n in range(1, rows + 1):
        book.worksheets()[0].write_row(n, 0, [f"MDKT2026{n:03d}", "美的", "空调"])
    book.add_worksheet("投放").write_row(0, 0, schema.PLACEMENTS.headers)
    book.close()
    return path


def test_each_workbench_scans_arrive_once_in_order(tmp_path):
    paths = [_book(tmp_path / "甲.xlsx", 3), _book(tmp_path / "乙.xlsx", 40)]
    broken = tmp_path / "坏掉的.xlsx"
    broken.write_text("这不是 Excel 文件", encoding="utf-8")
    prescan = Prescan([*paths, broken])
    try:
        prescan.process.join(60)  # the helper ends when every workbench was sent
        assert prescan.process.exitcode == 0
        made = [prescan.take(path) for path in (*paths, broken)]
        again = prescan.take(paths[0])
    finally:
        prescan.close()
    for path, scans in zip(paths, made, strict=False):
        assert set(scans["sheets"]) == {"工作单", "投放"}
        assert scans["sheets"]["工作单"] == scan_sheet(path, "工作单")
    assert made[0]["sheets"]["工作单"].rows == 4 and made[1]["sheets"]["工作单"].rows == 41
    assert made[2] is None  # not a package: its worker finds out and says so
    assert again is None  # handed out once


def test_close_stops_a_helper_that_is_still_scanning(tmp_path):
    path = _book(tmp_path / "甲.xlsx", 2000)
    prescan = Prescan([path] * 200)
    prescan.close()
    assert not prescan.process.is_alive()


def _sheets_given(path, stage, *, scans=None):
    """A worker's build that reports which scans its task brought."""
    return ("scans", sorted(scans["sheets"]) if scans else None)


def test_each_task_brings_its_scans_to_the_worker(tmp_path):
    from aexl.monthend.workers import Task, Workers

    paths = [_book(tmp_path / "甲.xlsx", 3), _book(tmp_path / "乙.xlsx", 5)]
    prescan = Prescan(paths)
    prescan.process.join(60)

    def prepare(task: Task) -> None:
        task.options["scans"] = prescan.take(task.path)

    seen: dict = {}
    try:
        pool = Workers(2, _sheets_given, (), {}, prepare)
        pool.run([Task(n, path, tmp_path) for n, path in enumerate(paths)], seen.__setitem__)
    finally:
        prescan.close()
    assert seen == {0: ("scans", ["工作单", "投放"]), 1: ("scans", ["工作单", "投放"])}


def test_without_a_process_to_spare_there_is_no_head_start(tmp_path, monkeypatch):
    import multiprocessing.context

    def refused(self):
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(multiprocessing.context.ForkProcess, "start", refused, raising=False)
    monkeypatch.setattr(multiprocessing.context.SpawnProcess, "start", refused, raising=False)
    path = _book(tmp_path / "甲.xlsx", 3)
    prescan = Prescan([path])
    assert prescan.take(path) is None  # the worker scans for itself
    prescan.close()
