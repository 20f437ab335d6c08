"""签核 rows captured by the 「签核」 button carry a 校验码 (``aexl.planning.signoff``
writes them); ``check`` tells an edited signature row from a captured one."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime

from aexl import schema
from aexl.findings import WARNING, Finding
from aexl.records import rows, text
from aexl.rules import as_day, normalise_step
from aexl.rules import jobno_key as job_key

CHECK_COLUMN = "校验码"
SALT = "aexl-signoff-v1"
_CODE = re.compile(r"^(\d{2})(\d{2})-([0-9A-F]{10})$")


def checksum(jobno, flow, step, signer, when: datetime, result) -> str:
    """``HHMM-`` + 10 hex digits of SHA-256 over the signature's fields."""
    fields = (
        SALT,
        job_key(jobno),
        text({"v": flow}, "v"),
        normalise_step(step, flow),
        text({"v": signer}, "v"),
        when.strftime("%Y-%m-%dT%H:%M"),
        text({"v": result}, "v"),
    )
    digest = hashlib.sha256("\x1f".join(fields).encode("utf-8")).hexdigest()[:10].upper()
    return f"{when:%H%M}-{digest}"


def signoff_integrity_findings(registers) -> list[Finding]:
    """A warning (``sign.edited``) for each 签核 row whose 校验码 no longer matches it."""
    findings = []
    for rec in _coded_rows(registers):
        code = text(rec, CHECK_COLUMN)
        if not code:
            continue  # typed by hand: nothing to verify
        match = _CODE.match(code.upper())
        day = as_day(rec.get("日期"))
        ok = False
        if match and day is not None:
            when = datetime(day.year, day.month, day.day, int(match[1]), int(match[2]))
            fields = [rec.get(c) for c in ("工作号", "流程", "步骤", "签名")]
            ok = checksum(*fields, when, text(rec, "结果")) == code.upper()
        if not ok:
            findings.append(
                Finding(
                    schema.SIGNOFFS.sheet,
                    rec.get("_row"),
                    CHECK_COLUMN,
                    WARNING,
                    "sign.edited",
                    "这一行签核在「签核」按钮录入后被改动过（工作号、流程、步骤、签名、日期或结果"
                    "与校验码不符）：请核对后用「签核」按钮重新录入，并删除这一行。",
                )  # fmt: skip
            )
    return findings


def _coded_rows(registers) -> list[dict]:
    """The 签核 rows (as ``aexl.records.rows`` gives them) that may hold a 校验码: for a
    workbench's DataFrames only the rows with a value in that column become dicts."""
    sheet = schema.SIGNOFFS.sheet
    frames = registers if isinstance(registers, dict) else getattr(registers, "frames", None)
    if not isinstance(frames, dict):
        return rows(registers, sheet)
    frame = frames.get(sheet)
    if frame is None or CHECK_COLUMN not in frame.columns:
        return []  # no 校验码 anywhere: nothing to verify
    filled = frame[CHECK_COLUMN].notna()
    if not filled.any():
        return []
    return rows({sheet: frame.loc[filled]}, sheet)
