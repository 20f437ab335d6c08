"""``aexl files rename``: give misnamed files the suggested name, never overwriting.

The date comes from the name (any written form) or the file's modified
date; project and type from the folder it sits in (``aexl.files.tree``). A file
whose name cannot be inferred or carries a date that does not exist, whose
new name is taken, or that is open in Office is left alone and reported.
aexl's own output and the workbenches are never renamed. Every run with
``apply`` keeps a CSV log.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from aexl.filenames import temp_path
from aexl.files import naming
from aexl.files.tree import (
    RECORDS_DIR,
    FileTreeError,
    free_path,
    move_no_overwrite,
    scan_tree,
    suggestion_for,
)
from aexl.values import csv_cell


@dataclass(frozen=True)
class Rename:
    source: Path
    target: Path | None
    status: str  # planned / renamed / exists / open / manual / bad_date
    note: str = field(default="")


RENAME_NOTES = {
    "planned": "将改名（加 --apply 执行）",
    "renamed": "已改名",
    "exists": "同名文件已存在，未改名（可能是重复文件，请人工核对）",
    "open": "文件正在 Office 中打开，未改名，请关闭后重试",
    "manual": "无法从文件夹推断项目或类型，请手动改名",
    "bad_date": "文件名中的日期不存在，未改名；请核对实际日期后手动改名",
}


def _is_open(path: Path, locks: set[str]) -> bool:
    """Office writes ``~$`` + the name (Word drops the first two characters of long names)."""
    return any(path.name.endswith(lock[2:]) for lock in locks if lock[2:])


def plan_renames(root: Path) -> list[Rename]:
    """What ``rename`` would do for every misnamed file; nothing is changed."""
    entries = list(scan_tree(root))
    locks = {e.path.parent: set() for e in entries}
    for e in entries:
        if e.junk == "lock":
            locks[e.path.parent].add(e.path.name)
    taken = {naming.normal(str(e.path)) for e in entries}
    plan = []
    for entry in entries:
        if entry.junk or not naming.missing_parts(entry.path.name, entry.projects):
            continue
        if naming.find_bad_date(entry.path.stem) is not None:
            plan.append(Rename(entry.path, None, "bad_date", RENAME_NOTES["bad_date"]))
            continue  # which date was meant only a person knows
        suggestion = suggestion_for(entry)
        target = entry.path.with_name(suggestion) if suggestion else None
        if target is None:
            status = "manual"
        elif naming.normal(str(target)) in taken or target.exists():
            status = "exists"
        elif _is_open(entry.path, locks[entry.path.parent]):
            status = "open"
        else:
            status = "planned"
            taken.add(naming.normal(str(target)))
        plan.append(Rename(entry.path, target, status, RENAME_NOTES[status]))
    return plan


def apply_renames(plan: list[Rename]) -> list[Rename]:
    """Carry out the planned renames; each result says what happened."""
    done = []
    for item in plan:
        if item.status != "planned":
            done.append(item)
            continue
        try:
            move_no_overwrite(item.source, item.target)
            status = "renamed"
        except FileExistsError:
            status = "exists"
        except PermissionError:
            status = "open"
        done.append(replace(item, status=status, note=RENAME_NOTES[status]))
    return done


def default_log_path(root: Path, today: date) -> Path:
    return free_path(root / RECORDS_DIR / f"{today:%Y%m%d}_文件改名记录.csv")


def write_rename_log(results: list[Rename], root: Path, log_path: Path) -> Path:
    """CSV (opens in Excel) of 原文件 → 新文件 and the outcome; written to a temp name first.

    A name starting with = + - @ is written with a leading ``'`` so Excel shows it as text.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["原文件", "新文件", "结果"])
    for item in results:
        target = item.target.relative_to(root).as_posix() if item.target else ""
        source = item.source.relative_to(root).as_posix()
        writer.writerow([csv_cell(source), csv_cell(target), item.note])
    log_path.parent.mkdir(parents=True, exist_ok=True)
    temp = temp_path(log_path)
    temp.write_text(buffer.getvalue(), encoding="utf-8-sig", newline="")
    try:
        move_no_overwrite(temp, log_path)
    except FileExistsError:
        raise FileTreeError(
            "改名记录文件已存在，不会覆盖，请换一个 --log 路径", file=log_path
        ) from None
    finally:
        temp.unlink(missing_ok=True)
    return log_path
