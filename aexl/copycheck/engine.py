"""The compiled term list and the scan (linear in the text length).

1. Normalise (``text.normalize``).
2. Mask the harmless spans: the context rules of ``adlaw_terms.toml``
   (``[[harmless]]``, each with its legal basis) overwrite their spans, so no
   finding can use them (``aexl.copycheck.mask``).
3. Literal terms: one Aho–Corasick automaton (``pyahocorasick``) gives every
   occurrence in one pass. Patterns: each compiled once, ``finditer`` once.
4. Of all candidates the longest win, block before review, the earlier rule
   first; an occupancy array keeps them from overlapping (全网销量第一 is one
   finding, not three). Every step is linear in the text length.
5. A ranking claim with a period, a region and a cited source nearby is
   downgraded from ``block`` to ``review`` (Art. 11).

The work per finding is kept small, since a text can hold one finding every
two characters (40,000 × "最" has 20,000; ``bench/bench_copycheck.py`` times
such texts against the 50 ms budget). None of it changes a result
(``tests/test_copycheck.py`` compares each with the plain way):

- a pattern is not run on a text holding none of the characters its match
  can start with (``regex_tools.first_chars``);
- candidates are tuples of numbers; when none overlaps, all win at once, and
  otherwise each run of overlapping candidates is settled on its own;
- the evidence regexes run once over the text, not once per finding
  (``regex_tools.Near``);
- an escalation is looked at only when a character its regex can start with
  is in the text, and once per (rule, 12 characters before);
- the shown term, tier, basis and message are built once per term and rule.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from operator import itemgetter

import ahocorasick

from aexl.copycheck.mask import Mask
from aexl.copycheck.regex_tools import Near, first_chars, is_context_free
from aexl.copycheck.text import normalize

BLOCK = "block"
REVIEW = "review"
TIER_RANK = {BLOCK: 1, REVIEW: 0}
_CLAUSE_END = re.compile(r"[，。,.!！?？;；:：、\s\x00]")


@dataclass(frozen=True)
class Rule:
    id: str
    tier: str
    basis: str
    message: str
    ranking: bool
    priority: int  # lower = earlier in the file = wins ties
    rank: int  # 1 block, 0 review


class Checker:
    """The compiled term list (``aexl/data/adlaw_terms.toml``)."""

    def __init__(self, data: dict) -> None:
        bases = data["basis"]
        self.literal_rule: dict[str, Rule] = {}
        # (regex, rule, the characters a match can start with or None when unknown)
        self.patterns: list[tuple[re.Pattern, Rule, frozenset[str] | None]] = []
        self.rules: list[Rule] = []  # by priority
        for i, raw in enumerate(data["rule"]):
            rule = _rule(raw, i, bases)
            self.rules.append(rule)
            for term in raw.get("terms", ()):
                self.literal_rule.setdefault(term, rule)  # an earlier rule keeps a repeated term
            self.patterns.extend(
                (re.compile(p), rule, first_chars(p)) for p in raw.get("patterns", ())
            )
        by_id = {}
        for i, raw in enumerate(data["rule"]):
            by_id[raw["id"]] = _rule(raw, i, bases)
        # rule priority -> [(regex on the clause before the hit, target rule, index of starters)]
        self.escalate: dict[int, list[tuple[re.Pattern, Rule, int | None]]] = {}
        self.starters: list[re.Pattern] = []  # the characters an escalation regex can start with
        for esc in data.get("escalate", ()):
            target = by_id[esc["as"]]
            chars = first_chars(esc["before"])
            starter = None
            if chars is not None:
                starter = len(self.starters)
                self.starters.append(re.compile(f"[{re.escape(''.join(sorted(chars)))}]"))
            for rule_id in esc["rules"]:
                entry = (re.compile(esc["before"]), target, starter)
                self.escalate.setdefault(by_id[rule_id].priority, []).append(entry)
        self.automaton = ahocorasick.Automaton()
        for term, rule in self.literal_rule.items():
            self.automaton.add_word(term, (len(term), -rule.rank, rule.priority))
        if self.literal_rule:
            self.automaton.make_automaton()
        sources = []
        for block in data.get("harmless", ()):
            if block.get("basis") not in bases:
                raise ValueError(f"adlaw_terms: harmless {block.get('why')!r}: unknown basis")
            sources.extend(block["patterns"])
        self.masker = Mask(sources)
        ev = data["evidence"]
        self.evidence_window = int(ev.get("window", 80))
        # all three must be found near a ranking claim; checked in this order
        self.evidence_res = [re.compile(ev[key]) for key in ("source", "period", "region")]
        self.evidence_whole = [is_context_free(ev[key]) for key in ("source", "period", "region")]
        self.evidence = (bases["art11"], ev["message"])
        t2s = data["t2s"]
        if len(t2s["from"]) != len(t2s["to"]):
            raise ValueError("adlaw_terms: t2s from/to differ in length")
        self.t2s = str.maketrans(t2s["from"], t2s["to"])
        self.t2s_re = re.compile(f"[{re.escape(t2s['from'])}]")
        self._shown: dict[tuple, tuple[str, str, str, str]] = {}

    def normalize(self, text: str):
        return normalize(text, self.t2s, self.t2s_re)

    def mask(self, norm: str) -> str:
        """``norm`` with the harmless spans overwritten (same length)."""
        return self.masker.apply(norm)

    def candidates(self, masked: str) -> list[tuple[int, int, int, int, int]]:
        """``(-length, -tier rank, rule priority, start, end)`` for every match.

        Only numbers: the rule is ``self.rules[priority]``. (Tuples of numbers only
        also leave the garbage collector's lists at its first pass, which counts
        when a text has 40,000 candidates.)
        """
        out: list[tuple[int, int, int, int, int]] = []
        add = out.append
        if self.literal_rule:
            for end, (length, rank, priority) in self.automaton.iter(masked):
                add((-length, rank, priority, end + 1 - length, end + 1))
        present = set(masked)
        for regex, rule, starts in self.patterns:
            if starts is not None and present.isdisjoint(starts):
                continue  # no character a match can start with: no match (and no scan)
            rank, priority = -rule.rank, rule.priority
            for a, b in map(_span, regex.finditer(masked)):
                if b > a:
                    add((a - b, rank, priority, a, b))
        return out

    def check(self, text: str, hit_type) -> list:
        if not text:
            return []
        norm, offsets = self.normalize(text)
        candidates = self.candidates(self.mask(norm))
        if not candidates:
            return []
        scan = _Scan(self, norm)
        escalate = scan.escalations()
        seen: dict[tuple[int, str], Rule] = {}  # (priority, 12 characters before) -> rule
        rules, shown_for, describe = self.rules, self._shown, self._describe
        hits = []
        add = hits.append
        for _, _, priority, start, end in _longest_first(candidates):
            if priority in escalate:
                before_hit = norm[start - 12 if start > 12 else 0 : start]
                rule = seen.get((priority, before_hit))
                if rule is None:
                    rule = scan.escalated(start, before_hit, rules[priority])
                    seen[priority, before_hit] = rule
            else:
                rule = rules[priority]
            evidence = rule.ranking and scan.has_evidence(start, end)
            key = (norm[start:end], rule.priority, evidence)  # priority names the rule
            shown = shown_for.get(key)
            if shown is None:
                shown = shown_for[key] = describe(key[0], rule, evidence)
            if offsets is not None:
                start, end = offsets(start), offsets(end - 1) + 1
            add(hit_type(shown[0], start, end, shown[1], shown[2], shown[3]))
        return hits

    def _describe(self, matched: str, rule: Rule, evidence: bool) -> tuple[str, str, str, str]:
        term = matched.upper()  # NO.1, TOP1; CJK is unchanged
        if evidence and rule.tier == BLOCK:
            basis, message = self.evidence
            return term, REVIEW, basis, message.replace("{term}", term)
        return term, rule.tier, rule.basis, rule.message.replace("{term}", term)


class _Scan:
    """What one text's findings look up around themselves, each computed once, when first needed."""

    __slots__ = ("checker", "norm", "near", "near_none", "starts")

    def __init__(self, checker: Checker, norm: str) -> None:
        self.checker, self.norm = checker, norm
        self.near: list[Near | None] = [None] * len(checker.evidence_res)
        self.near_none = False  # an evidence regex (context-free) matches nowhere in the text
        self.starts: dict[int, list[int]] = {}

    def escalations(self) -> dict[int, list]:
        """The escalations that can apply somewhere in this text, by rule priority: one whose
        regex must start with a character the text does not hold never does."""
        out: dict[int, list] = {}
        for priority, entries in self.checker.escalate.items():
            entries = [
                e for e in entries if e[2] is None or self.checker.starters[e[2]].search(self.norm)
            ]
            if entries:
                out[priority] = entries
        return out

    def escalated(self, start: int, before_hit: str, rule: Rule) -> Rule:
        """``rule``, or the block rule an escalation names when its context precedes the hit
        (``before_hit``: the 12 characters before it; the context must be in the same clause)."""
        for before, target, starter in self.checker.escalate[rule.priority]:
            if starter is not None and not self.starter_before(starter, start, 12):
                continue  # no character the regex can start with: it cannot match
            if before.search(_CLAUSE_END.split(before_hit)[-1]):
                return target
        return rule

    def has_evidence(self, start: int, end: int) -> bool:
        """A cited source, a period and a region within the evidence window of ``norm[start:end]``."""
        if self.near_none:
            return False  # one of them occurs nowhere in the text
        w = self.checker.evidence_window
        lo, hi = max(0, start - w), min(len(self.norm), end + w)
        for i, regex in enumerate(self.checker.evidence_res):
            if not self.checker.evidence_whole[i]:
                found = regex.search(self.norm[lo:hi]) is not None  # the window alone
            else:
                near = self.near[i]
                if near is None:
                    near = self.near[i] = Near(regex, self.norm)
                    self.near_none = not near.starts
                found = near(lo, hi)
            if not found:
                return False
        return True

    def starter_before(self, starter: int, start: int, width: int) -> bool:
        """A character of escalation ``starter`` in ``norm[start - width : start]``."""
        starts = self.starts.get(starter)
        if starts is None:
            regex = self.checker.starters[starter]
            starts = self.starts[starter] = [m.start() for m in regex.finditer(self.norm)]
        k = bisect_left(starts, start)
        return k > 0 and starts[k - 1] >= start - width


