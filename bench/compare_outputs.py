"""Compare two month-end output folders file by file (for performance work: same output).

For every file in either folder (matched by relative path):

- an .xlsx / .xlsm: every zip member's bytes are compared, except
  ``docProps/core.xml`` (its creation time changes on every run); when a
  member differs, every sheet's cell values are compared with openpyxl and
  the first differing cells are shown, so "bytes differ, values equal"
  (e.g. a different but equivalent XML order) is told apart from a real change;
- embedded pictures (``xl/media/*``) are part of the byte comparison;
- the run's own time (「校验时间：2026-12-01 23:35」 in a 校验结果) is masked in
  the value comparison: such a file counts as "same values";
- any other file (PNG, .ics, JSON, text): bytes.

    python bench/compare_outputs.py BEFORE_DIR AFTER_DIR [--show 10]

Exit code 0 when every file has the same cell values and pictures (the
summary says how many are byte-identical too), 1 otherwise.

A typical run, before and after a change:

    python -m aexl month-end --month 2026-10 --in DIR --out /tmp/before --workers 0
    ... change ...
    python -m aexl month-end --month 2026-10 --in DIR --out /tmp/after --workers 0
    python bench/compare_outputs.py /tmp/before /tmp/after
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
import zipfile
from pathlib import Path

VOLATILE = {"docProps/core.xml"}  # the creation time
# Text that states when the run happened (the 校验结果's 校验时间): masked in value comparisons.
RUN_TIME = re.compile(r"(校验时间：)\d{4}-\d{2}-\d{2} \d{2}:\d{2}")
SKIP_FILES = {".aexl-month-end.json"}  # run bookkeeping (times), not a report


def files_of(folder: Path) -> dict[str, Path]:
    return {
        str(p.relative_to(folder)): p
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name not in SKIP_FILES and not p.name.startswith(".aexl-lock")
    }


def members(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as z:
        return {n: hashlib.sha256(z.read(n)).hexdigest() for n in z.namelist() if n not in VOLATILE}


def sheet_values(path: Path) -> dict[str, dict[tuple[int, int], object]]:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=False, data_only=False)
    out = {}
    for ws in book.worksheets:
        cells = {}
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cells[(cell.row, cell.column)] = RUN_TIME.sub(r"\1…", cell.value)
                elif cell.value is not None:
                    cells[(cell.row, cell.column)] = cell.value
        out[ws.title] = cells
    return out


def compare_book(a: Path, b: Path, show: int) -> tuple[str, list[str]]:
    """('same-bytes' | 'same-values' | 'different', details)."""
    ma, mb = members(a), members(b)
    if ma == mb:
        return "same-bytes", []
    notes = []
    media = sorted(
        n for n in set(ma) | set(mb) if n.startswith("xl/media/") and ma.get(n) != mb.get(n)
    )
    if media:
        notes.append(f"pictures differ: {', '.join(media[:show])}")
    va, vb = sheet_values(a), sheet_values(b)
    if list(va) != list(vb):
        notes.append(f"sheets differ: {list(va)} vs {list(vb)}")
    for sheet in va:
        ca, cb = va[sheet], vb.get(sheet, {})
        diffs = [k for k in sorted(set(ca) | set(cb)) if ca.get(k) != cb.get(k)]
        for row, col in diffs[:show]:
            notes.append(f"{sheet}!R{row}C{col}: {ca.get((row, col))!r} → {cb.get((row, col))!r}")
        if len(diffs) > show:
            notes.append(f"{sheet}: {len(diffs) - show} more cells differ")
    if notes:
        return "different", notes
    other = sorted(n for n in set(ma) | set(mb) if ma.get(n) != mb.get(n))
    return "same-values", [f"parts differ in bytes only: {', '.join(other[:show])}"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Compare two month-end output folders.")
    parser.add_argument("before", type=Path)
    parser.add_argument("after", type=Path)
    parser.add_argument("--show", type=int, default=10)
    args = parser.parse_args(argv)
    fa, fb = files_of(args.before), files_of(args.after)
    counts = {"same-bytes": 0, "same-values": 0, "different": 0, "missing": 0}
    for name in sorted(set(fa) | set(fb)):
        if name not in fa or name not in fb:
            counts["missing"] += 1
            print(f"MISSING {'before' if name not in fa else 'after'}: {name}")
            continue
        a, b = fa[name], fb[name]
        if a.suffix.lower() in (".xlsx", ".xlsm"):
            verdict, notes = compare_book(a, b, args.show)
        else:
            same = a.read_bytes() == b.read_bytes()
            verdict, notes = ("same-bytes" if same else "different"), []
        counts[verdict] += 1
        if verdict != "same-bytes":
            print(f"{verdict.upper()}: {name}")
            for note in notes:
                print(f"    {note}")
    total = sum(counts.values())
    print(
        f"{total} files: {counts['same-bytes']} byte-identical, {counts['same-values']} same "
        f"values, {counts['different']} different, {counts['missing']} missing on one side"
    )
    return 0 if counts["different"] == 0 and counts["missing"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
