"""``aexl copycheck [TEXT…] [--book PATH] [--json]``: Advertising-Law copy check.

Texts come from the arguments, from the 文案 sheet of ``--book``, or (when
neither is given) from stdin, one text per line. Exit 0 when nothing is
flagged, 1 when anything is.
"""

from __future__ import annotations

import sys

from aexl.cli import add_command

COPY_SHEET = "文案"


def register(sub) -> None:
    parser = add_command(
        sub,
        "copycheck",
        "广告法文案检查：标出绝对化用语（禁用）和需核实的用语，附法律依据和修改建议"
        "（提示仅供参考，不构成法律意见）",
        'aexl copycheck "全网销量第一，品质最佳" "开封后最好冷藏"\n'
        "  aexl copycheck --book 星河食品_AE工作台.xlsx --json\n"
        "  aexl copycheck < 文案.txt        （每行一条文案，从标准输入读取）",
    )
    parser.add_argument("texts", nargs="*", metavar="TEXT", help="要检查的文案，可给多条")
    parser.add_argument(
        "--book", metavar="PATH", help="检查该 AE 工作台「文案」表的标题、正文、口号"
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="以 JSON 列表输出：{text, sheet, row, column, term, start, end, tier, basis, message}",
    )
    parser.set_defaults(func=run)


def run(args) -> int:
    from aexl.copycheck import DISCLAIMER, CopyFinding, check_texts

    texts = list(args.texts)
    if not texts and not args.book:
        if sys.stdin.isatty():
            print(
                "请输入文案，每行一条；输入完按 Ctrl+D（Windows 按 Ctrl+Z 再回车）结束。",
                file=sys.stderr,
            )
        texts = [line.rstrip("\r\n") for line in sys.stdin]
        texts = [t for t in texts if t.strip()]
    # (label for the table, finding)
    rows: list[tuple[str, CopyFinding]] = [
        (f"第{i}条", CopyFinding.from_hit(text, hit))
        for i, (text, hits) in enumerate(zip(texts, check_texts(texts), strict=True), start=1)
        for hit in hits
    ]
    if args.book:
        rows.extend(
            (f"{f.sheet}表 第{f.row}行「{f.column}」", f) for f in _book_findings(args.book)
        )
    findings = [f for _, f in rows]

    if args.json:
        import json

        json.dump([f.as_dict() for f in findings], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        print(DISCLAIMER, file=sys.stderr)
    else:
        _print_table(rows)
        print(_summary_line(findings, len(texts), args.book))
        print(DISCLAIMER)
    return 1 if findings else 0


def _book_findings(path) -> list:
    from aexl.copycheck import check_frame
    from aexl.errors import SheetError
    from aexl.workbook.read import read_workbench

    wb = read_workbench(path, sheets=(COPY_SHEET,))
    if not wb.has_sheet(COPY_SHEET):
        raise SheetError(
            f"没有「{COPY_SHEET}」工作表，无法检查文案：请添加该工作表"
            "（表头：工作号 版本 标题 正文 口号 LOGO，可参照 aexl init 生成的模板），"
            "或直接把文案作为参数传给 aexl copycheck",
            file=path,
        )
    return check_frame(wb.frame(COPY_SHEET), COPY_SHEET)


def _print_table(rows) -> None:
    from aexl.copycheck import TIER_LABEL

    for n, (label, f) in enumerate(rows, start=1):
        where = f"{label} 第{f.start + 1}–{f.end}字"
        print(f"{n}. [{TIER_LABEL[f.tier]}] {f.term}    {where}")
        print(f"   原文：{_excerpt(f.text, f.start, f.end)}")
        print(f"   建议：{f.message}")
        print(f"   依据：{f.basis}")


def _excerpt(text: str, start: int, end: int, width: int = 16) -> str:
    """The flagged span in 【】 with some context, on one line."""
    left = text[max(0, start - width) : start]
    right = text[end : end + width]
    out = ("…" if start > width else "") + left + "【" + text[start:end] + "】" + right
    out += "…" if end + width < len(text) else ""
    return " ".join(out.split())


def _summary_line(findings, n_texts: int, book) -> str:
    from aexl.copycheck import BLOCK

    if not findings:
        what = "「文案」表" if book and not n_texts else f" {n_texts} 条文案"
        return f"检查了{what}，未发现广告法风险用语。"
    blocks = sum(1 for f in findings if f.tier == BLOCK)
    return f"共 {len(findings)} 处：禁用 {blocks} 处，需核实 {len(findings) - blocks} 处。"
