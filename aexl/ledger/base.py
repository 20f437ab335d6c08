"""What every ledger back end shares: the records, the argument checks, the interface.

A back end implements the few ``_`` methods below with its own SQL; ``Ledger``
checks and normalises the arguments, so both engines accept and refuse the
same input with the same Chinese messages.
"""

from __future__ import annotations

import getpass
import os
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from aexl.errors import JobNumberError
from aexl.ledger.errors import LedgerError

ISSUED, VOIDED = "issued", "voided"
STATUS_TEXT = {ISSUED: "已开", VOIDED: "已作废"}
SCHEMA_VERSION = "1"
INIT_HINT = "请先运行 aexl ledger init --ledger 地址 建立台账"


@dataclass(frozen=True)
class Entry:
    """One issued job number as the ledger records it."""

    number: str
    codes: str  # brand code + line code
    year: int
    serial: int
    brand_code: str | None
    line_code: str | None
    brand: str | None
    line: str | None
    workbench: str | None
    user: str | None
    issued_at: datetime | None
    status: str  # ISSUED or VOIDED
    void_reason: str | None = None
    voided_at: datetime | None = None

    @property
    def prefix(self) -> str:
        return f"{self.codes}{self.year}"


@dataclass(frozen=True)
class Counter:
    """The highest serial ever issued or seeded for one prefix (codes + year)."""

    codes: str
    year: int
    highest: int

    @property
    def prefix(self) -> str:
        return f"{self.codes}{self.year}"


def current_user() -> str | None:
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment (a service account)
        return os.environ.get("USERNAME") or None


def clean(text) -> str | None:
    """Trimmed text, or None for blank."""
    if text is None:
        return None
    text = " ".join(str(text).split())
    return text or None


def split_prefix(prefix: str) -> tuple[str, int]:
    """``"MDKT2026"`` → (``"MDKT"``, 2026): codes plus a 4-digit year at the end."""
    from aexl.jobno import MAX_YEAR, MIN_YEAR, normalize_jobno

    text = normalize_jobno(prefix)
    codes, year = text[:-4], text[-4:]
    if not (codes and year.isdigit() and MIN_YEAR <= int(year) <= MAX_YEAR):
        raise LedgerError(f"前缀「{text}」不对：应为品牌代码 + 产品线代码 + 4 位年份，如 MDKT2026")
    check_codes(codes)
    return codes, int(year)


def check_codes(codes: str) -> str:
    from aexl.jobno import format_jobno

    try:
        format_jobno(codes, "", 2000, 1)
    except JobNumberError as exc:
        raise LedgerError(exc.message) from None
    return codes


class Ledger:
    """The job-number ledger; use ``aexl.ledger.open_ledger(url)`` to get one.

    ``with open_ledger(url) as ledger:`` closes the connection at the end.
    """

    url = ""  # the address without its password, for messages

    # ---- the interface every caller uses
    def allocate(
        self,
        brand_code: str,
        line_code: str,
        year: int,
        *,
        brand: str | None = None,
        line: str | None = None,
        workbench: str | Path | None = None,
        user: str | None = None,
        floor: int = 0,
    ) -> str:
        """Issue the next number of (brand code, line code, year) in one atomic step.

        The serial is past both the highest ever issued or seeded for the
        prefix and ``floor`` (the highest serial the workbench already holds),
        so it is never reused and never below what a workbench used.
        """
        from aexl.jobno import format_jobno, normalize_jobno

        brand_code, line_code = normalize_jobno(brand_code), normalize_jobno(line_code)
        format_jobno(brand_code, line_code, year, 1)  # refuses bad codes and years
        floor = int(floor or 0)
        if floor < 0:
            raise LedgerError(f"floor（工作台已用的最大号码）不能是负数：{floor}")
        record = {
            "codes": brand_code + line_code,
            "brand_code": brand_code,
            "line_code": line_code,
            "year": int(year),
            "brand": clean(brand),
            "line": clean(line),
            "workbench": clean(Path(workbench).name) if workbench else None,
            "user_name": clean(user) or current_user(),
            "floor": floor,
        }
        return self._allocate(record)

    def void(self, jobno: str, reason: str) -> Entry:
        """Mark an issued number voided (it stays used: never issued again).

        Voiding a number already voided keeps its first reason and returns it.
        """
        from aexl.jobno import normalize_jobno

        number = normalize_jobno(jobno)
        reason = clean(reason)
        if not reason:
            raise LedgerError(f"作废工作号 {number} 须写明原因（--reason）")
        entry = self._void(number, reason)
        if entry is None:
            raise LedgerError(f"台账里没有工作号 {number}：请检查号码，或用 aexl ledger list 查看")
        return entry

    def list(self, prefix: str | None = None) -> list[Entry]:
        """Numbers whose codes (``MDKT``) or codes + year (``MDKT2026``) are ``prefix``; all if None."""
        from aexl.jobno import normalize_jobno

        key = normalize_jobno(prefix) if prefix else None
        return self._entries(key or None)

    def counters(self) -> list[Counter]:
        """The highest serial of every prefix, seeded ones included."""
        return self._counters()

    def seed(self, prefix: str, highest: int) -> int:
        """Raise the highest serial of ``prefix`` (``MDKT2026``) to ``highest``; never lowers it.

        Returns the prefix's highest serial afterwards.
        """
        codes, year = split_prefix(prefix)
        highest = int(highest)
        if highest < 0:
            raise LedgerError(f"最大号码不能是负数：{highest}")
        return self._seed_many([(codes, year, highest)])[0]

    def backup(self, path: str | Path) -> Path:
        """A consistent copy of the whole ledger, written atomically (SQLite only)."""
        raise LedgerError(
            f"{self.url} 是 PostgreSQL 台账：请由 IT 用 pg_dump 每天备份（见 docs/LEDGER.md）"
        )

    # ---- context manager
    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- what a back end implements
    def init(self) -> None:
        """Create the tables (idempotent)."""
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def _allocate(self, record: dict) -> str:
        raise NotImplementedError

    def _void(self, number: str, reason: str) -> Entry | None:
        raise NotImplementedError

    def _entries(self, key: str | None) -> list[Entry]:
        raise NotImplementedError

    def _counters(self) -> list[Counter]:
        raise NotImplementedError

    def _seed_many(self, items: list[tuple[str, int, int]]) -> list[int]:
        """Raise each (codes, year) to at least its highest, all in one transaction."""
        raise NotImplementedError


