"""Advertising-Law copy check (PRODUCT.md §2 "Copy QC", ../shared/spec/ad-law.md).

Flags terms in ad copy in two tiers, ``block`` (absolute claims banned by the
law) and ``review`` (depends on context), each with its legal basis and a
Chinese message that says what to do. It is advice for a person, not a legal
ruling (``DISCLAIMER``).

How a text is checked: ``aexl.copycheck.engine`` (normalise, mask the
harmless spans named by the context rules, one Aho–Corasick pass for the
literal terms and one pass per pattern, longest match wins, Art. 11 evidence
downgrades a ranking claim); normalisation is in ``aexl.copycheck.text``.

Offsets (``start``/``end``) always index the ORIGINAL text.

The term list lives in ``aexl/data/adlaw_terms.toml`` and is read lazily,
once. This module imports nothing heavy (the UDFs import it); ``check_frame``
takes a DataFrame but does not import pandas itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

BLOCK = "block"
REVIEW = "review"
TIER_LABEL = {BLOCK: "禁用", REVIEW: "需核实"}
DISCLAIMER = (
    "提示仅供参考，不构成法律意见：是否违法以市场监管部门的认定为准，请结合语境判断并留存证明材料。"
)
DEFAULT_COLUMNS = ("标题", "正文", "口号")
TERMS_FILE = Path(__file__).parent.parent / "data" / "adlaw_terms.toml"


@dataclass(frozen=True)
class CopyHit:
    """One flagged term in one text; ``start``/``end`` index the original text."""

    term: str  # the term as matched, normalised (e.g. 最好 for "最 好", NO.1 for "ＮＯ．１")
    start: int
    end: int
    tier: str  # BLOCK or REVIEW
    basis: str  # legal basis, e.g. 《广告法》第九条第（三）项
    message: str  # Chinese: why, and what to do


def _new_hit(term: str, start: int, end: int, tier: str, basis: str, message: str) -> CopyHit:
    """``CopyHit(...)`` at half the cost: a text can have 20,000 findings, and a frozen
    dataclass sets each field through ``object.__setattr__``. The instance is the same
    (same fields, equality, hash and repr); ``CopyHit`` has no ``__post_init__``."""
    hit = _object_new(CopyHit)
    _set_attribute(
        hit,
        "__dict__",
        {
            "term": term,
            "start": start,
            "end": end,
            "tier": tier,
            "basis": basis,
            "message": message,
        },
    )
    return hit


_object_new = object.__new__
_set_attribute = object.__setattr__


@dataclass(frozen=True)
class CopyFinding:
    """A hit with the text it was found in and, for workbook cells, where."""

    text: str
    term: str
    start: int
    end: int
    tier: str
    basis: str
    message: str
    sheet: str | None = None
    row: int | None = None  # Excel row number
    column: str | None = None  # header text of the column

    @classmethod
    def from_hit(cls, text: str, hit: CopyHit, **where) -> CopyFinding:
        return cls(text, hit.term, hit.start, hit.end, hit.tier, hit.basis, hit.message, **where)

    def as_dict(self) -> dict:
        """``{text, sheet, row, column, term, start, end, tier, basis, message}``;
        sheet/row/column only for workbook cells."""
        out: dict = {"text": self.text}
        if self.sheet is not None:
            out.update(sheet=self.sheet, row=self.row, column=self.column)
        out.update(
            term=self.term,
            start=self.start,
            end=self.end,
            tier=self.tier,
            basis=self.basis,
            message=self.message,
        )
        return out


@lru_cache(maxsize=1)
def _checker():
    import tomllib

    from aexl.copycheck.engine import Checker

    with open(TERMS_FILE, "rb") as fh:
        return Checker(tomllib.load(fh))


# ---------------------------------------------------------------- public ----


def check_text(text: str) -> list[CopyHit]:
    """The flagged terms of one text, in order of appearance."""
    if not isinstance(text, str):
        text = _as_text(text)
    return _checker().check(text, _new_hit)


def check_texts(texts) -> list[list[CopyHit]]:
    """``check_text`` for many texts (e.g. a column of 10,000 cells); equal texts are checked once.

    Blank cells (None, NaN, "") give ``[]``; numbers are checked as text.
    """
    checker = _checker()
    seen: dict[str, list[CopyHit]] = {}
    out: list[list[CopyHit]] = []
    for value in texts:
        text = value if isinstance(value, str) else _as_text(value)
        hits = seen.get(text)
        if hits is None:
            hits = seen[text] = checker.check(text, _new_hit)
        out.append(hits)
    return out


def check_frame(df, sheet: str = "文案", text_columns=None) -> list[CopyFinding]:
    """Findings for the text cells of a register frame (rows carry ``_row``, the Excel row).

    ``text_columns`` defaults to 标题, 正文, 口号 (those present). Findings come
    row by row, columns in the given order, terms left to right.
    """
    columns = [c for c in (text_columns or DEFAULT_COLUMNS) if c in df.columns]
    if "_row" in df.columns:
        rows = [_excel_row(r, i) for i, r in enumerate(df["_row"].tolist())]
    else:
        rows = [i + 2 for i in range(len(df))]
    per_column = {
        col: (texts := [_as_text(v) for v in df[col].tolist()], check_texts(texts))
        for col in columns
    }
    findings: list[CopyFinding] = []
    for i, row in enumerate(rows):
        for col in columns:
            texts, hits = per_column[col]
            for hit in hits[i]:
                findings.append(
                    CopyFinding.from_hit(texts[i], hit, sheet=sheet, row=row, column=col)
                )
    return findings


def summarize(hits) -> str:
    """The one-cell text of a worksheet function: ``最佳[禁用]; 第一[需核实]``, "" when clean."""
    seen: dict[tuple[str, str], None] = {}
    for hit in hits:
        seen.setdefault((hit.term, hit.tier), None)
    return "; ".join(f"{term}[{TIER_LABEL[tier]}]" for term, tier in seen)


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        if value.is_integer():
            return str(int(value))
    return str(value)


def _excel_row(value, index: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return index + 2
