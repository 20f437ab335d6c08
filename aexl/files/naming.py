"""The rulebook's file-name rule (三.1.3): a name carries date, project and type.

A good name looks like ``20261110_美的空调_提案.pptx``: a date written
``YYYYMMDD`` or ``YYYY-MM-DD``, the project or brand, and a type word. These
helpers only look at names; where the names come from is ``aexl.files.tree``.

>>> missing_parts("20261110_美的空调_提案.pptx", ("美的",))
[]
>>> missing_parts("提案v2.pptx", ("美的",))
['日期', '项目名称']
>>> suggest_name("提案v2.pptx", ("美的",), "过程稿", date(2026, 11, 10))
'20261110_美的_提案v2.pptx'
>>> suggest_name("2026.11.10海报.psd", ("美的",), "过程稿", date(2026, 1, 1))
'20261110_美的_海报.psd'
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import PurePath

from aexl.reports.registry import report_kinds

# A date the rule accepts: 20261110 or 2026-11-10, not glued to other digits.
_STRICT_DATE_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:-(\d{2})-(\d{2})|(\d{2})(\d{2}))(?!\d)")
# Other ways people write a date in a name; used to infer the date, not accepted as-is.
_LOOSE_DATE_RE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*[._\-年]\s*(\d{1,2})\s*[._\-月]\s*(\d{1,2})\s*日?(?!\d)"
)
_EDGE_SEPARATORS = " _-.·、，,"

# Words that say what a file is. Deliberately broad: a name with any of them passes.
TYPE_WORDS = (
    "提案", "方案", "策略", "简报", "brief", "创意简述", "总结", "报告", "分析", "月报", "周报",
    "季报", "年报", "会议记录", "纪要", "会议通知", "进度表", "排期", "工作单", "修改单", "制作单",
    "任务单", "报价", "合同", "付款", "底单", "签收", "发票", "传真", "稿", "文案", "脚本", "分镜",
    "海报", "主视觉", "kv", "tvc", "设计", "画面", "打样", "样本", "投放列表", "清单", "资料",
    "说明", "通知", "记录", "表", "图", "视频", "照片", "logo", "校验", "结果",
)  # fmt: skip

# The type words of the files aexl itself writes (``report_name(day, subject, kind)``,
# the archive's ``…2026Q3资料存档.zip``). A name aexl wrote passes the check as it
# is: its subject is the brand, the client or a job number with its project name.
# (from aexl.reports.registry: every report kind, plus 校验结果, 月度清理清单, 资料存档)
REPORT_TYPES = report_kinds()


@lru_cache(maxsize=8)
def _report_name_re(kinds: tuple[str, ...]) -> re.Pattern:
    """20261110_<subject>_<kind>, maybe renamed apart by a number (_2) or with the
    archive's period (2026Q3 / 2026年度) glued before the kind."""
    from aexl.reports.registry import report_variants

    alternatives = "|".join(map(re.escape, kinds))
    variants = "|".join(map(re.escape, report_variants()))
    return re.compile(
        rf"^(?P<date>\d{{8}})_.+_(?:\d{{4}}(?:Q[1-4]|年度))?(?:{alternatives})"
        rf"(?:_(?:{variants}))?(?:_\d+)?$"
    )


# The workbench itself: 星河食品_AE工作台.xlsx (as ``aexl init`` and the README name it).
_WORKBENCH_RE = re.compile(r"^.*AE\s*工作台$", re.IGNORECASE)
WORKBENCH_SUFFIXES = (".xlsx", ".xlsm")


@dataclass(frozen=True)
class NameDate:
    """A date found in a file name: where it is and whether the rule accepts its form."""

    day: date
    start: int
    end: int
    strict: bool


def normal(text: str) -> str:
    """NFC (macOS stores decomposed names) and case-folded, for comparing names."""
    return unicodedata.normalize("NFC", text).casefold()


def find_date(stem: str) -> NameDate | None:
    """The first real date in a name: the rule's forms first, then looser ones."""
    for pattern, strict in ((_STRICT_DATE_RE, True), (_LOOSE_DATE_RE, False)):
        for match in pattern.finditer(stem):
            numbers = [int(g) for g in match.groups() if g is not None]
            try:
                day = date(*numbers)
            except ValueError:
                continue
            return NameDate(day, match.start(), match.end(), strict)
    return None


