"""Rebuild tests/data/names_listed_companies.tsv (run by hand).

    python bench/build_names_corpus.py PAGE [PAGE ...]

Each PAGE is a text file holding, in order, the stored text of
data/data-simple/stock-pinyin-simple.json of the public repository
github.com/eeeqxxtg/cninfo-spider (commit 74b439d92417a853acb126aa3c5a79b849c87af4;
licence ISC, as its package.json declares), as the search tool's ``read_file``
returns it page by page (16,000 characters a page; a page may end inside an
entry, so the pages are joined before they are split). The file is one string
of ``code-short name-abbreviation`` entries separated by ``|``: every security
listed in 2017 with the pinyin abbreviation (拼音缩写) that 巨潮资讯 (cninfo,
the disclosure site designated by the CSRC) publishes for its short name.

Kept as published, except:
- only A shares (codes 000, 001, 002, 300, 600, 601, 603): B shares and Hong
  Kong entries are left out;
- the name is NFKC-normalised and its padding spaces dropped (万  科Ａ → 万科A),
  the abbreviation upper-cased;
- ``STALE`` leaves out abbreviations that spell an earlier name of the company
  (中国长城 CCDN is 长城电脑's); ``S*ST`` names, whose abbreviation drops the
  S, are left out too.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "tests" / "data" / "names_listed_companies.tsv"
A_SHARES = ("000", "001", "002", "300", "600", "601", "603")
ENTRY = re.compile(r"(\d{5,6})-(.+)-([0-9A-Za-z*]+)")
# name -> the earlier name its published abbreviation spells
STALE = {"中国长城": "长城电脑"}

HEADER = """\
# Listed-company short names (A shares, SSE / SZSE, as of 2017) with the pinyin
# abbreviation (拼音缩写) that 巨潮资讯 (cninfo) publishes: the evaluation corpus
# for aexl.codes (tests/test_codes.py, bench/bench_codes.py). Not used to build
# aexl/data/gazetteer_places.tsv.
# Source: github.com/eeeqxxtg/cninfo-spider, commit
#   74b439d92417a853acb126aa3c5a79b849c87af4,
#   data/data-simple/stock-pinyin-simple.json (licence ISC, as the
#   repository's package.json declares), read as stored text. Built by
#   bench/build_names_corpus.py (names NFKC-normalised, padding spaces dropped;
#   B shares, Hong Kong entries, S*ST names and stale abbreviations left out).
# Columns: name, code (the abbreviation, upper-case), exchange, note.
"""


def entries(text: str) -> list[tuple[str, str, str]]:
    """(security code, name, abbreviation) of every entry of the joined pages."""
    body = text.replace("\n", "")
    body = body.removeprefix('{"data":"').split('"', 1)[0]
    out = []
    for item in body.split("|"):
        match = ENTRY.fullmatch(item.strip())
        if match:
            out.append(match.groups())
    return out


def rows(text: str) -> tuple[list[tuple[str, str, str, str]], int]:
    kept, dropped = [], 0
    for number, raw_name, abbreviation in entries(text):
        if not number.startswith(A_SHARES) or len(number) != 6:
            continue
        name = unicodedata.normalize("NFKC", raw_name).replace(" ", "")
        if name in STALE or name.startswith("S*ST"):
            dropped += 1
            continue
        exchange = "SSE" if number.startswith("6") else "SZSE"
        kept.append((name, abbreviation.upper(), exchange, ""))
    return kept, dropped


def main(pages: list[str]) -> None:
    text = "".join(Path(page).read_text(encoding="utf-8").rstrip("\n") for page in pages)
    kept, dropped = rows(text)
    tmp = OUT.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(HEADER)
        fh.write("name\tcode\texchange\tnote\n")
        for row in kept:
            fh.write("\t".join(row) + "\n")
    tmp.replace(OUT)
    print(f"{len(kept)} names written to {OUT}, {dropped} left out (stale or S*ST)")


if __name__ == "__main__":
    main(sys.argv[1:])
