"""Normalisation of ad copy for the term match, with the map back to original offsets.

NFKC (full-width forms to half-width), case-fold, a small traditional ->
simplified map, zero-width characters and spaces between characters
dropped ("最 好", "最\\u200b好"), and the ordinal one in any numerals (第1,
第１, 第壹) read as 第一. Every step keeps, for each normalised character,
the offset of the original character it came from.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right

_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"
_FULL_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_GAP_RE = re.compile(rf"[\s{_ZERO_WIDTH}]+")
# Characters for which NFKC may change the length or that are not plain
# ASCII / CJK / punctuation / full-width forms: normalised one by one.
_UNSAFE_RE = re.compile(
    "[^\x00-\x7f\u00b7\u00d7\u2010-\u2027\u2030-\u205e\u2248\u3000-\u303f"
    "\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff5e]"
)
_FW_RE = re.compile("[\uff05\uff0e\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
# The ordinal one in any numerals (第1 after NFKC of 第１, 第壹) is written 第一,
# one character for one, so 第1品牌 is the same claim as 第一品牌; 第12, 第1.5 stay.
_ORDINAL_ONE_RE = re.compile(r"第[1壹](?![\d.,]?\d)")


class Offsets:
    """Normalised offset -> original offset, after dropped gaps and expansions."""

    __slots__ = ("pos", "at", "shift")

    def __init__(self, pos: list[int] | None, at: list[int], shift: list[int]) -> None:
        self.pos = pos  # per character before the gaps were dropped, or None (identity)
        self.at = at
        self.shift = shift

    def __call__(self, i: int) -> int:
        k = bisect_right(self.at, i)
        if k:
            i += self.shift[k - 1]
        return i if self.pos is None else self.pos[i]


def normalize(text: str, t2s: dict, t2s_re: re.Pattern) -> tuple[str, Offsets | None]:
    """Normalised text and the map back to original offsets (None: identity)."""
    pos: list[int] | None = None
    if _UNSAFE_RE.search(text) is None:
        # only ASCII, CJK, punctuation and full-width forms: NFKC is one for
        # one here, and of it only the full-width forms matter for the terms
        s = text.translate(_FULL_WIDTH) if _FW_RE.search(text) else text
    else:
        s, pos = _normalize_slow(text)
    folded = s.casefold()
    if len(folded) == len(s):  # casefold only ever expands: equal length is one for one
        s = folded
    else:
        s, pos = _casefold_slow(s, pos)
    if t2s_re.search(s) is not None:
        s = s.translate(t2s)
    if _GAP_RE.search(s) is None:
        return _ordinal_one(s), (None if pos is None else Offsets(pos, [], []))
    # drop the gaps, keeping one space between two Latin words or numbers
    pieces: list[str] = []
    at: list[int] = []  # normalised offset from which ...
    shift: list[int] = []  # ... this many characters were dropped before it
    dropped = length = last = 0
    for m in _GAP_RE.finditer(s):
        a, b = m.span()
        pieces.append(s[last:a])
        length += a - last
        if _keep_space(s, a, b, m.group()):
            pieces.append(" ")
            length += 1
            dropped += b - a - 1
        else:
            dropped += b - a
        at.append(length)
        shift.append(dropped)
        last = b
    pieces.append(s[last:])
    return _ordinal_one("".join(pieces)), Offsets(pos, at, shift)


def _normalize_slow(text: str) -> tuple[str, list[int]]:
    """NFKC one character at a time where it may change the length; offsets per character."""
    pieces: list[str] = []
    pos: list[int] = []
    last = 0
    for m in _UNSAFE_RE.finditer(text):
        i = m.start()
        pieces.append(text[last:i])
        pos.extend(range(last, i))
        out = unicodedata.normalize("NFKC", text[i])
        pieces.append(out)
        pos.extend([i] * len(out))
        last = i + 1
    pieces.append(text[last:])
    pos.extend(range(last, len(text)))
    return "".join(pieces).translate(_FULL_WIDTH), pos


def _casefold_slow(s: str, pos: list[int] | None) -> tuple[str, list[int]]:
    chars: list[str] = []
    out_pos: list[int] = []
    for i, ch in enumerate(s):
        folded = ch.casefold()
        chars.append(folded)
        out_pos.extend([i if pos is None else pos[i]] * len(folded))
    return "".join(chars), out_pos


def _ordinal_one(s: str) -> str:
    """第1, 第壹 -> 第一 (same length: offsets stay valid)."""
    if "第1" in s or "第壹" in s:
        return _ORDINAL_ONE_RE.sub("第一", s)
    return s


def _is_word(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _keep_space(s: str, a: int, b: int, gap: str) -> bool:
    """A space survives only between two Latin words or two numbers ("hello no.1", "2 100%").

    Zero-width characters and spaces next to CJK text or punctuation go
    ("最 好", "TOP 1", "No. 1", "100 %").
    """
    if a == 0 or b == len(s):
        return False
    left, right = s[a - 1], s[b]
    if not (_is_word(left) and _is_word(right)) or not any(ch.isspace() for ch in gap):
        return False
    return not (left.isalpha() and right.isdigit())  # "top 1" -> "top1"