# Columns every back end selects, in the order ``Entry`` takes them.
ENTRY_COLUMNS = (
    "number, codes, year, serial, brand_code, line_code, brand, line, workbench, "
    "user_name, issued_at, status, void_reason, voided_at"
)


def entry_from_row(row, to_time=lambda v: v) -> Entry:
    values = list(row)
    values[10] = to_time(values[10])
    values[13] = to_time(values[13])
    return Entry(*values)


# The tables both SQL back ends create; only the time columns' type differs.
META_TABLE = """CREATE TABLE IF NOT EXISTS jobno_ledger_meta (
        key TEXT PRIMARY KEY, value TEXT NOT NULL)"""
COUNTERS_TABLE = """CREATE TABLE IF NOT EXISTS jobno_counters (
        codes TEXT NOT NULL, year INTEGER NOT NULL,
        highest INTEGER NOT NULL CHECK (highest >= 0),
        PRIMARY KEY (codes, year))"""


def ledger_table(time_type: str, issued_default: str = "") -> str:
    """``CREATE TABLE jobno_ledger`` with the engine's time type (and issued_at default)."""
    return f"""CREATE TABLE IF NOT EXISTS jobno_ledger (
        number TEXT PRIMARY KEY, codes TEXT NOT NULL, year INTEGER NOT NULL,
        serial INTEGER NOT NULL CHECK (serial >= 1),
        brand_code TEXT, line_code TEXT, brand TEXT, line TEXT, workbench TEXT,
        user_name TEXT, issued_at {time_type} NOT NULL{issued_default},
        status TEXT NOT NULL CHECK (status IN ('issued', 'voided')),
        void_reason TEXT, voided_at {time_type},
        UNIQUE (codes, year, serial))"""


def counter_behind(name) -> LedgerError:
    """The unique number is taken although the counter allowed it: the counter is behind."""
    return LedgerError(
        f"工作号台账 {name} 的计数落后于已记录的号码：请用 aexl ledger seed 调高最大号，"
        "或联系管理员检查台账"
    )


class SqlLedger(Ledger):
    """What the SQL back ends share: a DB-API connection to the same tables.

    A back end sets ``place`` (the ledger as messages name it) and
    ``match_prefix`` (the WHERE clause for codes or codes + year, in its
    parameter style) and implements ``_guard``.
    """

    conn = None
    place = ""
    match_prefix = ""

    def _guard(self) -> AbstractContextManager[None]:
        """The driver's errors as one Chinese line each."""
        raise NotImplementedError

    def _entry(self, row) -> Entry:
        return entry_from_row(row)

    def _check_schema(self) -> None:
        row = self.conn.execute(
            "SELECT value FROM jobno_ledger_meta WHERE key = 'version'"
        ).fetchone()
        if row is None or row[0] != SCHEMA_VERSION:
            raise LedgerError(f"{self.place} 的工作号台账版本不对：请用与之匹配的 aexl 版本")

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def _entries(self, key: str | None) -> list[Entry]:
        where, params = "", ()
        if key:
            where, params = self.match_prefix, (key, key)
        with self._guard():
            rows = self.conn.execute(
                f"SELECT {ENTRY_COLUMNS} FROM jobno_ledger {where} ORDER BY codes, year, serial",
                params,
            ).fetchall()
        return [self._entry(row) for row in rows]

    def _counters(self) -> list[Counter]:
        with self._guard():
            rows = self.conn.execute(
                "SELECT codes, year, highest FROM jobno_counters ORDER BY codes, year"
            ).fetchall()
        return [Counter(*row) for row in rows]
