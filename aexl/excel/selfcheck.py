"""``workbooks/UDF自检.xlsx``: a workbook that checks the installed worksheet functions.

Whoever installs the add-in on Windows opens it once: each row calls one AE_
function on a known input and shows TRUE when the answer is right, and the
top of the sheet says whether all passed. Every check is also evaluated in
Python by the tests (``CHECKS[i].python``), so the expected answers in the
workbook are the ones the code gives.

    python -m aexl.excel.selfcheck [PATH]     # regenerate (default workbooks/UDF自检.xlsx)
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

DEFAULT_PATH = Path(__file__).resolve().parents[2] / "workbooks" / "UDF自检.xlsx"
FIRST_ROW = 6
TITLE = "AE工作台 工作表函数自检"


@dataclass(frozen=True)
class Check:
    function: str
    what: str  # Chinese: what the row checks
    formula: str  # Excel formula (without "="), TRUE when right
    python: Callable[[], bool]  # the same check through aexl_udfs


def _u():
    import aexl_udfs

    return aexl_udfs


D = dt.datetime
# A small 品牌 table (header + rows) as an Excel array constant and as the rows xlwings passes.
BRANDS_ROWS = [
    ["客户", "品牌", "品牌代码", "产品线", "产品线代码", "备注"],
    ["云帆电器", "云帆", "", "空调", "", ""],
    ["云帆电器", "悦峰", "YUF", "空调", "", ""],
]
BRANDS_TABLE = "{" + ";".join(",".join(f'"{v}"' for v in row) for row in BRANDS_ROWS) + "}"
CHECKS: tuple[Check, ...] = (
    Check(
        "AE_CODE", "拼音首字母代码", 'AE_CODE("美的")="MD"', lambda: _u().AE_CODE("美的") == "MD"
    ),
    Check(
        "AE_CODE",
        "多音字按词读：长虹",
        'AE_CODE("长虹")="CH"',
        lambda: _u().AE_CODE("长虹") == "CH",
    ),
    Check(
        "AE_CODE",
        "多音字按词读：重庆",
        'AE_CODE("重庆啤酒")="CQPJ"',
        lambda: _u().AE_CODE("重庆啤酒") == "CQPJ",
    ),
    Check(
        "AE_CODE",
        "字母保留、空格去掉",
        'AE_CODE("TCL 空调")="TCLKT"',
        lambda: _u().AE_CODE("TCL 空调") == "TCLKT",
    ),
    Check("AE_CODE", "空单元格得空", 'AE_CODE("")=""', lambda: _u().AE_CODE("") == ""),
    Check(
        "AE_CODE",
        "整列一次计算",
        'SUMPRODUCT(--(AE_CODE({"美的";"长虹";"招商银行"})={"MD";"CH";"ZSYH"}))=3',
        lambda: _u().AE_CODE([["美的"], ["长虹"], ["招商银行"]]) == [["MD"], ["CH"], ["ZSYH"]],
    ),
    Check(
        "AE_JOBNO",
        "工作号格式",
        'AE_JOBNO("美的","空调",DATE(2026,3,2),1)="MDKT2026001"',
        lambda: _u().AE_JOBNO("美的", "空调", D(2026, 3, 2), 1) == "MDKT2026001",
    ),
    Check(
        "AE_JOBNO",
        "号码超过 999 继续增长",
        'AE_JOBNO("美的","空调",DATE(2026,3,2),1000)="MDKT20261000"',
        lambda: _u().AE_JOBNO("美的", "空调", D(2026, 3, 2), 1000) == "MDKT20261000",
    ),
    Check(
        "AE_NEXTJOBNO",
        "下一个号：已用最大号加一",
        'AE_NEXTJOBNO("美的","空调",DATE(2026,3,2),{"MDKT2026001";"MDKT2026007"})="MDKT2026008"',
        lambda: (
            _u().AE_NEXTJOBNO("美的", "空调", D(2026, 3, 2), [["MDKT2026001"], ["MDKT2026007"]])
            == "MDKT2026008"
        ),
    ),
    Check(
        "AE_NEXTJOBNO",
        "给出「品牌」表时用表中填写的代码（悦峰 YUF，不是与云帆相同的 YF）",
        'AE_NEXTJOBNO("悦峰","空调",DATE(2026,3,1),{"YUFKT2026001";"YFKT2026001"},'
        f"{BRANDS_TABLE}"
        ')="YUFKT2026002"',
        lambda: (
            _u().AE_NEXTJOBNO(
                "悦峰", "空调", D(2026, 3, 1), [["YUFKT2026001"], ["YFKT2026001"]], BRANDS_ROWS
            )
            == "YUFKT2026002"
        ),
    ),
    Check(
        "AE_JOBNO_CHECK",
        "一致的工作号得空",
        'AE_JOBNO_CHECK("MDKT2026001","美的","空调",DATE(2026,3,2))=""',
        lambda: _u().AE_JOBNO_CHECK("MDKT2026001", "美的", "空调", D(2026, 3, 2)) == "",
    ),
    Check(
        "AE_JOBNO_CHECK",
        "年份不符时说明原因",
        'ISNUMBER(SEARCH("年份",AE_JOBNO_CHECK("MDKT2025001","美的","空调",DATE(2026,3,2))))',
        lambda: "年份" in _u().AE_JOBNO_CHECK("MDKT2025001", "美的", "空调", D(2026, 3, 2)),
    ),
    Check(
        "AE_COPYCHECK",
        "禁用词：国家级",
        'ISNUMBER(SEARCH("国家级",AE_COPYCHECK("国家级品质，值得信赖")))',
        lambda: "国家级" in _u().AE_COPYCHECK("国家级品质，值得信赖"),
    ),
    Check(
        "AE_COPYCHECK",
        "无害用法不报：第一次",
        'AE_COPYCHECK("第一次用就爱上")=""',
        lambda: _u().AE_COPYCHECK("第一次用就爱上") == "",
    ),
    Check(
        "AE_DEADLINE",
        "会议纪要：下一工作日同一时刻",
        'ABS(AE_DEADLINE(DATE(2026,11,26)+TIME(14,30,0),"纪要")-(DATE(2026,11,27)+TIME(14,30,0)))<1/86400',
        lambda: _u().AE_DEADLINE(D(2026, 11, 26, 14, 30), "纪要") == D(2026, 11, 27, 14, 30),
    ),
    Check(
        "AE_DEADLINE",
        "周报：周五完成、下一工作日发出",
        'AE_DEADLINE(DATE(2026,11,26),"周报")=DATE(2026,11,30)',
        lambda: _u().AE_DEADLINE(D(2026, 11, 26), "周报") == D(2026, 11, 30),
    ),
    Check(
        "AE_DEADLINE",
        "月报：次月15日，遇休息日提前",
        'AE_DEADLINE(DATE(2026,10,15),"月报")=DATE(2026,11,13)',
        lambda: _u().AE_DEADLINE(D(2026, 10, 15), "月报") == D(2026, 11, 13),
    ),
    Check(
        "AE_WORKDAYS",
        "国庆月的工作日（含调休）",
        "AE_WORKDAYS(DATE(2026,10,1),DATE(2026,10,31))=18",
        lambda: _u().AE_WORKDAYS(D(2026, 10, 1), D(2026, 10, 31)) == 18,
    ),
    Check(
        "AE_WORKDAYS",
        "给出「节假日」表时，日历未收录的年份按表计算",
        'AE_WORKDAYS(DATE(2099,6,1),DATE(2099,6,5),{"日期","类型","说明";"2099-06-03","放假",""})=4',
        lambda: (
            _u().AE_WORKDAYS(
                D(2099, 6, 1),
                D(2099, 6, 5),
                [["日期", "类型", "说明"], ["2099-06-03", "放假", ""]],
            )
            == 4
        ),
    ),
    Check(
        "AE_WORKDAYS",
        "坏单元格显示中文错误",
        'LEFT(AE_WORKDAYS("不是日期",DATE(2026,1,5)),3)="错误："',
        lambda: str(_u().AE_WORKDAYS("不是日期", D(2026, 1, 5))).startswith("错误："),
    ),
)


def rows() -> list[list]:
    """The cell contents of the sheet, row by row (formulas as ``=...`` strings)."""
    last = FIRST_ROW + len(CHECKS) - 1
    out: list[list] = [
        [TITLE, None, None, None],
        [
            "装好 AE工作台 加载项后打开本文件：C 列应全部为 TRUE。显示 #NAME? 表示加载项或 Python 未装好，见 docs/EXCEL.md。",
            None,
            None,
            None,
        ],
        [
            "总结果",
            None,
            f'=IF(AND(C{FIRST_ROW}:C{last}),"全部通过","有未通过的项目，请检查加载项安装")',
            None,
        ],
        [None, None, None, None],
        ["函数", "检查内容", "结果（TRUE 为通过）", "公式"],
    ]
    for check in CHECKS:
        out.append([check.function, check.what, f"={check.formula}", check.formula])
    return out


def build(path: str | Path = DEFAULT_PATH) -> Path:
    """Write the self-check workbook (atomically, replacing the old one); returns its path."""
    from aexl.workbook.write import BODY, CELL, HEADER, TITLE, Book, force_overwrite

    book = Book(path, title=TITLE, subject="工作表函数自检")
    sheet = book.sheet("自检")
    looks = {1: TITLE, FIRST_ROW - 1: HEADER}
    for r, values in enumerate(rows(), start=1):
        look = looks.get(r, CELL if r >= FIRST_ROW else BODY)
        for c, value in enumerate(values, start=1):
            if value is None:
                continue
            if c == 3 and isinstance(value, str) and value.startswith("="):  # the checks
                sheet.formula(r, c, value, look, {"bold": r == 3, "align": "center"})
            else:  # column D shows each formula's text: text, never calculated
                sheet.put(r, c, value, look)
    sheet.set_widths([18, 30, 20, 90])  # AE_JOBNO_CHECK fits column A
    sheet.freeze(FIRST_ROW)
    with force_overwrite():  # the committed file is regenerated, not kept beside
        return book.save()


if __name__ == "__main__":
    print(build(sys.argv[1] if len(sys.argv) > 1 else DEFAULT_PATH))
