"""Brand and product-line codes: pinyin initials (PRODUCT.md §2 "Job numbers").

A code is the upper-case first letter of the pinyin of each Chinese
character, read in context (银行 → YH, 重庆 → CQ, 长虹 → CH) with pypinyin's
phrase dictionary; Latin letters are kept upper-cased, digits kept, anything
else (spaces, punctuation, ·, brackets) dropped, after NFKC normalisation.
Names are read as names (``aexl.codes.readings``): official place names
from the bundled gazetteer (``aexl/data/gazetteer_places.tsv``: 长清区 → CQQ,
朝阳 → CY) and the project's correction list (``aexl/data/pinyin_fixes.toml``:
words pypinyin reads wrongly, and name readings of single characters such
as 长 cháng, 晟 shèng, 厦 xià) come before pypinyin's phrase dictionary; a
code typed into the 品牌 sheet wins over all of them. Accuracy on 5,400
listed-company names: ``python bench/bench_codes.py``.

pypinyin takes ~0.3 s to import and ~80 µs a call, and this module is
imported by the worksheet functions, so pypinyin is imported on first use
only, whole texts are cached (repeated look-ups ≈ 1 µs) and so are the
segmented words (a new name made of known words costs one segmentation).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from aexl.codes.readings import (
    FIXES_PATH,
    GAZETTEER_PATH,
    NoReading,
    han_initials,
    known_words,
    load_fixes,
    load_gazetteer,
    load_name_chars,
)
from aexl.codes.readings import clear_caches as _clear_readings
from aexl.errors import CodeError
from aexl.values import is_blank, norm_text

__all__ = [
    "BRAND_SHEET",
    "FIXES_PATH",
    "GAZETTEER_PATH",
    "book_code",
    "clear_caches",
    "code_for",
    "code_resolver",
    "code_table",
    "known_words",
    "load_fixes",
    "load_gazetteer",
    "load_name_chars",
    "name_key",
    "normalize_code",
    "resolve_codes",
]

BRAND_SHEET = "品牌"

# CJK ideographs (what pypinyin has readings for); everything else is either
# an ASCII letter/digit (kept) or dropped.
_HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_TOKEN_PATTERN = (
    f"([{_HAN}]+)|([A-Za-z0-9]+)|([^{_HAN}A-Za-z0-9]+)"  # compiled on first use (~8 ms)
)
_CODE_RE = re.compile(r"[A-Z0-9]+")


def _latin_initial(char: str) -> str:
    base = unicodedata.normalize("NFKD", char)[:1]
    return base.upper() if base.isascii() and base.isalpha() else ""


@lru_cache(maxsize=1)
def _token_re() -> re.Pattern:
    return re.compile(_TOKEN_PATTERN)


# ---------------------------------------------------------------------------
# Public API


@lru_cache(maxsize=65536)
def _code(text: str) -> str:
    normal = unicodedata.normalize("NFKC", text)
    parts: list[str] = []
    for han, alnum, other in _token_re().findall(normal):
        if han:
            try:
                parts.append(han_initials(han))
            except NoReading as exc:
                raise CodeError(
                    f"「{text}」中的「{exc.args[0]}」查不到拼音，无法生成代码；"
                    "请在「品牌」表中直接填写代码（大写字母或数字）"
                ) from None
        elif alnum:
            parts.append(alnum.upper())
        else:
            parts.extend(_latin_initial(c) for c in other)
    code = "".join(parts)
    if not code:
        raise CodeError(
            f"「{text}」里没有汉字、字母或数字，无法生成代码；请填写名称或在「品牌」表中直接填写代码"
        )
    return code


def code_for(text) -> str:
    """The pinyin code of a brand or product-line name: ``code_for("美的") == "MD"``.

    Raises CodeError for a blank text or a character without a reading.
    """
    if not isinstance(text, str):
        text = norm_text(text)
    if not text:
        raise CodeError("名称为空，无法生成代码；请填写品牌或产品线名称")
    return _code(text)


def clear_caches() -> None:
    """Forget cached codes and the data files (tests, or after editing them)."""
    _code.cache_clear()
    _clear_readings()


def normalize_code(value) -> str:
    """A typed code: NFKC, upper-case, spaces removed; ``''`` for a blank cell.

    Raises ValueError (Chinese text) when it holds anything but letters and digits.
    """
    text = "".join(norm_text(value).split()).upper()
    if text and not _CODE_RE.fullmatch(text):
        raise ValueError(f"代码「{text}」只能包含大写字母和数字")
    return text


def name_key(value) -> str:
    """How brand and product-line names are compared: NFKC, trimmed, case-folded."""
    return norm_text(value).casefold()


def _records(brands_df):
    """(brand, line, typed brand code, typed line code, Excel row) per usable row."""
    if brands_df is None or len(brands_df) == 0:
        return
    has_row = "_row" in brands_df.columns
    for position, rec in enumerate(brands_df.to_dict("records")):
        row = int(rec["_row"]) if has_row and not is_blank(rec.get("_row")) else position + 2
        brand, line = norm_text(rec.get("品牌")), norm_text(rec.get("产品线"))
        if not brand or not line:
            continue
        typed = []
        for column in ("品牌代码", "产品线代码"):
            try:
                typed.append(normalize_code(rec.get(column)))
            except ValueError as exc:
                raise CodeError(
                    f"{exc}，请改正", sheet=BRAND_SHEET, row=row, column=column
                ) from None
        yield brand, line, typed[0], typed[1], row


def _build(brands_df, file=None):
    """pairs: {(brand key, line key): (brand, line, bc, lc, row)}; collisions by prefix."""
    records = list(_records(brands_df))
    typed_brand: dict[str, dict[str, int]] = {}
    for brand, _line, bc, _lc, row in records:
        if bc:
            typed_brand.setdefault(name_key(brand), {}).setdefault(bc, row)
    pairs: dict[tuple[str, str], tuple[str, str, str, str, int]] = {}
    for brand, line, bc, lc, row in records:
        if not bc:
            typed = typed_brand.get(name_key(brand), {})
            if len(typed) > 1:
                listed = "、".join(f"{code}（第 {r} 行）" for code, r in typed.items())
                raise CodeError(
                    f"品牌「{brand}」填写了不同的品牌代码 {listed}，本行留空时无法确定用哪个；"
                    "请在本行填写品牌代码，或统一这些代码",
                    file=file,
                    sheet=BRAND_SHEET,
                    row=row,
                    column="品牌代码",
                )
            bc = next(iter(typed), "") or _located_code(brand, file, row, "品牌")
        lc = lc or _located_code(line, file, row, "产品线")
        key = (name_key(brand), name_key(line))
        seen = pairs.get(key)
        if seen and (seen[2], seen[3]) != (bc, lc):
            raise CodeError(
                f"「{brand} / {line}」在第 {seen[4]} 行和第 {row} 行各有一行，代码不一致"
                f"（{seen[2]}{seen[3]} 与 {bc}{lc}）；请删除重复行或统一代码",
                file=file,
                sheet=BRAND_SHEET,
                row=row,
            )
        pairs.setdefault(key, (brand, line, bc, lc, row))
    by_prefix: dict[str, list[tuple[str, str]]] = {}
    for key, (_b, _l, bc, lc, _r) in pairs.items():
        by_prefix.setdefault(bc + lc, []).append(key)
    return pairs, {p: keys for p, keys in by_prefix.items() if len(keys) > 1}


def _located_code(name: str, file, row: int, column: str) -> str:
    try:
        return code_for(name)
    except CodeError as exc:
        raise CodeError(exc.message, file=file, sheet=BRAND_SHEET, row=row, column=column) from None


def _collision_error(prefix: str, keys, pairs, file=None) -> CodeError:
    first, *others = sorted((pairs[k] for k in keys), key=lambda p: p[4])
    other = others[0]
    return CodeError(
        f"「{first[0]} / {first[1]}」（第 {first[4]} 行）和「{other[0]} / {other[1]}」"
        f"（第 {other[4]} 行）的代码都是 {prefix}，工作号会混淆；"
        f"请在第 {other[4]} 行的「品牌代码」或「产品线代码」列填写一个不同的代码",
        file=file,
        sheet=BRAND_SHEET,
        row=other[4],
    )


def code_table(brands_df, *, file=None) -> dict[tuple[str, str], tuple[str, str]]:
    """{(brand, line): (brand code, line code)} for every row of the 品牌 sheet.

    A typed 品牌代码 applies to its row and to the rows of the same brand that
    leave it blank; a typed 产品线代码 to its row. Raises CodeError when two
    different pairs produce the same prefix (brand code + line code).
    """
    pairs, collisions = _build(brands_df, file)
    for prefix, keys in collisions.items():
        raise _collision_error(prefix, keys, pairs, file)
    return {(b, line): (bc, lc) for b, line, bc, lc, _row in pairs.values()}


def resolve_codes(
    brands_df, brand, line, *, require_row: bool = True, file=None
) -> tuple[str, str]:
    """(brand code, line code) for one brand × product line.

    With a 品牌 frame: that row's codes (typed or derived); a pair missing from
    the sheet is a CodeError unless ``require_row`` is False; a prefix shared
    with another pair is a CodeError. Without one (``None``): pinyin codes.
    """
    _names(brand, line)  # a blank name is the first thing to say
    return code_resolver(brands_df, require_row=require_row, file=file)(brand, line)


def _names(brand, line) -> tuple[str, str]:
    brand_text, line_text = norm_text(brand), norm_text(line)
    if not brand_text or not line_text:
        raise CodeError("品牌和产品线都要填写，才能确定工作号的代码")
    return brand_text, line_text


def code_resolver(
    brands_df, *, require_row: bool = True, file=None
) -> Callable[[object, object], tuple[str, str]]:
    """``resolve_codes`` for many look-ups: the 品牌 frame is read once, here.

    Returns ``resolve(brand, line) -> (brand code, line code)``. A 品牌 sheet
    that cannot give codes at all (a bad typed code, one brand with two
    codes) raises CodeError now; a single pair's problem when it is resolved.
    """
    if brands_df is None:

        def pinyin(brand, line) -> tuple[str, str]:
            brand_text, line_text = _names(brand, line)
            return code_for(brand_text), code_for(line_text)

        return pinyin
    pairs, collisions = _build(brands_df, file)
    brand_code: dict[str, str] = {}  # brand key -> its code (first row of the brand)
    by_prefix: dict[str, tuple] = {}  # prefix -> first pair that has it
    for (brand_key, _line_key), pair in pairs.items():
        brand_code.setdefault(brand_key, pair[2])
        by_prefix.setdefault(pair[2] + pair[3], pair)

    def resolve(brand, line) -> tuple[str, str]:
        brand_text, line_text = _names(brand, line)
        key = (name_key(brand_text), name_key(line_text))
        if key in pairs:
            _b, _l, bc, lc, _row = pairs[key]
            if bc + lc in collisions:
                raise _collision_error(bc + lc, collisions[bc + lc], pairs, file)
            return bc, lc
        if require_row:
            raise CodeError(
                f"「品牌」表中没有「{brand_text} / {line_text}」这一行；"
                "请先在「品牌」表添加该品牌和产品线（名称须完全一致）",
                file=file,
                sheet=BRAND_SHEET,
            )
        bc = brand_code.get(key[0]) or code_for(brand_text)
        lc = code_for(line_text)
        other = by_prefix.get(bc + lc)
        if other is not None:
            raise CodeError(
                f"「{brand_text} / {line_text}」的代码 {bc}{lc} 与「{other[0]} / {other[1]}」"
                f"（第 {other[4]} 行）相同；请在「品牌」表为它添加一行并填写不同的代码",
                file=file,
                sheet=BRAND_SHEET,
                row=other[4],
            )
        return bc, lc

    return resolve


def book_code(brands_df, text, *, file=None) -> str:
    """The code of one name as a workbook's 品牌 sheet has it.

    A brand name gives its brand code (typed or derived); a product-line name
    with a typed 产品线代码 gives that code; anything else its pinyin code.
    """
    key = name_key(text)
    pairs, _collisions = _build(brands_df, file)
    brand_codes = {p[2] for k, p in pairs.items() if k[0] == key}
    if len(brand_codes) == 1:
        return brand_codes.pop()
    if brand_codes:
        raise CodeError(
            f"品牌「{norm_text(text)}」在「品牌」表中有不同的品牌代码 {'、'.join(sorted(brand_codes))}，"
            "无法确定用哪个；请统一这些代码",
            file=file,
            sheet=BRAND_SHEET,
        )
    typed_lines: dict[str, int] = {}
    for rec_brand, rec_line, _bc, lc, row in _records(brands_df):
        if lc and name_key(rec_line) == key and rec_brand:
            typed_lines.setdefault(lc, row)
    if len(typed_lines) > 1:
        listed = "、".join(f"{code}（第 {row} 行）" for code, row in typed_lines.items())
        raise CodeError(
            f"产品线「{norm_text(text)}」在「品牌」表中填写了不同的代码 {listed}，无法确定用哪个",
            file=file,
            sheet=BRAND_SHEET,
        )
    if typed_lines:
        return next(iter(typed_lines))
    return code_for(text)
