"""Masking the harmless spans (``[[harmless]]`` in ``adlaw_terms.toml``) in one scan.

The result is exactly that of one combined regex ``(?:p1)|(?:p2)|…`` whose
matches, left to right, are overwritten with ``MASK_CHAR``. Done that way
alone, a pattern the regex engine cannot skip by its first character is tried
at every position of the text: ``最{1,2}[\\u4e00-\\u9fff]{1,5}?的?…(?=亮点|…)``
took 17 ms of 40,000 × "最". Such a pattern that ends in a lookahead of plain
words (``regex_tools.lookahead_guard``) can only match a few characters before
one of those words, so it is *guarded*: the words are found with one
Aho–Corasick pass, and only near them is the full regex tried; everywhere else
the regex without the guarded patterns runs. Where no guarded pattern can
match, both regexes find the same matches, so the result does not change.

That regex is also written with its alternatives grouped by first character
(``regex_tools.by_first_char``), so the engine skips every position whose
character starts none of them: on text with no trigger the mask costs
0.1 ms instead of 5 ms for 40,000 characters.
"""

from __future__ import annotations

import re

import ahocorasick

from aexl.copycheck.regex_tools import by_first_char, lookahead_guard, never_empty, skipped_fast

MASK_CHAR = "\x00"  # never part of a term


def _combined(sources: list[str]) -> str:
    return "|".join(f"(?:{s})" for s in sources)


def _scanner(sources: list[str]) -> re.Pattern:
    """The combined regex, grouped by first character when it can be (same matches)."""
    return re.compile(by_first_char(sources) or _combined(sources))


def _blank(m: re.Match) -> str:
    return MASK_CHAR * (m.end() - m.start())


class Mask:
    """The harmless patterns, in file order (an earlier pattern wins at the same position)."""

    def __init__(self, sources: list[str]) -> None:
        self.full = re.compile(_combined(sources)) if sources else None
        guards = {i: lookahead_guard(s) for i, s in enumerate(sources) if not skipped_fast(s)}
        guards = {i: g for i, g in guards.items() if g}
        self.words = None
        if not guards or not never_empty(_combined(sources)):
            # nothing to guard, or an empty match would need re.sub's own rules
            self.rest = _scanner(sources) if sources else None
            return
        rest = [s for i, s in enumerate(sources) if i not in guards]
        self.rest = _scanner(rest) if rest else None
        self.words = ahocorasick.Automaton()
        reach: dict[str, set[tuple[int, int]]] = {}
        for words, low, high in guards.values():
            for word in words:
                reach.setdefault(word, set()).add((low, high))
        for word, spans in reach.items():
            self.words.add_word(word, (len(word), tuple(sorted(spans))))
        self.words.make_automaton()

    def apply(self, norm: str) -> str:
        """``norm`` with the harmless spans overwritten (same length)."""
        if self.full is None:
            return norm
        if self.words is None:
            return self.rest.sub(_blank, norm)  # all of them, grouped by first character
        windows = self._windows(norm)
        if not windows:
            return norm if self.rest is None else self.rest.sub(_blank, norm)
        if sum(b + 1 - a for a, b in windows) * 4 > len(norm):
            return self.full.sub(_blank, norm)  # guarded patterns may match almost anywhere
        spans = self._spans(norm, windows)
        if not spans:
            return norm
        pieces, last = [], 0
        for a, b in spans:
            pieces += (norm[last:a], MASK_CHAR * (b - a))
            last = b
        pieces.append(norm[last:])
        return "".join(pieces)

    def _windows(self, norm: str) -> list[list[int]]:
        """Merged ``[first, last]`` ranges of the positions where a guarded pattern may match."""
        raw = []
        for end, (length, spans) in self.words.iter(norm):
            word_at = end + 1 - length
            for low, high in spans:
                if word_at - low >= 0:
                    raw.append((max(0, word_at - high), word_at - low))
        raw.sort()
        merged: list[list[int]] = []
        for a, b in raw:
            if merged and a <= merged[-1][1] + 1:
                merged[-1][1] = max(merged[-1][1], b)
            else:
                merged.append([a, b])
        return merged

    def _spans(self, norm: str, windows: list[list[int]]) -> list[tuple[int, int]]:
        """The matches of the full regex, left to right, as ``re.sub`` finds them.

        Outside the windows the regex without the guarded patterns gives the same
        matches; inside them the full regex is tried position by position.
        """
        spans: list[tuple[int, int]] = []
        pos = k = 0
        nxt, nxt_from = None, -1  # next match of self.rest at or after nxt_from
        while True:
            while k < len(windows) and windows[k][1] < pos:
                k += 1
            if self.rest is not None and (nxt_from < 0 or (nxt is not None and nxt.start() < pos)):
                nxt, nxt_from = self.rest.search(norm, pos), pos
            if k == len(windows) or (nxt is not None and nxt.start() < max(windows[k][0], pos)):
                if nxt is None:
                    return spans
                spans.append(nxt.span())
                pos = nxt.end()
                continue
            first = max(windows[k][0], pos)
            last = windows[k][1] if nxt is None else min(windows[k][1], nxt.start())
            for p in range(first, last + 1):
                m = self.full.match(norm, p)
                if m:
                    spans.append(m.span())
                    pos = m.end()
                    break
            else:
                pos = last + 1
