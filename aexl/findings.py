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


def has_errors(findings: list[Finding]) -> bool:
    return any(f.is_error for f in findings)