def find_bad_date(stem: str) -> tuple[str, int, int] | None:
    """A date written in the name that does not exist (``20261310``), when no real one is there.

    Hyphenated and loosely written dates count anywhere; eight bare digits only
    at the start of the name, where the rule puts the date (elsewhere they may
    be a number of another kind).

    >>> find_bad_date("20261310_星河_月度工作总结")
    ('20261310', 0, 8)
    >>> find_bad_date("星河_2026-02-30_提案"), find_bad_date("编号20261310_提案")
    (('2026-02-30', 3, 13), None)
    """
    if find_date(stem) is not None:
        return None
    for pattern in (_STRICT_DATE_RE, _LOOSE_DATE_RE):
        for match in pattern.finditer(stem):
            compact = pattern is _STRICT_DATE_RE and match.group(2) is None
            if compact and stem[: match.start()].strip(_EDGE_SEPARATORS):
                continue
            return match.group(0), match.start(), match.end()
    return None


def is_report_name(name: str) -> bool:
    """A name aexl gives its own output (``20261110_星河食品_校验结果.xlsx``) with a real date.

    >>> is_report_name("20260122_XHCQXM2026001-重庆小面新品上市_工作单.xlsx")
    True
    >>> is_report_name("20261001_美的集团_2026Q3资料存档.zip"), is_report_name("20261310_星河_投放列表.xlsx")
    (True, False)
    >>> is_report_name("20261030_星河_每周工作进度表_内部.xlsx")
    True
    """
    match = _report_name_re(report_kinds()).match(unicodedata.normalize("NFC", PurePath(name).stem))
    return bool(match) and find_date(match.group("date")) is not None


def is_workbench_name(name: str) -> bool:
    """An AE workbench (``星河食品_AE工作台.xlsx``): named by the client, kept as it is."""
    path = PurePath(unicodedata.normalize("NFC", name))
    return path.suffix.lower() in WORKBENCH_SUFFIXES and bool(_WORKBENCH_RE.match(path.stem))


def has_project(stem: str, projects: tuple[str, ...]) -> bool:
    text = normal(stem)
    return any(normal(p) in text for p in projects)


def has_type(stem: str) -> bool:
    text = normal(stem)
    return any(word in text for word in TYPE_WORDS)


def missing_parts(name: str, projects: tuple[str, ...]) -> list[str]:
    """Which of 日期 / 项目名称 / 类型 the name lacks (project only checked when known).

    aexl's own output and the workbenches lack nothing. A date that does not
    exist counts as missing (see ``find_bad_date`` for telling the user so).
    """
    if is_report_name(name) or is_workbench_name(name):
        return []
    stem = PurePath(name).stem
    found = find_date(stem)
    missing = []
    if found is None or not found.strict:
        missing.append("日期")
    if projects and not has_project(stem, projects):
        missing.append("项目名称")
    if not has_type(stem):
        missing.append("类型")
    return missing


def _without_date(stem: str, found: NameDate | None) -> str:
    if found is None:
        return stem.strip(_EDGE_SEPARATORS)
    before = stem[: found.start].strip(_EDGE_SEPARATORS)
    after = stem[found.end :].strip(_EDGE_SEPARATORS)
    return "_".join(part for part in (before, after) if part)


def suggest_name(
    name: str, projects: tuple[str, ...], folder_type: str | None, file_date: date
) -> str | None:
    """``date_project_rest_type.ext``, adding only what is missing; None when it cannot be inferred.

    The date is the one written in the name (normalised to YYYYMMDD) or else
    ``file_date``, which also replaces a date that does not exist; the project
    is ``projects[0]``; the type is ``folder_type``.
    """
    path = PurePath(name)
    found = find_date(path.stem)
    stem = path.stem
    bad = find_bad_date(stem) if found is None else None
    if bad is not None:
        parts = (stem[: bad[1]].strip(_EDGE_SEPARATORS), stem[bad[2] :].strip(_EDGE_SEPARATORS))
        stem = "_".join(part for part in parts if part)
    rest = _without_date(stem, found)
    parts = [(found.day if found else file_date).strftime("%Y%m%d")]
    if not has_project(rest, projects):
        if not projects:
            return None
        parts.append(projects[0])
    if rest:
        parts.append(rest)
    if not has_type(rest):
        if not folder_type:
            return None
        parts.append(folder_type)
    return "_".join(parts) + path.suffix
