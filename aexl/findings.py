"""Findings: what a check says about one cell (or row, or sheet)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

ERROR = "error"
WARNING = "warning"
SEVERITY_LABEL = {ERROR: "错误", WARNING: "警告"}


@dataclass(frozen=True)
class Finding:
    sheet: str
    row: int | None  # Excel row number (header is row 1); None for a whole sheet
    column: str | None  # header text of the column; None for a whole row
    severity: str  # ERROR or WARNING
    code: str  # stable machine code such as "job.required"
    message: str  # Chinese: what is wrong and how to fix it

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


def sort_findings(findings: list[Finding], sheet_order: list[str] | None = None) -> list[Finding]:
    order = {name: i for i, name in enumerate(sheet_order or [])}
    return sorted(
        findings,
        key=lambda f: (order.get(f.sheet, len(order)), f.sheet, f.row or 0, f.column or "", f.code),
    )


def has_errors(findings: list[Finding]) -> bool:
    return any(f.is_error for f in findings)
