"""Scores of the copy check on labelled corpora (``tests/data/copy_*.tsv``).

Used by ``tests/test_copycheck.py`` (which holds the targets) and by
``bench/bench_copycheck.py`` (which prints them beside a plain word list's).
A corpus row is ``(sentence, article, tier, source)``; tier is ``block``,
``review`` or ``none`` (should not be flagged at all).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

NONE = "none"

# The "极限词" list as circulated on many shop-owner pages since the 2015 law
# (e.g. https://hoho.im/2015/09/03/wechat-2015-09-03-012527/), used the usual
# way: a sentence is flagged when any word is a substring of it.
WORD_LIST = [
    "国家级",
    "世界级",
    "最高级",
    "最佳",
    "最大",
    "第一",
    "唯一",
    "首个",
    "首选",
    "最好",
    "精确",
    "顶级",
    "最高",
    "最低",
    "最",
    "最具",
    "最便宜",
    "最新",
    "最先进",
    "最大程度",
    "最新技术",
    "最先进科学",
    "国家级产品",
    "填补国内空白",
    "绝对",
    "独家",
    "首家",
    "第一品牌",
    "金牌",
    "名牌",
    "优秀",
    "最先",
    "全网销量第一",
    "全球首发",
    "全国首家",
    "全网首发",
    "世界领先",
    "顶级工艺",
    "最新科学",
    "最先进加工工艺",
    "最时尚",
    "极品",
    "顶尖",
    "终极",
    "最受欢迎",
    "王牌",
    "销量冠军",
    "no.1",
    "top1",
    "极致",
    "永久",
    "掌门人",
    "领袖品牌",
    "独一无二",
    "绝无仅有",
    "前无古人",
    "史无前例",
    "万能",
]


@dataclass(frozen=True)
class Row:
    sentence: str
    article: str
    tier: str
    source: str


def load(path: Path) -> list[Row]:
    """The rows of a corpus file (``#`` lines are comments; the first other line is the header)."""
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    lines = [ln for ln in lines if not ln.startswith("#")]
    header = lines[0].split("\t")
    if header != ["sentence", "article", "tier", "source"]:
        raise ValueError(f"{path.name}: unexpected header {header}")
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        cells = line.split("\t")
        if len(cells) != 4 or cells[2] not in ("block", "review", NONE) or not cells[3]:
            raise ValueError(f"{path.name}: bad row {number}: {line}")
        rows.append(Row(*cells))
    return rows


def word_list_tier(sentence: str) -> str:
    """The plain word list's verdict: ``review`` when any word occurs, else ``none``."""
    folded = sentence.casefold()
    return "review" if any(word in folded for word in WORD_LIST) else NONE


def checker_tier(sentence: str) -> str:
    """The copy check's verdict: the highest tier of its findings, ``none`` when clean."""
    from aexl.copycheck import BLOCK, check_text

    tiers = {hit.tier for hit in check_text(sentence)}
    return BLOCK if BLOCK in tiers else (next(iter(tiers)) if tiers else NONE)


@dataclass(frozen=True)
class Score:
    n: int
    flagged: int
    blocked: int
    misses: tuple[str, ...]  # sentences not flagged (or flagged, for clean rows)

    @property
    def flagged_rate(self) -> float:
        return self.flagged / self.n if self.n else 0.0

    @property
    def blocked_rate(self) -> float:
        return self.blocked / self.n if self.n else 0.0


def score(sentences: list[str], verdict, expect_flag: bool) -> Score:
    """How many of ``sentences`` ``verdict`` flags; ``misses`` lists the wrong ones."""
    tiers = [verdict(s) for s in sentences]
    flagged = sum(t != NONE for t in tiers)
    blocked = sum(t == "block" for t in tiers)
    wrong = tuple(s for s, t in zip(sentences, tiers, strict=True) if (t == NONE) == expect_flag)
    return Score(len(sentences), flagged, blocked, wrong)


def report(data_dir: Path, verdict) -> dict[str, Score]:
    """The four scores the targets are set on, for one verdict function.

    ``penalty``: sentences from penalty decisions (all should be flagged,
    at block tier); ``should_flag``: those plus every other row labelled
    block or review; ``ordinary``: rows labelled none (should stay clean);
    ``ordinary_block``: the same rows, counting block-tier findings only.
    """
    penalty = load(data_dir / "copy_penalty.tsv")
    ordinary = load(data_dir / "copy_ordinary.tsv")
    risky_ordinary = [r.sentence for r in ordinary if r.tier != NONE]
    clean = [r.sentence for r in ordinary if r.tier == NONE]
    should = [r.sentence for r in penalty] + risky_ordinary
    return {
        "penalty": score([r.sentence for r in penalty], verdict, True),
        "should_flag": score(should, verdict, True),
        "ordinary": score(clean, verdict, False),
    }
