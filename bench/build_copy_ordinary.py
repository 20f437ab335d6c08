"""Rebuild the AdvertiseGen rows of tests/data/copy_ordinary.tsv (run by hand).

    python bench/build_copy_ordinary.py DEV_JSONL [--check]

DEV_JSONL is a text file holding the stored text of AdvertiseGen/dev.json of
the public repository github.com/chibinjiang/ChatGLM2-6Bin (commit
329a6cd14435080f70b146fdf2e098b7d7ec46d8), as the search tool's ``read_file``
returns it page by page (16,000 characters a page; the pages joined without
anything between them: 198,998 characters, 1,070 lines, one JSON object with
``content`` and ``summary`` a line). Keep that file outside the repository,
e.g. /tmp/adgen/dev.jsonl.

Selection (written into the corpus header too):
- each ``summary`` is split into sentences after 。！？ (the mark kept);
- sentences holding the data set's masking tokens (BRAND, 彬哥, <UNK>) are
  left out; a sentence met twice is kept once, cited at its first line;
- every sentence holding a trigger (``TRIGGERS``) is taken, then ``DRAW`` of
  the other sentences, ``random.Random(SEED).sample`` from them in file order.

Labels: a trigger sentence keeps the article and tier the corpus already gives
it (a person's reading of Art. 9(3), see the header); a trigger sentence with
no label yet stops the build and is printed, to be labelled by hand in the
corpus first. Drawn sentences are labelled none. Rows from other sources (the
plain-fact sentences at the end) are kept as they are.

``--check`` writes nothing and exits 1 when the corpus would change.
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path
from typing import NoReturn

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "copy_ordinary.tsv"
REPO = "chibinjiang/ChatGLM2-6Bin"
COMMIT = "329a6cd14435080f70b146fdf2e098b7d7ec46d8"
URL = f"https://github.com/{REPO}/blob/{COMMIT}/AdvertiseGen/dev.json"
SEED = 20261110
DRAW = 75
MASKS = ("BRAND", "彬哥", "<UNK>")
# The plain word list of aexl/copycheck/evaluate.py (WORD_LIST), shortened to the
# words no other word here contains, plus 首, 唯一, 百分百, 无与伦比 and the two
# widths of 100%. Matched case-insensitively.
TRIGGERS = (
    "最", "第一", "首", "唯一", "100%", "100％", "百分百", "绝对", "极致",
    "独一无二", "无与伦比", "国家级", "世界级", "世界领先", "精确", "顶级", "顶尖",
    "填补国内空白", "独家", "金牌", "名牌", "优秀", "极品", "终极", "王牌",
    "销量冠军", "no.1", "top1", "永久", "掌门人", "领袖品牌", "绝无仅有",
    "前无古人", "史无前例", "万能",
)  # fmt: skip
SENTENCE = re.compile(r"[^。！？]+[。！？]?")
COLUMNS = "sentence\tarticle\ttier\tsource"

HEADER = f"""\
# Ordinary sentences from real product pages and ad copy, and plain-fact sentences that a naive word list flags.
# AdvertiseGen: Taobao product copy, the ADGEN data set of Shao et al., "Long and Diverse Text Generation with
#   Planning-based Hierarchical Variational Model", EMNLP-IJCNLP 2019 (arXiv:1908.06605), as shipped with THUDM
#   ChatGLM-6B p-tuning. Source: AdvertiseGen/dev.json of the public repository {REPO}, commit
#   {COMMIT}, as stored in the search index and read with its read_file verb
#   (198,998 characters, 1,070 lines); "line N" is the 1-based line of that file. Licence: none stated; the
#   authors' repository (github.com/ZhihongShao/Planning-based-Hierarchical-Variational-Model) has no licence
#   file and asks users to cite the paper, and the copy read here has none either; the rows are short quotations.
# Selection (bench/build_copy_ordinary.py rebuilds it from that text): summaries split after 。！？; sentences with
#   the data set's masking tokens (BRAND, 彬哥, <UNK>) left out; every sentence containing a trigger word (最, 第一,
#   首, 唯一, 100%, 100％, 百分百, 绝对, 极致, 独一无二, 无与伦比 and the rest of the plain word list) is here,
#   plus {DRAW} others drawn with random.Random({SEED}).sample from the remaining sentences in file order.
# Labels are the project's reading of Art. 9(3) and the SAMR guide 《广告绝对化用语执法指南》 (2023):
#   none   = no claim against other products (in-product comparisons, plain facts, ordinals, material content, intensifiers);
#   review = a superlative or absolute claim about the product that a person should judge;
#   block  = a term the law names or regulators fined (独一无二, 最佳, 最好, 首选, 无与伦比 ...).
# Columns: sentence <TAB> article <TAB> tier <TAB> source
"""


def fail(message: str) -> NoReturn:
    """Stop with one message in Chinese and exit code 2 (bad input, no traceback)."""
    print(message, file=sys.stderr)
    raise SystemExit(2)


def sentences(dev: Path) -> dict[str, int]:
    """Every usable sentence of the dev set, with the 1-based line it first occurs on."""
    found: dict[str, int] = {}
    lines = dev.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        try:
            summary = json.loads(line)["summary"]
        except (ValueError, KeyError, TypeError):
            message = (
                f"{dev} 第 {number} 行不是含 summary 的 JSON：请按页完整保存 read_file 的文本。"
            )
            fail(message)
        for sentence in SENTENCE.findall(summary):
            if sentence.strip() and not any(mask in sentence for mask in MASKS):
                found.setdefault(sentence, number)
    return found


def is_trigger(sentence: str) -> bool:
    folded = sentence.casefold()
    return any(word in folded for word in TRIGGERS)


def current_rows() -> tuple[dict[str, tuple[str, str]], list[str]]:
    """Labels of the AdvertiseGen rows now in the corpus, and the other rows as they are."""
    labels: dict[str, tuple[str, str]] = {}
    others: list[str] = []
    lines = [ln for ln in CORPUS.read_text(encoding="utf-8").splitlines() if ln.strip()]
    for line in lines:
        if line.startswith("#") or line == COLUMNS:
            continue
        cells = line.split("\t")
        if "AdvertiseGen" in cells[-1]:
            labels[cells[0]] = (cells[1], cells[2])
        else:
            others.append(line)
    return labels, others


def build(dev: Path) -> str:
    """The corpus text rebuilt from ``dev``."""
    found = sentences(dev)
    labels, others = current_rows()
    triggers = [s for s in found if is_trigger(s)]
    unlabelled = [s for s in triggers if s not in labels]
    if unlabelled:
        listed = "\n".join(f"  line {found[s]}: {s}" for s in unlabelled)
        fail(f"这些含触发词的句子还没有人工标注，请先在 {CORPUS.name} 中标注：\n{listed}")
    rest = [s for s in found if not is_trigger(s)]
    drawn = sorted(random.Random(SEED).sample(rest, DRAW), key=list(found).index)

    def row(sentence: str, article: str, tier: str) -> str:
        return (
            f"{sentence}\t{article}\t{tier}\tAdvertiseGen dev.json line {found[sentence]} ({URL})"
        )

    rows = [row(s, *labels[s]) for s in triggers] + [row(s, "none", "none") for s in drawn]
    return HEADER + "\n".join([COLUMNS, *rows, *others]) + "\n"


def main(argv: list[str]) -> int:
    paths = [a for a in argv if not a.startswith("--")]
    if len(paths) != 1 or not Path(paths[0]).is_file():
        print(
            "用法：python bench/build_copy_ordinary.py DEV_JSONL [--check]（DEV_JSONL 为 read_file 读出的 dev.json 文本）"
        )
        return 2
    text = build(Path(paths[0]))
    if "--check" in argv:
        same = text == CORPUS.read_text(encoding="utf-8")
        print("corpus is up to date" if same else "corpus would change")
        return 0 if same else 1
    tmp = CORPUS.with_suffix(".tsv.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(CORPUS)
    print(f"{CORPUS}: {text.count(chr(10)) - HEADER.count(chr(10)) - 1} rows")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