def _longest_first(candidates: list[tuple]) -> list[tuple]:
    """The candidates that win, by start: longest first, block before review, earlier rule
    first; a candidate overlapping one already taken is dropped.

    Taking a candidate only drops candidates that overlap it, so each run of
    overlapping candidates (found in one sweep by start) is settled on its own,
    in the same order as over the whole text: the result is the same, without
    sorting every candidate by length.
    """
    candidates.sort(key=_start_key)
    last_end = 0
    for cand in candidates:
        if cand[3] < last_end:
            break
        last_end = cand[4]
    else:
        return candidates  # none overlaps another: all win
    taken: list[tuple] = []
    add = taken.append
    i, n = 0, len(candidates)
    while i < n:
        first = candidates[i]
        end, j = first[4], i + 1
        while j < n and candidates[j][3] < end:
            if candidates[j][4] > end:
                end = candidates[j][4]
            j += 1
        if j == i + 1:
            add(first)
        elif j == i + 2:  # two that overlap: the better one
            add(min(first, candidates[i + 1]))
        else:
            taken += _settle(candidates[i:j])
        i = j
    return taken


def _settle(run: list[tuple]) -> list[tuple]:
    """``_longest_first`` for one run of overlapping candidates (sorted by start)."""
    base = run[0][3]
    taken_at = bytearray(max(cand[4] for cand in run) - base)
    run.sort()  # plain tuple order is (-length, -tier rank, priority, start): the order wanted
    taken = []
    for cand in run:
        start, end = cand[3] - base, cand[4] - base
        if taken_at.find(1, start, end) < 0:
            taken_at[start:end] = b"\x01" * (end - start)
            taken.append(cand)
    taken.sort(key=_start_key)
    return taken


def _rule(raw: dict, index: int, bases: dict) -> Rule:
    tier = raw["tier"]
    if tier not in TIER_RANK:
        raise ValueError(f"adlaw_terms: rule {raw['id']}: unknown tier {tier}")
    return Rule(
        raw["id"],
        tier,
        bases[raw["basis"]],
        raw["message"],
        bool(raw.get("ranking")),
        index,
        TIER_RANK[tier],
    )


_start_key = itemgetter(3)
_span = re.Match.span
