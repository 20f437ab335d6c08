"""The compiled term list and the scan (linear in the text length).

1. Normalise (``text.normalize``).
2. Mask the harmless spans: the context rules of ``adlaw_terms.toml``
   (``[[harmless]]``, each with its legal basis) are compiled into a few
   regexes and overwrite their spans, so no finding can use them.
3. Literal terms: one Aho–Corasick automaton (``pyahocorasick``) gives every
   occurrence in one pass. Patterns: each compiled once, ``finditer`` once.
4. Of all candidates the longest win, block before review, the earlier rule
   first; an occupancy array keeps them from overlapping (全网销量第一 is one
   finding, not three). Every step is linear in the text length.
5. A ranking claim with a period, a region and a cited source nearby is
   downgraded from ``block`` to ``review`` (Art. 11).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import ahocorasick

from aexl.copycheck.text import normalize

BLOCK = "block"
REVIEW = "review"
TIER_RANK = {BLOCK: 1, REVIEW: 0}
MASK_CHAR = "\x00"  # never part of a term
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
        self.patterns: list[tuple[re.Pattern, Rule]] = []
        for i, raw in enumerate(data["rule"]):
            rule = _rule(raw, i, bases)
            for term in raw.get("terms", ()):
                self.literal_rule.setdefault(term, rule)  # an earlier rule keeps a repeated term
            self.patterns.extend((re.compile(p), rule) for p in raw.get("patterns", ()))
        by_id = {}
        for i, raw in enumerate(data["rule"]):
            by_id[raw["id"]] = _rule(raw, i, bases)
        self.escalate: dict[str, list[tuple[re.Pattern, Rule]]] = {}
        for esc in data.get("escalate", ()):
            target = by_id[esc["as"]]
            for rule_id in esc["rules"]:
                self.escalate.setdefault(rule_id, []).append((re.compile(esc["before"]), target))
        self.automaton = ahocorasick.Automaton()
        for term, rule in self.literal_rule.items():
            self.automaton.add_word(term, (len(term), rule))
        if self.literal_rule:
            self.automaton.make_automaton()
        self.context_bases = {}
        sources = []
        for block in data.get("harmless", ()):
            if block.get("basis") not in bases:
                raise ValueError(f"adlaw_terms: harmless {block.get('why')!r}: unknown basis")
            sources.extend(block["patterns"])
        self.mask_re = re.compile("|".join(f"(?:{s})" for s in sources)) if sources else None
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

    def normalize(self, text: str):
        return normalize(text, self.t2s, self.t2s_re)

    def mask(self, norm: str) -> str:
        """``norm`` with the harmless spans overwritten (same length)."""
        if self.mask_re is None:
            return norm
        return self.mask_re.sub(lambda m: MASK_CHAR * (m.end() - m.start()), norm)

    def candidates(self, masked: str) -> list[tuple]:
        """``(-length, -tier rank, rule priority, start, end, rule)`` for every match."""
        out: list[tuple] = []
        add = out.append
        if self.literal_rule:
            for end, (length, rule) in self.automaton.iter(masked):
                start = end + 1 - length
                add((-length, -rule.rank, rule.priority, start, end + 1, rule))
        for regex, rule in self.patterns:
            for m in regex.finditer(masked):
                a, b = m.span()
                if b > a:
                    add((a - b, -rule.rank, rule.priority, a, b, rule))
        return out

    def check(self, text: str, hit_type) -> list:
        if not text:
            return []
        norm, offsets = self.normalize(text)
        candidates = self.candidates(self.mask(norm))
        if not candidates:
            return []
        candidates.sort(key=_sort_key)
        taken_at = bytearray(len(norm) + 1)
        taken = []
        for cand in candidates:  # longest first, then no overlaps
            start, end = cand[3], cand[4]
            if not any(taken_at[start:end]):
                taken_at[start:end] = b"\x01" * (end - start)
                taken.append(cand)
        taken.sort(key=_start_key)
        hits = []
        for _, _, _, start, end, rule in taken:
            rule = self._escalated(norm, start, rule)
            evidence = rule.ranking and self._has_evidence(norm, start, end)
            key = (norm[start:end], rule, evidence)
            shown = self._shown.get(key)
            if shown is None:
                shown = self._shown[key] = self._describe(*key)
            if offsets is not None:
                start, end = offsets(start), offsets(end - 1) + 1
            hits.append(hit_type(shown[0], start, end, *shown[1:]))
        return hits

    def _escalated(self, norm: str, start: int, rule: Rule) -> Rule:
        """``rule``, or the block rule an escalation names when its context precedes the hit."""
        for before, target in self.escalate.get(rule.id, ()):
            clause = _CLAUSE_END.split(norm[max(0, start - 12) : start])[-1]
            if before.search(clause):
                return target
        return rule

    def _describe(self, matched: str, rule: Rule, evidence: bool) -> tuple[str, str, str, str]:
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


def _sort_key(cand: tuple) -> tuple:
    return cand[:4]


def _start_key(cand: tuple) -> int:
    return cand[3]
