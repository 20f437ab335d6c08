"""Advertising-Law copy check: corpus, normalisation, masking, offsets, CLI, workbook."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import openpyxl
import pytest

from aexl.copycheck import (
    BLOCK,
    DISCLAIMER,
    REVIEW,
    TERMS_FILE,
    CopyHit,
    check_frame,
    check_text,
    check_texts,
    summarize,
)

CORPUS = Path(__file__).parent / "data" / "copy_corpus.tsv"
MAX_FALSE_POSITIVE_RATE = 0.02


def load_corpus() -> list[tuple[str, str, frozenset[tuple[str, str]]]]:
    rows = []
    lines = [ln for ln in CORPUS.read_text(encoding="utf-8").splitlines() if ln.strip()]
    lines = [ln for ln in lines if not ln.startswith("#")]
    assert lines[0].split("\t") == ["sector", "sentence", "expected"]
    for line in lines[1:]:
        sector, sentence, expected = (line.split("\t") + [""])[:3]
        pairs = frozenset(tuple(item.split(":")) for item in expected.split("|") if item)
        assert all(tier in (BLOCK, REVIEW) for _, tier in pairs), line
        rows.append((sector, sentence, pairs))
    return rows


ROWS = load_corpus()


def found(text: str) -> set[tuple[str, str]]:
    return {(h.term, h.tier) for h in check_text(text)}


# ------------------------------------------------------------------ corpus --


def test_corpus_is_big_and_mixed():
    risky = [r for r in ROWS if r[2]]
    harmless = [r for r in ROWS if not r[2]]
    assert len(ROWS) >= 150
    assert len(risky) >= 60 and len(harmless) >= 60
    assert {"家电", "食品", "化妆品", "金融", "教育", "医疗健康"} <= {r[0] for r in ROWS}
    assert len({r[1] for r in ROWS}) == len(ROWS), "duplicate sentences"


@pytest.mark.parametrize(("sector", "sentence", "expected"), ROWS, ids=[r[1] for r in ROWS])
def test_corpus_sentence_finds_what_it_should(sector, sentence, expected):
    got = found(sentence)
    missing = expected - got
    assert not missing, f"{sector}: missed {sorted(missing)}; found {sorted(got)}"


def test_corpus_no_missed_block_term():
    missed = [
        (sentence, term)
        for _, sentence, expected in ROWS
        for term, tier in expected
        if tier == BLOCK and (term, BLOCK) not in found(sentence)
    ]
    assert missed == []


def test_corpus_false_positives_within_bound():
    # a false positive: a reported (term, tier) the sentence does not expect
    extra = [
        (sentence, pair) for _, sentence, expected in ROWS for pair in found(sentence) - expected
    ]
    harmless = [s for _, s, expected in ROWS if not expected]
    flagged_harmless = [s for s in harmless if check_text(s)]
    assert len(extra) / len(ROWS) <= MAX_FALSE_POSITIVE_RATE, extra
    assert len(flagged_harmless) / len(harmless) <= MAX_FALSE_POSITIVE_RATE, flagged_harmless


BLOCK_LITERALS = sorted(
    {
        t
        for rule in tomllib.loads(TERMS_FILE.read_text(encoding="utf-8"))["rule"]
        if rule["tier"] == BLOCK
        for t in rule.get("terms", ())
    }
)


@pytest.mark.parametrize("term", BLOCK_LITERALS)
def test_every_block_literal_is_found_at_block(term):
    assert any(tier == BLOCK and term in t for t, tier in found(f"这是{term}的产品")), term


def test_term_list_is_written_normalised():
    from aexl.copycheck import _checker

    checker = _checker()
    data = tomllib.loads(TERMS_FILE.read_text(encoding="utf-8"))
    for rule in data["rule"]:
        assert rule["basis"] in data["basis"]
        assert "{term}" in rule["message"]
        for term in rule.get("terms", ()):
            assert checker.normalize(term)[0] == term, term
    t2s = data["t2s"]
    assert len(t2s["from"]) == len(t2s["to"]) == len(set(t2s["from"]))


# ----------------------------------------------------------- normalisation --


@pytest.mark.parametrize(
    ("text", "term", "span"),
    [
        ("最 好", "最好", (0, 3)),
        ("最\u200b好", "最好", (0, 3)),
        ("最\u3000佳的选择", "最佳", (0, 3)),
        ("这是最\ufeff佳的", "最佳", (2, 5)),
        ("ＮＯ．１", "NO.1", (0, 4)),
        ("我们是 No.1", "NO.1", (4, 8)),
        ("Top 1", "TOP1", (0, 5)),
        ("TOP1", "TOP1", (0, 4)),
        ("ｔｏｐ　１爆款", "TOP1", (0, 5)),
        ("１００％有效", "100%有效", (0, 6)),
        ("100 % 有效", "100%有效", (0, 8)),
        ("國家級工藝", "国家级", (0, 3)),
        ("全網銷量第一", "全网销量第一", (0, 6)),
        ("行 业 第 一", "行业第一", (0, 7)),
    ],
)
def test_normalisation(text, term, span):
    hits = check_text(text)
    assert [(h.term, h.tier) for h in hits] == [(term, BLOCK)]
    assert (hits[0].start, hits[0].end) == span


@pytest.mark.parametrize(
    "text",
    ["top 10 机型", "Top10 榜单", "piano 1 号", "laptop1 配件", "型号 NO.12", "No.1.5 版本"],
)
def test_latin_lookalikes_are_not_rankings(text):
    assert found(text) == set()


# ------------------------------------------------- ranking in any numerals --


@pytest.mark.parametrize(
    ("text", "term", "span"),
    [
        ("第一品牌", "第一品牌", (0, 4)),
        ("第1品牌", "第一品牌", (0, 4)),
        ("第１品牌", "第一品牌", (0, 4)),
        ("第壹品牌", "第一品牌", (0, 4)),
        ("我们是第 1 品牌", "第一品牌", (3, 9)),
        ("全国第1", "全国第一", (0, 4)),
        ("全國第１的品牌", "全国第一的品牌", (0, 7)),
        ("销量No.1", "销量NO.1", (0, 6)),
        ("銷量ＮＯ．１", "销量NO.1", (0, 6)),
        ("行业TOP1", "行业TOP1", (0, 6)),
        ("行業ＴＯＰ　１", "行业TOP1", (0, 7)),
        ("排名第一", "排名第一", (0, 4)),
        ("排名第1", "排名第一", (0, 4)),
        ("排名第壹", "排名第一", (0, 4)),
        ("排行第一", "排行第一", (0, 4)),
        ("名列第一", "名列第一", (0, 4)),
        ("位居第一", "位居第一", (0, 4)),
        ("位居第1", "位居第一", (0, 4)),
        ("位列第１", "位列第一", (0, 4)),
        ("稳居榜首", "稳居榜首", (0, 4)),
        ("排名No.1", "排名NO.1", (0, 6)),
        ("荣登销量榜第1", "销量榜第一", (2, 7)),
        ("业内首屈一指", "首屈一指", (2, 6)),
        ("獨佔鰲頭", "独占鳌头", (0, 4)),
    ],
)
def test_ranking_claims_read_alike_in_any_numerals(text, term, span):
    hits = check_text(text)
    assert [(h.term, h.tier) for h in hits] == [(term, BLOCK)]
    assert (hits[0].start, hits[0].end) == span


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("第1名", {("第一", REVIEW)}),  # a bare rank: review, as 第一名
        ("第12名", set()),
        ("第1.5代", set()),
        ("第1,000位顾客", set()),
        ("第1次", set()),
        ("第１季度", set()),
        ("第壹届", set()),
    ],
)
def test_ordinal_one_only_where_it_is_one(text, expected):
    assert found(text) == expected


def test_ranking_with_evidence_in_arabic_numerals_is_review():
    text = "2025年1-6月京东平台洗衣机销量第1（数据来源：京东商智）"
    assert found(text) == {("销量第一", REVIEW)}


# ------------------------------------------------------------ 最 + adjective --


@pytest.mark.parametrize(
    "term",
    [
        # the product's quality, grade, performance level, efficacy, safety, price:
        # the same claim as Art. 9(三)'s 最高级 / 最佳
        "最好",
        "最佳",
        "最优",
        "最优秀",
        "最优质",
        "最高级",
        "最高端",
        "最先进",
        "最完美",
        "最有效",
        "最安全",
        "最健康",
        "最低价",
        "最便宜",
    ],
)
def test_superlatives_about_the_product_are_block(term):
    assert found(f"这是{term}的产品") == {(term, BLOCK)}


@pytest.mark.parametrize(
    ("text", "term"),
    [("最優質", "最优质"), ("最先進", "最先进"), ("最高級", "最高级"), ("最低價", "最低价")],
)
def test_superlatives_in_traditional_characters(text, term):
    assert found(text) == {(term, BLOCK)}


@pytest.mark.parametrize(
    "term",
    # measurable (often a same-brand comparison), popularity (a statistic), or generic
    [
        "最大",
        "最强",
        "最新",
        "最快",
        "最轻",
        "最火",
        "最专业",
        "最权威",
        "最舒适",
        "最实惠",
    ],
)
def test_generic_superlatives_are_review(term):
    assert found(f"这是{term}的产品") == {(term, REVIEW)}


@pytest.mark.parametrize(
    "text",
    ["最健康的吃法是清蒸", "最安全的使用方法是遵医嘱", "最佳的冲泡方法", "每周最多上3节课"],
)
def test_superlative_usage_tips_and_limits_are_masked(text):
    assert check_text(text) == []


def test_space_between_latin_words_is_kept():
    # "hello no.1": the space keeps 'hello' from gluing to 'no'
    assert found("Hello No.1") == {("NO.1", BLOCK)}


# ----------------------------------------------------------------- masking --


@pytest.mark.parametrize(
    "text",
    [
        "第一次",
        "第一步",
        "第一季度",
        "第一届",
        "第3点",
        "最近",
        "最后",
        "最终",
        "首次",
        "首页",
        "首付",
        "首个工作日",
        "最佳赏味期",
        "国家级非物质文化遗产",
        "100%棉",
        "追求极致",
        # and a few SAMR exemptions around them
        "国家级高新技术企业",
        "力争第一",
        "开封后最好冷藏",
        "非保本浮动收益",
        "本品不能代替药物",
        "本品不可以代替药物",
        "投资并非毫无风险",
    ],
)
def test_harmless_uses_are_masked(text):
    assert check_text(text) == []


def test_mask_only_covers_the_harmless_span():
    assert found("第一次就选最好的") == {("最好", BLOCK)}
    assert found("100%棉，100%有效") == {("100%有效", BLOCK)}
    assert found("国家级非遗，国家级品质") == {("国家级", BLOCK)}


# ----------------------------------------------------------- longest match --


def test_longest_match_reported_once():
    hits = check_text("全网销量第一")
    assert [(h.term, h.tier, h.start, h.end) for h in hits] == [("全网销量第一", BLOCK, 0, 6)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("销量第一", [("销量第一", BLOCK)]),
        ("行业第一品牌", [("行业第一品牌", BLOCK)]),
        ("最佳赏味期内最佳口感", [("最佳", BLOCK)]),
        ("最顶级", [("顶级", BLOCK)]),  # the block term wins over 最+X
        ("荣获最佳创意奖", [("最佳创意奖", REVIEW)]),  # an award name, not 最佳
        ("世界冠军推荐", [("冠军", REVIEW)]),  # an athlete's title
        ("100%有效", [("100%有效", BLOCK)]),
        ("治疗效果", [("治疗", BLOCK)]),
    ],
)
def test_overlaps_resolve_to_one_finding(text, expected):
    assert [(h.term, h.tier) for h in check_text(text)] == expected


# ---------------------------------------------------------- ranking + proof --


def test_ranking_claim_with_period_region_source_is_review():
    text = "2025年1-6月京东平台洗衣机销量第一（数据来源：京东商智）"
    (hit,) = check_text(text)
    assert (hit.term, hit.tier) == ("销量第一", REVIEW)
    assert "第十一条" in hit.basis
    assert "请核实" in hit.message


@pytest.mark.parametrize(
    "text",
    [
        "洗衣机销量第一（数据来源：京东商智）",  # no period
        "2025年洗衣机销量第一",  # no source
    ],
)
def test_ranking_claim_without_full_evidence_stays_block(text):
    assert found(text) == {("销量第一", BLOCK)}


def test_evidence_never_downgrades_a_plain_absolute_term():
    assert found("2025年全国最佳（数据来源：某机构）") == {("最佳", BLOCK)}


# ------------------------------------------------------- offsets and shape --


def test_offsets_index_the_original_text():
    text = "【新品】ＴＯＰ　１的空调，最\u200b佳静音，國家級工艺，１００％有效，½价"
    hits = check_text(text)
    assert [h.term for h in hits] == ["TOP1", "最佳", "国家级", "100%有效"]
    assert [text[h.start : h.end] for h in hits] == [
        "ＴＯＰ　１",
        "最\u200b佳",
        "國家級",
        "１００％有效",
    ]


def test_offsets_after_a_character_that_expands():
    text = "㎡大空间，最好的选择"  # ㎡ becomes two characters under NFKC
    (hit,) = check_text(text)
    assert text[hit.start : hit.end] == "最好"


def test_every_hit_has_basis_and_chinese_advice():
    for _, sentence, _ in ROWS:
        for hit in check_text(sentence):
            assert isinstance(hit, CopyHit)
            assert hit.basis.startswith("《广告法》")
            assert hit.tier in (BLOCK, REVIEW)
            assert f"「{hit.term}」" in hit.message
            assert "请" in hit.message  # says what to do
    (review,) = check_text("首款AI冰箱")
    assert "请核实" in review.message and "来源/时间/范围" in review.message
    assert "第十一条" in review.message
    (block,) = check_text("品质最佳")
    assert "删除" in block.message


def test_summarize():
    assert summarize(check_text("品质最佳，行业第一次，首款新品")) == "最佳[禁用]; 首款[需核实]"
    assert summarize(check_text("最佳最佳")) == "最佳[禁用]"
    assert summarize([]) == ""


def test_check_texts_keeps_shape_and_blank_cells():
    nan = float("nan")
    out = check_texts(["最佳", None, "", nan, 100, "最佳", "第一次"])
    assert [summarize(h) for h in out] == ["最佳[禁用]", "", "", "", "", "最佳[禁用]", ""]


def test_module_imports_without_pandas():
    code = "import sys, aexl.copycheck; print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# ----------------------------------------------------------------- frames --


def test_check_frame_reports_sheet_row_column():
    import pandas as pd

    df = pd.DataFrame(
        {
            "工作号": ["XHSP2026001", "XHSP2026002"],
            "标题": ["全网销量第一", None],
            "正文": ["开封后最好冷藏", "首款新品，品质最佳"],
            "口号": [None, "好味道"],
            "_row": [2, 5],
        }
    )
    findings = check_frame(df, "文案")
    assert [(f.row, f.column, f.term, f.tier) for f in findings] == [
        (2, "标题", "全网销量第一", BLOCK),
        (5, "正文", "首款", REVIEW),
        (5, "正文", "最佳", BLOCK),
    ]
    d = findings[2].as_dict()
    assert list(d) == [
        "text",
        "sheet",
        "row",
        "column",
        "term",
        "start",
        "end",
        "tier",
        "basis",
        "message",
    ]
    assert d["text"][d["start"] : d["end"]] == "最佳"


# --------------------------------------------------------------------- CLI --


def aexl(*args, stdin: str | None = None):
    """The command in this process (tests/conftest.py); with ``stdin``, a real process
    reading a real pipe."""
    if stdin is None:
        from conftest import run_aexl

        return run_aexl(*args)
    return subprocess.run(
        [sys.executable, "-m", "aexl", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**__import__("os").environ, "PYTHONIOENCODING": "utf-8"},
    )


def test_cli_human_output_and_exit_1():
    out = aexl("copycheck", "全网销量第一，品质最佳", "开封后最好冷藏")
    assert out.returncode == 1, out.stderr
    assert "[禁用] 全网销量第一" in out.stdout
    assert "[禁用] 最佳" in out.stdout
    assert "《广告法》第九条第（三）项" in out.stdout
    assert out.stdout.count("不构成法律意见") == 1


def test_cli_clean_text_exit_0():
    out = aexl("copycheck", "第一次见面，最佳赏味期30天")
    assert out.returncode == 0, out.stderr
    assert "未发现" in out.stdout
    assert "不构成法律意见" in out.stdout


def test_cli_json():
    text = "ＴＯＰ　１的空调"
    out = aexl("copycheck", "--json", text, "首款冰箱")
    assert out.returncode == 1, out.stderr
    data = json.loads(out.stdout)
    assert [d["term"] for d in data] == ["TOP1", "首款"]
    first = data[0]
    assert list(first) == ["text", "term", "start", "end", "tier", "basis", "message"]
    assert first["text"][first["start"] : first["end"]] == "ＴＯＰ　１"
    assert first["tier"] == "block"
    assert "不构成法律意见" in out.stderr


def test_cli_json_clean_is_empty_list():
    out = aexl("copycheck", "--json", "第一季度新品")
    assert out.returncode == 0
    assert json.loads(out.stdout) == []


def test_cli_reads_stdin_one_text_per_line():
    out = aexl("copycheck", "--json", stdin="第一次见面\n\n最 好的空调\n")
    assert out.returncode == 1
    data = json.loads(out.stdout)
    assert [(d["text"], d["term"], d["start"], d["end"]) for d in data] == [
        ("最 好的空调", "最好", 0, 3)
    ]


def test_cli_help_has_example():
    out = aexl("copycheck", "--help")
    assert out.returncode == 0
    assert "示例" in out.stdout and "aexl copycheck" in out.stdout


# ---------------------------------------------------------------- workbook --


def write_book(path: Path, sheets: dict[str, list[list]]) -> Path:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


COPY_HEADER = ["工作号", "版本", "标题", "正文", "口号", "LOGO"]


def test_cli_book_mode(tmp_path):
    book = write_book(
        tmp_path / "星河食品_AE工作台.xlsx",
        {
            "文案": [
                # shuffled header with stray spaces and an extra column
                [" 正文", "工作号", "标题 ", "版本", "口号", "LOGO", "备注"],
                [
                    "开封后最好冷藏，最佳赏味期7天",
                    "XHSP2026001",
                    "新品上市",
                    "V1",
                    "好味道",
                    "是",
                    "x",
                ],
                [None] * 7,
                ["保本保息，稳赚不赔", "XHSP2026002", "全网销量第一", "V2", None, "否", None],
            ]
        },
    )
    out = aexl("copycheck", "--book", str(book), "--json")
    assert out.returncode == 1, out.stderr
    data = json.loads(out.stdout)
    assert [(d["sheet"], d["row"], d["column"], d["term"], d["tier"]) for d in data] == [
        ("文案", 4, "标题", "全网销量第一", "block"),
        ("文案", 4, "正文", "保本保息", "block"),
        ("文案", 4, "正文", "稳赚不赔", "block"),
    ]
    for d in data:
        assert d["text"][d["start"] : d["end"]] == d["term"]

    human = aexl("copycheck", "--book", str(book))
    assert human.returncode == 1
    assert "文案表 第4行「标题」" in human.stdout


def test_cli_book_clean(tmp_path):
    book = write_book(
        tmp_path / "clean.xlsx",
        {"文案": [COPY_HEADER, ["XHSP2026001", "V1", "新品上市", "第一口就爱上", "好味道", "是"]]},
    )
    out = aexl("copycheck", "--book", str(book))
    assert out.returncode == 0, out.stdout + out.stderr


def test_cli_book_without_copy_sheet_is_a_user_error(tmp_path):
    book = write_book(tmp_path / "no_copy.xlsx", {"品牌": [["客户", "品牌"]]})
    out = aexl("copycheck", "--book", str(book))
    assert out.returncode == 2
    assert "文案" in out.stderr and "no_copy.xlsx" in out.stderr
    assert "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1


def test_cli_missing_book_is_a_user_error(tmp_path):
    out = aexl("copycheck", "--book", str(tmp_path / "nope.xlsx"))
    assert out.returncode == 2
    assert "Traceback" not in out.stderr


def test_disclaimer_is_advice_not_ruling():
    assert "提示仅供参考，不构成法律意见" in DISCLAIMER


# ------------------------------------------- corpora from public sources --
# tests/data/copy_penalty.tsv: sentences quoted from published penalty
# decisions; tests/data/copy_ordinary.tsv: real product copy and plain facts.
# Targets (issue 13): >= 98 % of the should-flag rows flagged, every penalty
# sentence flagged and >= 90 % of them at block tier, <= 5 % of the ordinary
# rows flagged at any tier and none at block tier.

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def scores():
    from aexl.copycheck.evaluate import checker_tier, report

    return report(DATA, checker_tier)


def test_corpora_are_big_enough_and_sourced():
    from aexl.copycheck.evaluate import load

    penalty, ordinary = load(DATA / "copy_penalty.tsv"), load(DATA / "copy_ordinary.tsv")
    assert len(penalty) >= 60
    assert sum(r.tier == "none" for r in ordinary) >= 100
    assert all("http" in r.source for r in penalty + ordinary)
    sentences = [r.sentence for r in penalty + ordinary]
    assert len(set(sentences)) == len(sentences), "duplicate sentences"


def test_every_penalty_sentence_is_flagged(scores):
    assert scores["penalty"].misses == ()
    assert scores["penalty"].blocked_rate >= 0.90


def test_should_flag_rows_are_flagged(scores):
    assert scores["should_flag"].flagged_rate >= 0.98, scores["should_flag"].misses


def test_ordinary_rows_stay_clean(scores):
    assert scores["ordinary"].flagged_rate <= 0.05, scores["ordinary"].misses
    assert scores["ordinary"].blocked == 0


def test_word_list_baseline_is_worse(scores):
    from aexl.copycheck.evaluate import report, word_list_tier

    baseline = report(DATA, word_list_tier)
    assert baseline["ordinary"].flagged_rate > scores["ordinary"].flagged_rate
    assert baseline["penalty"].flagged_rate < scores["penalty"].flagged_rate


# ------------------------------------------------------ context rules ----
# Each harmless use below is one of the context rules ([[harmless]] in
# adlaw_terms.toml), with the SAMR guide's situation as its basis.


@pytest.mark.parametrize(
    "text",
    [
        "顾客第一，服务至上",  # service attitude
        "质量第一，信誉至上",
        "我们力争成为行业第一",  # aspiration with words in between
        "立志做中国最好的咖啡",
        "本店最新款连衣裙",  # in-brand comparison
        "这款裙子最大的亮点在于腰封设计",  # in-product comparison
        "明天最低气温11℃，最高气温18℃",  # a temperature
        "最低申购金额1元",  # an order minimum
        "最低消费50元",
        "最新到货：春季外套",  # newest arrivals
        "第一位到店的顾客送玫瑰一枝",  # queue ordinal
        "第一季度业绩说明会",  # time ordinal
        "您的取件码为1001，请于最迟明天取件",  # a one-time code
        "本基金不保本，不保证最低收益",  # a required fund disclaimer
        "最近七日年化收益率2.1%",  # a past yield
        "单调的纯白从来都不会是有时尚嗅觉的女孩的首选",  # negated
    ],
)
def test_context_rule_keeps_harmless_use_clean(text):
    assert check_text(text) == [], [(h.term, h.tier) for h in check_text(text)]


def test_every_context_rule_names_a_legal_basis():
    data = tomllib.loads(TERMS_FILE.read_text(encoding="utf-8"))
    for block in data["harmless"]:
        assert block["basis"] in data["basis"], block["why"]


# ---------------------------------------------------- other articles ----


@pytest.mark.parametrize(
    ("text", "term", "basis"),
    [
        ("本产品为国家机关推荐产品", "国家机关推荐", "第九条第（二）项"),
        ("市(县)政府指定采购单位", "政府指定", "第九条第（二）项"),
        ("作为国礼走进各国驻华大使馆", "国礼", "第九条第（二）项"),
        ("这款黄花鱼对贫血有良好的疗效", "疗效", "第十六条"),
        ("每天一杯，降血压", "降血压", "第十六条"),
        ("常喝可抗癌", "抗癌", "第十七条"),
        ("保过班，不过退费", "保过", "第二十四条"),
        ("命题专家亲自授课", "命题专家", "第二十四条"),
        ("通过率≈100%", "通过率≈100%", "第二十四条"),
        ("保本理财，年化收益率8%", "保本", "第二十五条"),
        ("年化收益率8%", "年化收益率8%", "第二十五条"),
        ("商铺高回报返租", "高回报", "第二十六条"),
        ("中国驰名商标", "驰名商标", "《商标法》第十四条"),
        ("国家免检产品", "国家免检", "免检"),
        ("城市首席绿色建筑", "首席", "第九条第（三）项"),
        ("填补国内空白的新技术", "填补国内空白", "第九条第（三）项"),
        ("吃最正宗的福鼎小吃", "最正宗", "第九条第（三）项"),
        ("全蒙自唯一赶集地", "唯一", "第九条第（三）项"),
        ("首创特色街区", "首创", "第九条第（三）项"),
        ("全球首个能修复黏膜的药品", "首个", "第九条第（三）项"),
        ("宁德人夜宵首选的地方", "首选", "第九条第（三）项"),
        ("全国首家突破技术瓶颈", "首家", "第九条第（三）项"),
        ("最受欢迎的早餐饮品", "最受欢迎", "第九条第（三）项"),
        ("行业领导品牌", "领导品牌", "第九条第（三）项"),
        ("世界上吸附能力最高的材料", "最高", "第九条第（三）项"),
    ],
)
def test_articles_beyond_absolute_terms_are_block(text, term, basis):
    hits = [h for h in check_text(text) if h.term == term]
    assert hits and hits[0].tier == BLOCK, [(h.term, h.tier) for h in check_text(text)]
    assert basis in hits[0].basis


# ------------------------------------------------------------ fast paths ----
# The scan has fast paths for texts full of triggers (bench/bench_copycheck.py
# times them). They must never change a result: each is compared here with
# the slow, obvious way of doing the same thing, on worst-case texts, on the
# corpora and on seeded random texts built from pieces of the term list.


def naive_check(text: str) -> list[tuple]:
    """The whole check written the plain way: one combined mask regex, ``str.find`` for
    every term, every candidate sorted longest first, evidence searched per window."""
    import re

    from aexl.copycheck import _checker
    from aexl.copycheck.engine import _CLAUSE_END

    data = tomllib.loads(TERMS_FILE.read_text(encoding="utf-8"))
    norm, offsets = _checker().normalize(text)
    masks = "|".join(f"(?:{p})" for block in data["harmless"] for p in block["patterns"])
    masked = re.sub(masks, lambda m: "\x00" * len(m.group()), norm)
    rules, candidates, terms_seen = data["rule"], [], set()
    for i, raw in enumerate(rules):
        rank = -1 if raw["tier"] == BLOCK else 0
        for term in raw.get("terms", ()):
            at = -1 if term in terms_seen else masked.find(term)
            terms_seen.add(term)
            while at >= 0:
                candidates.append((-len(term), rank, i, at, at + len(term)))
                at = masked.find(term, at + 1)
        for pattern in raw.get("patterns", ()):
            for m in re.finditer(pattern, masked):
                if m.end() > m.start():
                    candidates.append((m.start() - m.end(), rank, i, m.start(), m.end()))
    taken, used = [], set()
    for cand in sorted(candidates):
        if not used & set(range(cand[3], cand[4])):
            used |= set(range(cand[3], cand[4]))
            taken.append(cand)
    by_id = {raw["id"]: raw for raw in rules}
    ev, out = data["evidence"], []
    for _, _, i, start, end in sorted(taken, key=lambda c: c[3]):
        raw = rules[i]
        for esc in data.get("escalate", ()):
            clause = _CLAUSE_END.split(norm[max(0, start - 12) : start])[-1]
            if raw["id"] in esc["rules"] and re.search(esc["before"], clause):
                raw = by_id[esc["as"]]
                break
        term = norm[start:end].upper()
        tier, basis, message = raw["tier"], data["basis"][raw["basis"]], raw["message"]
        window = norm[max(0, start - ev["window"]) : end + ev["window"]]
        evidence = all(re.search(ev[k], window) for k in ("period", "region", "source"))
        if raw.get("ranking") and evidence and tier == BLOCK:
            tier, basis, message = REVIEW, data["basis"]["art11"], ev["message"]
        if offsets is not None:
            start, end = offsets(start), offsets(end - 1) + 1
        out.append((term, start, end, tier, basis, message.replace("{term}", term)))
    return out


def as_tuples(hits) -> list[tuple]:
    return [(h.term, h.start, h.end, h.tier, h.basis, h.message) for h in hits]


def fit(unit: str, size: int = 3000) -> str:
    return (unit * (size // len(unit) + 1))[:size]


WORST_CASES = {
    "最": fit("最"),
    "第一": fit("第一"),
    "100%": fit("100%"),
    "国家级": fit("国家级"),
    "全国第一": fit("全国第一"),
    "全国最大": fit("全国最大"),
    "最好": fit("最好"),
    "最大的": fit("最大的"),
    "no.1": fit("no.1"),
    "full-width NO.1": fit("ＮＯ．１"),
    "spaced 最": fit("最 "),
    "guard words": fit("最最最最最最最最亮点"),  # the guarded mask pattern everywhere
    "guard words apart": fit("最最大的亮点。" + "的" * 40),
    "ranking with evidence": fit("据尼尔森统计2024年全国销量第一，"),
    "evidence far apart": fit("全国销量第一" + "好" * 70 + "2024年来源：某机构"),
    "no trigger": fit("的是在了和有这为上个我们到说时要就出会可也你对生能而子那得于"),
}


@pytest.mark.parametrize("name", list(WORST_CASES))
def test_worst_cases_find_what_the_plain_way_finds(name):
    text = WORST_CASES[name]
    assert as_tuples(check_text(text)) == naive_check(text)


def random_texts(seed: int, count: int) -> list[str]:
    """Texts made of terms, pieces of the patterns and harmless rules, evidence words,
    digits, punctuation, spaces and full-width forms, in random order."""
    import random
    import re

    data = tomllib.loads(TERMS_FILE.read_text(encoding="utf-8"))
    sources = [p for raw in data["rule"] for p in raw.get("patterns", ())]
    sources += [p for block in data["harmless"] for p in block["patterns"]]
    sources += [esc["before"] for esc in data["escalate"]]
    sources += [data["evidence"][k] for k in ("period", "region", "source")]
    pieces = sorted(
        {t for raw in data["rule"] for t in raw.get("terms", ())}
        | {w for s in sources for w in re.findall(r"[\u4e00-\u9fffa-z]{1,6}", s)}
    )
    chars = sorted(set("".join(pieces)) | set("0123456789%.，。！ \u3000\u200bＮＯ１％：年月"))
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        size, parts = rng.choice([4, 12, 40, 120, 600]), []
        while sum(map(len, parts)) < size:
            parts.append(rng.choice(pieces) if rng.random() < 0.5 else rng.choice(chars))
        texts.append("".join(parts))
    return texts


@pytest.mark.parametrize("seed", range(4))
def test_random_texts_find_what_the_plain_way_finds(seed):
    for text in random_texts(seed, 150):
        assert as_tuples(check_text(text)) == naive_check(text), text


def test_corpora_find_what_the_plain_way_finds():
    from aexl.copycheck.evaluate import load

    sentences = [
        r.sentence for n in ("copy_penalty.tsv", "copy_ordinary.tsv") for r in load(DATA / n)
    ]
    sentences += [sentence for _, sentence, _ in ROWS]
    for sentence in sentences:
        assert as_tuples(check_text(sentence)) == naive_check(sentence), sentence


def harmless_sources() -> list[str]:
    data = tomllib.loads(TERMS_FILE.read_text(encoding="utf-8"))
    return [p for block in data["harmless"] for p in block["patterns"]]


def test_mask_blanks_what_one_combined_regex_blanks():
    import re

    from aexl.copycheck.mask import Mask

    sources = harmless_sources()
    mask, plain = Mask(sources), re.compile("|".join(f"(?:{s})" for s in sources))
    assert mask.words is not None, "no guarded pattern: this test would not test the windows"
    texts = list(WORST_CASES.values()) + random_texts(7, 300)
    for text in texts:
        assert mask.apply(text) == plain.sub(lambda m: "\x00" * len(m.group()), text), text


@pytest.mark.parametrize(
    "sources",
    [
        ["(?:a|b)c", "(?:ab|a)?c", "b(?<=ab)c"],
        ["(?:确|担|环)保(?=本|过|息)", "保过(?=[程期去来年节])", "(?:面|红)包(?=过)"],
        ["(?:不会是|不是|并非)[^，。]{0,15}?首选", "(?:非|不|并非)(?:承诺|保证)?(?:保本|无风险)"],
        ["(?:a|\\|b|(?:c|d)e?)?f", "[ab]x"],  # [ab] is not one character: no grouping
    ],
)
def test_grouping_by_first_character_matches_like_the_plain_alternation(sources):
    import itertools
    import re

    from aexl.copycheck.regex_tools import by_first_char

    grouped = by_first_char(sources)
    if sources[-1] == "[ab]x":
        assert grouped is None
        return
    plain, fast = re.compile("|".join(f"(?:{s})" for s in sources)), re.compile(grouped)
    alphabet = sorted(set("".join(sources)) - set("()?:|[]^{},=<!.0123456789\\"))
    for size in range(1, 6):
        for chars in itertools.product(alphabet[:8], repeat=min(size, 3)):
            text = "".join(chars) * (size // 3 + 1)
            assert [m.span() for m in plain.finditer(text)] == [
                m.span() for m in fast.finditer(text)
            ]


def test_harmless_patterns_group_by_first_character():
    from aexl.copycheck.regex_tools import by_first_char

    sources = [s for s in harmless_sources() if not s.startswith(("最{", "(?:极端)"))]
    assert by_first_char(sources) is not None  # the fast mask is the one in use


def test_near_answers_like_searching_the_window():
    import random
    import re

    from aexl.copycheck.regex_tools import Near, is_context_free

    data = tomllib.loads(TERMS_FILE.read_text(encoding="utf-8"))
    rng = random.Random(5)
    for key in ("period", "region", "source"):
        pattern = data["evidence"][key]
        assert is_context_free(pattern), key  # else the engine searches each window
        regex = re.compile(pattern)
        for text in random_texts(9, 40):
            near = Near(regex, text)
            for _ in range(30):
                lo = rng.randrange(len(text) + 1)
                hi = min(len(text), lo + rng.randrange(1, 40))
                assert near(lo, hi) == bool(regex.search(text[lo:hi])), (key, text, lo, hi)


@pytest.mark.parametrize(
    ("pattern", "first", "guard", "context_free", "fast"),
    [
        ("最(?:近|后)", "最", None, True, True),
        ("(?:极端)?最(?:高|低)(?=气温|温度)", "最极", (("气温", "温度"), 2, 4), False, False),
        ("最{1,2}的?(?=亮点|特点)", "最", (("亮点", "特点"), 1, 3), False, False),
        ("[确担]保", "担确", None, True, True),
        ("1(?<=[\\d.]1)00%", "1", None, False, True),
        ("[^a]b", None, None, True, False),  # a negated class: any character
        ("a?", None, None, False, False),  # can match nothing
        ("(?i)ab", None, None, False, False),  # ignores case: not read
        ("(a)\\1", "a", None, False, False),  # a back-reference
        ("第一(?=就是)", "第", (("就是",), 2, 2), False, True),
        ("第(?:[一二]+)(?=次)", "第", None, False, True),  # unbounded: no guard
    ],
)
def test_regex_tools_read_patterns(pattern, first, guard, context_free, fast):
    from aexl.copycheck import regex_tools as rt

    chars = rt.first_chars(pattern)
    assert (None if chars is None else "".join(sorted(chars, reverse=True))) == (
        None if first is None else "".join(sorted(first, reverse=True))
    )
    assert rt.lookahead_guard(pattern) == guard
    assert rt.is_context_free(pattern) == context_free
    assert rt.skipped_fast(pattern) == fast


def test_fast_hit_is_a_copy_hit():
    import dataclasses
    import pickle

    from aexl.copycheck import _new_hit

    made = CopyHit("最好", 1, 3, BLOCK, "basis", "message")
    fast = _new_hit("最好", 1, 3, BLOCK, "basis", "message")
    assert type(fast) is CopyHit and fast == made and hash(fast) == hash(made)
    assert repr(fast) == repr(made) and pickle.loads(pickle.dumps(fast)) == made
    assert dataclasses.asdict(fast) == dataclasses.asdict(made)
    with pytest.raises(dataclasses.FrozenInstanceError):
        fast.term = "最佳"


def test_near_answers_like_searching_every_window_of_a_dense_text():
    import re

    from aexl.copycheck.regex_tools import Near

    data = tomllib.loads(TERMS_FILE.read_text(encoding="utf-8"))
    text = "2024年2025年3月q1上海市北京市据尼尔森统计来源：某2026年上半年全国"
    for key in ("period", "region", "source"):
        regex = re.compile(data["evidence"][key])
        near = Near(regex, text)
        for lo in range(len(text)):
            for hi in range(lo + 1, len(text) + 1):
                assert near(lo, hi) == bool(regex.search(text[lo:hi])), (key, lo, hi)


def test_mask_windows_give_the_plain_matches_for_every_short_mix():
    import itertools
    import re

    from aexl.copycheck.mask import Mask

    sources = harmless_sources()
    mask, plain = Mask(sources), re.compile("|".join(f"(?:{s})" for s in sources))
    tokens = ["最", "最近", "亮点", "的", "大", "收益率", "极端", "最高", "气温", "第一", "位"]
    filler = "好" * 30
    for size in range(1, 4):
        for combo in itertools.product(tokens, repeat=size):
            text = filler + "".join(combo) + filler
            expected = [m.span() for m in plain.finditer(text)]
            windows = mask._windows(text)
            assert (mask._spans(text, windows) if windows else expected) == expected, combo
            # any wider windows give the same matches: here one position in three
            wider = sorted({p for a, b in windows for p in range(a, b + 1)} | {*range(0, 90, 3)})
            wider = [[p, p] for p in wider]
            assert mask._spans(text, wider) == expected, combo


@pytest.mark.parametrize(
    ("text", "tier"),
    [
        ("同类产品中吸附能力较好最高", BLOCK),  # the scope 11 characters before: escalated
        ("同类产品中吸附能力较好的最高", REVIEW),  # 12 characters before: too far
        ("全杭州最强", BLOCK),
        ("全杭州，最强", REVIEW),  # another clause
        ("我们最强", REVIEW),  # no scope at all
    ],
)
def test_scope_before_a_superlative_at_the_edge_of_the_clause(text, tier):
    hits = check_text(text)
    assert as_tuples(hits) == naive_check(text)
    assert [h.tier for h in hits if h.term.startswith("最")] == [tier]
