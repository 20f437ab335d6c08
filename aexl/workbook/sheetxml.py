"""Reading and writing cells of one worksheet part in place (lxml), for surgical edits.

``Book`` is the workbook part of a ``Package``: its sheets, shared strings,
styles and date system. ``Sheet`` is one worksheet part: cell values by row,
appending values to a row, growing its tables and dimension. New text is
written as inline strings (``t="inlineStr"``) so sharedStrings.xml stays
untouched; dates are Excel serials with a date style; text that starts with
``=`` stays text (a formula would need an ``<f>`` element, never written here).
"""

from __future__ import annotations

import copy
import math
import re
from datetime import date, datetime

from aexl.errors import InputFileError, UnsafeSaveError
from aexl.values import norm_header
from aexl.workbook.xlsxpatch import (
    DOC_REL_NS,
    MAIN_NS,
    STRICT_NS,
    WORKSHEET_CT,
    Package,
    add_override,
    add_relationship,
    q,
    relationships,
    workbook_part,
)

XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_CELL_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")
# Built-in number formats that show a date or time (ECMA-376 18.8.30 and the CJK ones).
DATE_FORMAT_IDS = {*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)}
NEW_DATE_FORMAT_ID = 14  # Excel's short date (shown as 2026/11/26 in a Chinese Excel)


def col_letter(n: int) -> str:
    from openpyxl.utils.cell import get_column_letter

    return get_column_letter(n)


def col_number(letters: str) -> int:
    from openpyxl.utils.cell import column_index_from_string

    return column_index_from_string(letters)


def split_ref(ref: str) -> tuple[int, int]:
    """``"B7"`` → (7, 2)."""
    m = _CELL_REF.match(ref.replace("$", "").upper())
    if not m:
        raise ValueError(ref)
    return int(m.group(2)), col_number(m.group(1))


def _text_of(node) -> str:
    """The text of an ``<si>`` / ``<is>``: its runs, without phonetic (rPh) hints."""
    return "".join(
        t.text or "" for t in node.iter(q("t")) if t.getparent().tag in (q("si"), q("is"), q("r"))
    )


class Book:
    """The workbook part of a package: sheets, shared strings, styles, date system."""

    def __init__(self, pkg: Package) -> None:
        self.pkg = pkg
        self.part = workbook_part(pkg)
        root = pkg.xml(self.part)
        if root.tag.startswith(f"{{{STRICT_NS}}}"):
            raise UnsafeSaveError(
                "工作簿是「Strict Open XML」格式，aexl 不修改它；请在 Excel 中另存为普通的 .xlsx",
                file=pkg.path,
            )
        self.rels = {rid: (kind, target) for rid, kind, target in relationships(pkg, self.part)}
        pr = root.find(q("workbookPr"))
        self.date1904 = pr is not None and pr.get("date1904", "0").lower() in ("1", "true")
        self.styles = next((t for k, t in self.rels.values() if k == "styles"), None)
        shared = next((t for k, t in self.rels.values() if k == "sharedStrings"), None)
        self.strings: list[str] = []
        if shared and pkg.has(shared):
            self.strings = [_text_of(si) for si in pkg.xml(shared).iterchildren(q("si"))]

    def sheets(self) -> list[tuple[str, str, str | None]]:
        """(name, state, part) of every sheet, in workbook order."""
        out = []
        for node in self.pkg.xml(self.part).iter(q("sheet")):
            kind, target = self.rels.get(node.get(q("id", DOC_REL_NS)) or "", ("", None))
            out.append((node.get("name") or "", node.get("state") or "visible",
                        target if kind == "worksheet" else None))  # fmt: skip
        return out

    def sheet(self, name: str) -> Sheet | None:
        wanted = norm_header(name)
        for title, _state, part in self.sheets():
            if norm_header(title) == wanted and part and self.pkg.has(part):
                return Sheet(self, title, part)
        return None

    def add_sheet(self, name: str, state: str = "visible") -> Sheet:
        """A new, empty worksheet placed after every other sheet."""
        from lxml import etree

        taken = set(self.pkg.members)
        n = next(n for n in range(1, len(taken) + 2) if f"xl/worksheets/sheet{n}.xml" not in taken)
        part = f"xl/worksheets/sheet{n}.xml"
        body = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{MAIN_NS}"'
            f' xmlns:r="{DOC_REL_NS}"><dimension ref="A1"/><sheetData/></worksheet>'
        )
        self.pkg.add(part, body.encode("utf-8"), like=self.part)
        add_override(self.pkg, part, WORKSHEET_CT)
        rid = add_relationship(self.pkg, self.part, "worksheet", _relative(self.part, part))
        self.rels[rid] = ("worksheet", part)
        root = self.pkg.xml(self.part)
        sheets = root.find(q("sheets"))
        ids = [int(s.get("sheetId") or 0) for s in sheets]
        node = etree.SubElement(sheets, q("sheet"), name=name, sheetId=str(max(ids, default=0) + 1))
        if state != "visible":
            node.set("state", state)
        node.set(q("id", DOC_REL_NS), rid)
        self.pkg.touch(self.part)
        return Sheet(self, name, part)

    def serial(self, day: date | datetime) -> float:
        """Excel's serial number of a date (1900 or 1904 date system)."""
        base = datetime(1904, 1, 1) if self.date1904 else datetime(1899, 12, 30)
        moment = day if isinstance(day, datetime) else datetime(day.year, day.month, day.day)
        delta = moment - base
        return delta.days + delta.seconds / 86400

    # styles -------------------------------------------------------------------
    def date_style(self, base: int) -> int:
        """``base`` if it shows a date; else an existing date style with the same font,
        fill and border; else a new cellXfs entry: ``base`` with Excel's short date."""
        if not self.styles or not self.pkg.has(self.styles):
            raise UnsafeSaveError("工作簿缺少样式部件（styles.xml），请在 Excel 中另存后再试",
                                  file=self.pkg.path)  # fmt: skip
        root = self.pkg.xml(self.styles)
        cell_xfs = root.find(q("cellXfs"))
        if cell_xfs is None:
            raise UnsafeSaveError(
                "工作簿的样式部件不完整，请在 Excel 中另存后再试", file=self.pkg.path
            )
        xfs = list(cell_xfs.iterchildren(q("xf")))
        dates = self._date_format_ids(root)
        original = xfs[base] if 0 <= base < len(xfs) else None
        if original is not None and int(original.get("numFmtId") or 0) in dates:
            return base

        def looks(xf):
            return tuple(xf.get(k, "0") for k in ("fontId", "fillId", "borderId"))

        for i, xf in enumerate(xfs):
            if int(xf.get("numFmtId") or 0) in dates and (
                original is None or looks(xf) == looks(original)
            ):
                return i
        new = copy.deepcopy(original) if original is not None else None
        if new is None:
            from lxml import etree

            new = etree.Element(q("xf"), fontId="0", fillId="0", borderId="0", xfId="0")
        new.set("numFmtId", str(NEW_DATE_FORMAT_ID))
        new.set("applyNumberFormat", "1")
        cell_xfs.append(new)
        cell_xfs.set("count", str(len(xfs) + 1))
        self.pkg.touch(self.styles)
        return len(xfs)

    @staticmethod
    def _date_format_ids(styles_root) -> set[int]:
        ids = set(DATE_FORMAT_IDS)
        for fmt in styles_root.iter(q("numFmt")):
            code = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.', "", fmt.get("formatCode") or "")
            if re.search(r"[ymdhs]", code.lower()) and "general" not in code.lower():
                ids.add(int(fmt.get("numFmtId") or -1))
        return ids


