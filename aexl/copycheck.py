"""Advertising-Law copy check (PRODUCT.md §2 "Copy QC", ../shared/spec/ad-law.md).

Flags terms in ad copy in two tiers, ``block`` (absolute claims banned by the
law) and ``review`` (depends on context), each with its legal basis and a
Chinese message that says what to do. It is advice for a person, not a legal
ruling (``DISCLAIMER``).

How a text is checked:

1. Normalise (NFKC, case-fold, a small traditional→simplified map, drop
   zero-width characters and spaces between characters, the ordinal one
   第1/第１/第壹 read as 第一), keeping for every normalised character the
   offset of the original character it came from.
2. Mask the harmless spans (第一次, 最近, 最佳赏味期, 100%棉, 非保本 …).
3. Scan with one regex compiled once (a prefix trie of all literal terms plus
   the few patterns, every alternative starting with a literal so ``re``
   skips through text fast); at each position where it hits, the trie gives
   the longest literal and each pattern its match; of all candidates the
   longest win, block before review, without overlaps (全网销量第一 is one
   finding, not three).
4. A ranking claim with a period, a region and a cited source nearby is
   downgraded from ``block`` to ``review`` (Art. 11).

Offsets (``start``/``end``) always index the ORIGINAL text.

The term list lives in ``aexl/data/adlaw_terms.toml`` and is read lazily,
once. This module imports nothing heavy (the UDFs import it); ``check_frame``
takes a DataFrame but does not import pandas itself.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
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
TERMS_FILE = Path(__file__).with_name("data") / "adlaw_terms.toml"

_TIER_RANK = {BLOCK: 1, REVIEW: 0}
_MASK_CHAR = "\x00"  # never part of a term
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"
_FULL_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_GAP_RE = re.compile(rf"[\s{_ZERO_WIDTH}]+")
# Characters for which NFKC may change the length or that are not plain
# ASCII / CJK / punctuation / full-width forms: normalised one by one.
_UNSAFE_RE = re.compile(
    "[^\x00-\x7f\u00b7\u00d7\u2010-\u2027\u2030-\u205e\u3000-\u303f"
    "\u3400-\u4dbf\u4e00-\u9fff\uff01-\uff5e]"
)
_FW_RE = re.compile("[\uff05\uff0e\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
# The ordinal one in any numerals (第1 after NFKC of 第１, 第壹) is written 第一,
# one character for one, so 第1品牌 is the same claim as 第一品牌; 第12, 第1.5 stay.
_ORDINAL_ONE_RE = re.compile(r"第[1壹](?![\d.,]?\d)")


@dataclass(frozen=True)
class CopyHit:
    """One flagged term in one text; ``start``/``end`` index the original text."""

    term: str  # the term as matched, normalised (e.g. 最好 for "最 好", NO.1 for "ＮＯ．１")
    start: int
    end: int
    tier: str  # BLOCK or REVIEW
    basis: str  # legal basis, e.g. 《广告法》第九条第（三）项
    message: str  # Chinese: why, and what to do


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


# ------------------------------------------------------------ the term list --


@dataclass(frozen=True)
class _Rule:
    id: str
    tier: str
    basis: str
    message: str
    ranking: bool
    priority: int  # lower = earlier in the file = wins ties
    rank: int  # 1 block, 0 review


class _Checker:
    """The compiled term list."""

    def __init__(self, data: dict) -> None:
        bases = data["basis"]
        self.literal_rule: dict[str, _Rule] = {}
        patterns: list[tuple[str, _Rule]] = []
        for i, raw in enumerate(data["rule"]):
            tier = raw["tier"]
            if tier not in TIER_LABEL:
                raise ValueError(f"adlaw_terms: rule {raw['id']}: unknown tier {tier}")
            rule = _Rule(
                raw["id"],
                tier,
                bases[raw["basis"]],
                raw["message"],
                bool(raw.get("ranking")),
                i,
                _TIER_RANK[tier],
            )
            for term in raw.get("terms", ()):
                self.literal_rule.setdefault(term, rule)  # an earlier rule keeps a repeated term
            patterns.extend((source, rule) for source in raw.get("patterns", ()))

        # One scan regex whose alternatives all start with a literal character
        # (so ``re`` skips through text fast); at a hit, the literal trie and the
        # patterns that can start with that character give the candidates.
        self.literal_re = re.compile(_trie_regex(self.literal_rule))
        self.literal_first = {word[0] for word in self.literal_rule}
        scan: list[tuple[str, str]] = _trie_alternatives(self.literal_rule)
        scan_anywhere: list[str] = []
        self.by_first: dict[str, list[tuple[re.Pattern, _Rule]]] = {}
        self.anywhere: list[tuple[re.Pattern, _Rule]] = []  # patterns that could not be unfolded
        for source, rule in patterns:
            compiled = re.compile(source)
            unfolded = _unfold(source)
            if unfolded is None:
                self.anywhere.append((compiled, rule))
                scan_anywhere.append(f"(?:{source})")
                continue
            scan.extend(unfolded)
            for first in {first for first, _ in unfolded}:
                self.by_first.setdefault(first, []).append((compiled, rule))
        self.scan_re = re.compile("|".join(_group_by_first(scan) + scan_anywhere) or "(?!)")
        self.mask_res = _combine(
            [p for block in data.get("harmless", ()) for p in block["patterns"]]
        )
        ev = data["evidence"]
        self.evidence_window = int(ev.get("window", 80))
        self.period_re = re.compile(ev["period"])
        self.region_re = re.compile(ev["region"])
        self.source_re = re.compile(ev["source"])
        self.evidence = (bases["art11"], ev["message"])
        t2s = data["t2s"]
        if len(t2s["from"]) != len(t2s["to"]):
            raise ValueError("adlaw_terms: t2s from/to differ in length")
        self.t2s = str.maketrans(t2s["from"], t2s["to"])
        self.t2s_re = re.compile(f"[{re.escape(t2s['from'])}]")
        self._shown: dict[tuple, tuple[str, str, str, str]] = {}

    # -- normalisation ----------------------------------------------------

    def normalize(self, text: str) -> tuple[str, _Offsets | None]:
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
        if self.t2s_re.search(s) is not None:
            s = s.translate(self.t2s)
        if _GAP_RE.search(s) is None:
            return _ordinal_one(s), (None if pos is None else _Offsets(pos, [], []))
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
        return _ordinal_one("".join(pieces)), _Offsets(pos, at, shift)

    def mask(self, norm: str) -> str:
        """``norm`` with the harmless spans overwritten (same length)."""
        pieces: list[str] = []
        last = 0
        for regex in self.mask_res:
            for m in regex.finditer(norm):
                a, b = m.span()
                if a < last:  # overlaps the previous mask: only mask what is new
                    a = last
                    if b <= a:
                        continue
                pieces.append(norm[last:a])
                pieces.append(_MASK_CHAR * (b - a))
                last = b
            if len(self.mask_res) > 1 and pieces:  # spans of several regexes: apply in order
                pieces.append(norm[last:])
                norm, pieces, last = "".join(pieces), [], 0
        if not pieces:
            return norm
        pieces.append(norm[last:])
        return "".join(pieces)

    # -- matching ---------------------------------------------------------

    def candidates(self, masked: str) -> list[tuple]:
        """Every position's longest match per source, as sortable tuples.

        ``(-length, -tier rank, rule priority, start, end, rule)``: sorting
        puts the longest first, block before review, the earlier rule first.
        """
        out: list[tuple] = []
        add = out.append
        search = self.scan_re.search
        literal_match = self.literal_re.match
        literal_first = self.literal_first
        literal_rule = self.literal_rule
        by_first = self.by_first
        anywhere = self.anywhere
        at = 0
        while (m := search(masked, at)) is not None:
            start = m.start()
            first = masked[start]
            if first in literal_first and (lm := literal_match(masked, start)) is not None:
                rule = literal_rule[lm.group()]
                add((start - lm.end(), -rule.rank, rule.priority, start, lm.end(), rule))
            for regex, rule in (*by_first.get(first, ()), *anywhere):
                pm = regex.match(masked, start)
                if pm is not None and pm.end() > start:
                    add((start - pm.end(), -rule.rank, rule.priority, start, pm.end(), rule))
            at = start + 1
        return out

    def check(self, text: str) -> list[CopyHit]:
        if not text:
            return []
        norm, offsets = self.normalize(text)
        candidates = self.candidates(self.mask(norm))
        if not candidates:
            return []
        if len(candidates) > 1:
            candidates.sort(key=_sort_key)
            taken: list[tuple] = []
            for cand in candidates:  # longest first, then no overlaps
                start, end = cand[3], cand[4]
                if all(end <= t[3] or start >= t[4] for t in taken):
                    taken.append(cand)
            taken.sort(key=_start_key)
        else:
            taken = candidates
        hits = []
        for cand in taken:
            start, end, rule = cand[3], cand[4], cand[5]
            key = norm[start:end]
            if rule.ranking and self._has_evidence(norm, start, end):
                key = (key, rule, True)
            else:
                key = (key, rule, False)
            shown = self._shown.get(key)
            if shown is None:
                shown = self._shown[key] = self._describe(*key)
            if offsets is not None:
                start, end = offsets(start), offsets(end - 1) + 1
            hits.append(CopyHit(shown[0], start, end, *shown[1:]))
        return hits

    def _describe(self, matched: str, rule: _Rule, evidence: bool) -> tuple[str, str, str, str]:
        term = matched.upper()  # NO.1, TOP1; CJK is unchanged
        if evidence and rule.tier == BLOCK:
            basis, message = self.evidence
            return term, REVIEW, basis, message.replace("{term}", term)
        return term, rule.tier, rule.basis, rule.message.replace("{term}", term)

    def _has_evidence(self, norm: str, start: int, end: int) -> bool:
        w = self.evidence_window
        window = norm[max(0, start - w) : end + w]
        return bool(
            self.source_re.search(window)
            and self.period_re.search(window)
            and self.region_re.search(window)
        )


class _Offsets:
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


def _sort_key(cand: tuple) -> tuple:
    return cand[:4]


def _start_key(cand: tuple) -> int:
    return cand[3]


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


def _build_trie(words) -> dict:
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return trie


def _trie_body(node: dict) -> str:
    alts = [re.escape(ch) + _trie_body(child) for ch, child in sorted(node.items()) if ch]
    if not alts:
        return ""
    body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    return f"(?:{body})?" if "" in node else body  # greedy: the longest word wins


def _trie_regex(words) -> str:
    """One regex for many literals; at a position it matches the longest one."""
    return _trie_body(_build_trie(words)) or "(?!)"


def _trie_alternatives(words) -> list[tuple[str, str]]:
    """The trie regex split by first character: ``(first, rest of the regex)`` pairs."""
    trie = _build_trie(words)
    return [(ch, _trie_body(child)) for ch, child in sorted(trie.items())]


def _group_by_first(pairs: list[tuple[str, str]]) -> list[str]:
    """``(first, rest)`` pairs as one alternative per first character, order kept.

    ``re`` tries the alternatives of a pattern one after the other at every
    position whose character can start one of them; one alternative per
    first character keeps that list short. Within a first character the
    alternatives keep their order, so the leftmost-first match is unchanged.
    """
    rests: dict[str, list[str]] = {}
    for first, rest in pairs:
        group = rests.setdefault(first, [])
        if rest not in group:
            group.append(rest)
    out = []
    for first, group in rests.items():
        tail = group[0] if len(group) == 1 else "(?:" + "|".join(group) + ")"
        out.append(re.escape(first) + tail)
    return out


def _combine(sources: list[str]) -> list[re.Pattern]:
    """Few regexes for many patterns, each one able to skip through text fast.

    Python's ``re`` jumps over text quickly only when every alternative of a
    pattern starts with a literal character. Patterns that start with a
    literal, or with a group of plain literals (``(?:非|不|并非)…``), are
    unfolded into such alternatives and joined into one regex; the rest are
    compiled on their own.
    """
    joined: list[tuple[str, str]] = []
    alone: list[re.Pattern] = []
    for source in sources:
        unfolded = _unfold(source)
        if unfolded is None:
            alone.append(re.compile(source))
        else:
            joined.extend(unfolded)
    if joined:
        alone.insert(0, re.compile("|".join(_group_by_first(joined))))
    return alone


_PLAIN = re.compile(r"[^\\\[\](){}|.*+?^$]+")


def _unfold(source: str) -> list[tuple[str, str]] | None:
    """Literal-led alternatives of a pattern as ``(first character, rest of the regex)``, or None.

    ``abc…`` -> ``[(a, bc…)]``; ``(?:a|bc)rest`` -> ``[(a, (?:rest)), (b, c(?:rest))]``.
    """
    depth, group_end, top_pipe, escaped = 0, None, False, False
    for i, ch in enumerate(source):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0 and group_end is None:
                group_end = i
        elif ch == "|" and depth == 0:
            top_pipe = True
    if top_pipe:
        return None
    if _PLAIN.match(source) and source[1:2] not in ("?", "*", "+", "{"):
        return [(source[0], source[1:])]
    if not source.startswith("(?:") or group_end is None:
        return None
    inner, rest = source[3:group_end], source[group_end + 1 :]
    if rest[:1] in ("?", "*", "+", "{"):
        return None
    words = inner.split("|")
    if not all(_PLAIN.fullmatch(w) for w in words):
        return None
    return [(w[0], re.escape(w[1:]) + (f"(?:{rest})" if rest else "")) for w in words]


@lru_cache(maxsize=1)
def _checker() -> _Checker:
    import tomllib

    with open(TERMS_FILE, "rb") as fh:
        return _Checker(tomllib.load(fh))


# ---------------------------------------------------------------- public ----


def check_text(text: str) -> list[CopyHit]:
    """The flagged terms of one text, in order of appearance."""
    if not isinstance(text, str):
        text = _as_text(text)
    return _checker().check(text)


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
            hits = seen[text] = checker.check(text)
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
