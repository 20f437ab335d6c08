"""The SQLite ledger: one file on one machine's own disk (standard library only).

WAL mode lets readers work while a number is issued; every write is one
``BEGIN IMMEDIATE`` transaction, so concurrent processes take turns (each
waits up to ``timeout`` seconds). ``synchronous=FULL``: a number reported
issued survives a power cut, so it can never be handed out again.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from aexl.ledger.base import (
    COUNTERS_TABLE,
    ENTRY_COLUMNS,
    INIT_HINT,
    ISSUED,
    META_TABLE,
    SCHEMA_VERSION,
    VOIDED,
    Entry,
    SqlLedger,
    counter_behind,
    entry_from_row,
    ledger_table,
)
from aexl.ledger.errors import LedgerError, LedgerUnreachableError

SCHEMA = (
    META_TABLE,
    COUNTERS_TABLE,
    ledger_table("TEXT"),
    "INSERT OR IGNORE INTO jobno_ledger_meta (key, value) VALUES ('version', ?)",
)

BUMP = """INSERT INTO jobno_counters (codes, year, highest) VALUES (?, ?, ?)
    ON CONFLICT (codes, year) DO UPDATE SET highest = max(highest, excluded.highest)
    RETURNING highest"""
NEXT = """INSERT INTO jobno_counters (codes, year, highest) VALUES (?, ?, ? + 1)
    ON CONFLICT (codes, year) DO UPDATE SET highest = max(highest, excluded.highest - 1) + 1
    RETURNING highest"""
RECORD = """INSERT INTO jobno_ledger (number, codes, year, serial, brand_code, line_code,
    brand, line, workbench, user_name, issued_at, status)
    VALUES (:number, :codes, :year, :serial, :brand_code, :line_code,
    :brand, :line, :workbench, :user_name, :issued_at, 'issued')"""


def now_text() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def to_time(value):
    return datetime.fromisoformat(value) if value else None


class SqliteLedger(SqlLedger):
    match_prefix = "WHERE codes = ? OR codes || year = ?"

    def __init__(self, path: str | Path, *, create: bool = False, timeout: float = 10.0):
        self.path = Path(path)
        self.url = f"sqlite:///{self.path}"
        self.place = str(self.path)
        self.timeout = timeout
        self.conn = None
        if not create and not self.path.is_file():
            raise LedgerError(
                f"找不到工作号台账 {self.path}：请检查 --ledger 或环境变量 AEXL_LEDGER 的路径；"
                f"第一次使用{INIT_HINT[1:]}"
            )
        if create and not self.path.parent.is_dir():
            raise LedgerError(f"文件夹 {self.path.parent} 不存在：请先建好文件夹，再建立工作号台账")
        mode = "rwc" if create else "rw"
        with self._guard():
            self.conn = sqlite3.connect(
                f"{self.path.resolve().as_uri()}?mode={mode}",
                uri=True,
                timeout=timeout,
                isolation_level=None,  # transactions are explicit: BEGIN IMMEDIATE
            )
        try:
            with self._guard():
                self.conn.execute("PRAGMA synchronous = FULL")
                (self.init if create else self._check_schema)()
        except BaseException:
            self.close()
            raise

    # ---- plumbing
    @contextmanager
    def _guard(self) -> Iterator[None]:
        """sqlite3 errors as one Chinese line each."""
        try:
            yield
        except sqlite3.IntegrityError:
            raise counter_behind(self.path) from None
        except sqlite3.OperationalError as exc:
            raise self._operational(str(exc)) from None
        except sqlite3.DatabaseError:
            raise LedgerError(
                f"{self.path} 不是工作号台账，或文件已损坏：请检查路径，或从备份恢复台账"
            ) from None

    def _operational(self, text: str) -> LedgerError:
        text = text.lower()
        if "locked" in text or "busy" in text:
            return LedgerUnreachableError(
                f"工作号台账 {self.path} 正被其他程序占用，等了 {self.timeout:g} 秒仍未释放："
                "请稍后重试；本次没有写入任何内容"
            )
        if "no such table" in text:
            return LedgerError(f"{self.path} 里还没有工作号台账：{INIT_HINT}")
        return LedgerUnreachableError(
            f"无法读写工作号台账 {self.path}：请确认文件所在的磁盘可用、有读写权限"
            "（台账须放在本机磁盘上，共享请用 PostgreSQL）；本次没有写入任何内容"
        )

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._guard():
            self._begin()
            try:
                yield self.conn
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise

    def _begin(self) -> None:
        """``BEGIN IMMEDIATE``, retried every millisecond or so until ``timeout``.

        SQLite's own busy handler backs off to 100 ms sleeps, so under contention a
        waiting issuer often sleeps long after the lock is free; short jittered
        retries keep the wait close to the queue's real length.
        """
        deadline = time.monotonic() + self.timeout
        delay = 0.0005
        self.conn.execute("PRAGMA busy_timeout = 0")
        try:
            while True:
                try:
                    self.conn.execute("BEGIN IMMEDIATE")
                    return
                except sqlite3.OperationalError as exc:
                    text = str(exc).lower()
                    if ("locked" not in text and "busy" not in text) or time.monotonic() > deadline:
                        raise
                time.sleep(delay * random.uniform(0.5, 1.5))
                delay = min(delay * 1.5, 0.005)
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {int(self.timeout * 1000)}")

    def init(self) -> None:
        with self._guard():
            self.conn.execute("PRAGMA journal_mode = WAL")
        with self._transaction() as conn:
            for statement in SCHEMA[:-1]:
                conn.execute(statement)
            conn.execute(SCHEMA[-1], (SCHEMA_VERSION,))
        with self._guard():
            self._check_schema()

    def backup(self, path: str | Path) -> Path:
        """SQLite's online backup into a temp file beside ``path``, renamed into place."""
        from aexl.workbook.write import atomic_write

        target = Path(path)
        if target.resolve() == self.path.resolve():
            raise LedgerError(f"备份文件不能是台账本身 {self.path}：请换一个文件名")

        def write(tmp: str) -> None:
            Path(tmp).unlink()
            copy = sqlite3.connect(tmp)
            try:
                with self._guard():
                    self.conn.backup(copy)
            finally:
                copy.close()

        return atomic_write(target, write)

    def _entry(self, row) -> Entry:
        return entry_from_row(row, to_time)

    # ---- the operations
    def _allocate(self, record: dict) -> str:
        with self._transaction() as conn:
            (serial,) = conn.execute(
                NEXT, (record["codes"], record["year"], record["floor"])
            ).fetchone()
            number = f"{record['codes']}{record['year']}{serial:03d}"
            conn.execute(
                RECORD, {**record, "number": number, "serial": serial, "issued_at": now_text()}
            )
        return number

    def _void(self, number: str, reason: str) -> Entry | None:
        with self._transaction() as conn:
            conn.execute(
                "UPDATE jobno_ledger SET status = ?, void_reason = ?, voided_at = ? "
                "WHERE number = ? AND status = ?",
                (VOIDED, reason, now_text(), number, ISSUED),
            )
            row = conn.execute(
                f"SELECT {ENTRY_COLUMNS} FROM jobno_ledger WHERE number = ?", (number,)
            ).fetchone()
        return self._entry(row) if row else None

    def _seed_many(self, items: list[tuple[str, int, int]]) -> list[int]:
        with self._transaction() as conn:
            return [conn.execute(BUMP, item).fetchone()[0] for item in items]