def _relative(source_part: str, target_part: str) -> str:
    """Target of a relationship from ``xl/workbook.xml`` to ``xl/worksheets/x.xml``."""
    folder = source_part.rsplit("/", 1)[0] + "/" if "/" in source_part else ""
    if folder and target_part.startswith(folder):
        return target_part[len(folder) :]
    return "/" + target_part


class Sheet:
    """One worksheet part: rows of cells, read and appended to in place."""

    def __init__(self, book: Book, name: str, part: str) -> None:
        self.book, self.name, self.part = book, name, part
        self.root = book.pkg.xml(part)
        self.data = self.root.find(q("sheetData"))
        if self.data is None:
            raise InputFileError(f"工作表「{name}」已损坏（缺少 sheetData）", file=book.pkg.path)
        self._number_refs()

    def _number_refs(self) -> None:
        """Give every row and cell its ``r`` (optional in the format; needed to edit)."""
        row_no = 0
        for row in self.data.iterchildren(q("row")):
            row_no = int(row.get("r") or row_no + 1)
            if row.get("r") is None:
                row.set("r", str(row_no))
                self.book.pkg.touch(self.part)
            col = 0
            for cell in row.iterchildren(q("c")):
                col = split_ref(cell.get("r"))[1] if cell.get("r") else col + 1
                if cell.get("r") is None:
                    cell.set("r", f"{col_letter(col)}{row_no}")
                    self.book.pkg.touch(self.part)

    def rows(self):
        """(row number, {column: value text}) for every row element, in order."""
        for row in self.data.iterchildren(q("row")):
            yield (
                int(row.get("r")),
                {split_ref(c.get("r"))[1]: self.value(c) for c in row.iterchildren(q("c"))},
            )

    def value(self, cell) -> str | None:
        """The cell's value as text (cached value for formulas); None when it has none."""
        kind = cell.get("t")
        if kind == "inlineStr":
            node = cell.find(q("is"))
            return _text_of(node) if node is not None else None
        v = cell.find(q("v"))
        if v is None or v.text is None:
            return None
        if kind == "s":
            try:
                return self.book.strings[int(v.text)]
            except (ValueError, IndexError):
                raise InputFileError(
                    f"工作表「{self.name}」单元格 {cell.get('r')} 引用了不存在的共享字符串",
                    file=self.book.pkg.path,
                ) from None
        return v.text

    def headers(self) -> dict[str, int]:
        """Normalised header text of row 1 → column number (first occurrence)."""
        for number, cells in self.rows():
            if number == 1:
                out: dict[str, int] = {}
                for col in sorted(cells):
                    key = norm_header(cells[col])
                    if key and key not in out:
                        out[key] = col
                return out
            break
        return {}

    def last_used_row(self, width: int) -> int:
        """The last row (≥ 1) with a non-blank value in the first ``width`` columns."""
        last = 1
        for number, cells in self.rows():
            if any(c <= width and v is not None and v.strip() for c, v in cells.items()):
                last = max(last, number)
        return last

    def style_of(self, row: int, col: int) -> int | None:
        cell = self._cell(row, col, create=False)
        return None if cell is None or cell.get("s") is None else int(cell.get("s"))

    def write(self, row: int, values: dict[int, object], styles: dict[int, int]) -> None:
        """Set the cells of ``row``: values by column; ``styles`` for cells without a style."""
        for col in sorted({*values, *styles}):
            cell = self._cell(row, col, create=True)
            if cell.get("s") is None and col in styles:
                cell.set("s", str(styles[col]))
            if col in values and values[col] is not None:
                self._set_value(cell, values[col])
        self._grow_dimension(row, max(values, default=1))
        self.book.pkg.touch(self.part)

    def _set_value(self, cell, value) -> None:
        from lxml import etree

        for child in list(cell):
            cell.remove(child)
        cell.attrib.pop("t", None)
        if isinstance(value, str):
            text = ILLEGAL_XML.sub("", value)
            cell.set("t", "inlineStr")
            t = etree.SubElement(etree.SubElement(cell, q("is")), q("t"))
            t.text = text
            if text != text.strip():
                t.set(XML_SPACE, "preserve")
            return
        if isinstance(value, bool):
            cell.set("t", "b")
            text = "1" if value else "0"
        elif isinstance(value, date):
            base = int(cell.get("s") or 0)
            cell.set("s", str(self.book.date_style(base)))
            text = repr(self.book.serial(value)).removesuffix(".0")
        elif isinstance(value, int | float) and math.isfinite(value):
            text = repr(value)
        else:
            raise TypeError(f"cannot write {value!r}")
        etree.SubElement(cell, q("v")).text = text

    def _cell(self, row: int, col: int, *, create: bool):
        from lxml import etree

        row_el = None
        after = None
        for node in self.data.iterchildren(q("row")):
            r = int(node.get("r"))
            if r == row:
                row_el = node
                break
            if r > row:
                break
            after = node
        if row_el is None:
            if not create:
                return None
            row_el = etree.Element(q("row"), r=str(row))
            if after is None:
                self.data.insert(0, row_el)
            else:
                after.addnext(row_el)
        previous = None
        for cell in row_el.iterchildren(q("c")):
            c = split_ref(cell.get("r"))[1]
            if c == col:
                return cell
            if c > col:
                break
            previous = cell
        if not create:
            return None
        row_el.attrib.pop("spans", None)  # an optional hint that the new cell may break
        cell = etree.Element(q("c"), r=f"{col_letter(col)}{row}")
        if previous is None:
            row_el.insert(0, cell)
        else:
            previous.addnext(cell)
        return cell

    def _grow_dimension(self, row: int, col: int) -> None:
        from openpyxl.utils.cell import range_boundaries

        dim = self.root.find(q("dimension"))
        if dim is None:
            return
        try:
            min_col, min_row, max_col, max_row = range_boundaries(dim.get("ref") or "A1")
        except (ValueError, TypeError):
            min_col, min_row, max_col, max_row = 1, 1, col, row
        if row > (max_row or 0) or col > (max_col or 0):
            new = f"{col_letter(min_col or 1)}{min_row or 1}:"
            dim.set("ref", new + f"{col_letter(max(col, max_col or 1))}{max(row, max_row or 1)}")

    # filters and tables -----------------------------------------------------------
    def grow_ranges(self, row: int) -> None:
        """Stretch the Excel tables and the sheet filter whose header is row 1 over ``row``."""
        pkg = self.book.pkg
        for _rid, kind, target in relationships(pkg, self.part):
            if kind != "table" or not pkg.has(target):
                continue
            table = pkg.xml(target)
            if int(table.get("totalsRowCount") or 0):
                raise UnsafeSaveError(
                    f"「{self.name}」的表格 {table.get('displayName')} 带有汇总行，aexl 无法在其中追加行；"
                    "请在 Excel 中关闭汇总行后再试",
                    file=pkg.path,
                    sheet=self.name,
                )
            if _grow(table, row):
                pkg.touch(target)
                node = table.find(q("autoFilter"))
                if node is not None:
                    node.set("ref", table.get("ref"))
        node = self.root.find(q("autoFilter"))
        if node is not None and _grow(node, row):
            pkg.touch(self.part)


def _grow(node, row: int) -> bool:
    """Extend ``node``'s ``ref`` (header in row 1) down to ``row``; True if it changed."""
    from openpyxl.utils.cell import range_boundaries

    try:
        min_col, min_row, max_col, max_row = range_boundaries(node.get("ref") or "")
    except (ValueError, TypeError):
        return False
    if min_row != 1 or max_row >= row:
        return False
    node.set("ref", f"{col_letter(min_col)}1:{col_letter(max_col)}{row}")
    return True
