"""The PostgreSQL ledger: one server shared by every AE, server worker and host.

A number is issued by ONE statement (the counter's upsert and the record's
insert in one CTE), so it commits whole or not at all, and concurrent
issuers queue on the counter's row lock. psycopg 3 is imported only here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

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
    ledger_table,
)
from aexl.ledger.errors import LedgerError, LedgerUnreachableError

INIT_LOCK = 0x41455850  # pg_advisory_xact_lock key: concurrent `init`s take turns

SCHEMA = (
    META_TABLE,
    COUNTERS_TABLE,
    ledger_table("TIMESTAMPTZ", " DEFAULT now()"),
    """INSERT INTO jobno_ledger_meta (key, value) VALUES ('version', %s)
        ON CONFLICT (key) DO NOTHING""",
)

ALLOCATE = """
WITH c AS (
    INSERT INTO jobno_counters AS t (codes, year, highest)
    VALUES (%(codes)s, %(year)s, %(floor)s + 1)
    ON CONFLICT (codes, year) DO UPDATE SET highest = GREATEST(t.highest, EXCLUDED.highest - 1) + 1
    RETURNING highest
)
INSERT INTO jobno_ledger (number, codes, year, serial, brand_code, line_code,
    brand, line, workbench, user_name, status)
SELECT %(codes)s::text || %(year)s::text
        || CASE WHEN c.highest < 1000 THEN lpad(c.highest::text, 3, '0') ELSE c.highest::text END,
    %(codes)s, %(year)s, c.highest, %(brand_code)s, %(line_code)s,
    %(brand)s, %(line)s, %(workbench)s, %(user_name)s, 'issued'
FROM c
RETURNING number"""

BUMP = """INSERT INTO jobno_counters AS t (codes, year, highest) VALUES (%s, %s, %s)
    ON CONFLICT (codes, year) DO UPDATE SET highest = GREATEST(t.highest, EXCLUDED.highest)
    RETURNING highest"""


def safe_url(url: str) -> str:
    """The address without its password."""
    return re.sub(r"(//[^/:@]*):[^@/]*@", r"\1:***@", url)


class PostgresLedger(SqlLedger):
    match_prefix = "WHERE codes = %s OR codes || year::text = %s"

    def __init__(self, url: str, *, create: bool = False, timeout: float = 10.0):
        self.url = safe_url(url)
        self.place = f"数据库 {self.url}"
        self.timeout = timeout
        self.conn = None
        try:
            import psycopg
        except ImportError:
            raise LedgerError(
                '要使用 PostgreSQL 工作号台账，需要安装 psycopg：pip install "psycopg[binary]"'
            ) from None
        self._psycopg = psycopg
        millis = int(timeout * 1000)
        with self._guard():
            self.conn = psycopg.connect(
                url,
                autocommit=True,  # each statement is its own transaction
                connect_timeout=max(1, round(timeout)),
                application_name="aexl",
                options=f"-c statement_timeout={millis} -c lock_timeout={millis}",
            )
        try:
            with self._guard():
                (self.init if create else self._check_schema)()
        except BaseException:
            self.close()
            raise

    # ---- plumbing
    @contextmanager
    def _guard(self) -> Iterator[None]:
        """psycopg errors as one Chinese line each."""
        errors = self._psycopg.errors
        try:
            yield
        except errors.UndefinedTable:
            raise LedgerError(f"数据库 {self.url} 里还没有工作号台账：{INIT_HINT}") from None
        except errors.InsufficientPrivilege:
            raise LedgerError(
                f"数据库 {self.url} 的这个用户没有读写工作号台账的权限：请联系管理员授权"
            ) from None
        except errors.IntegrityError:
            raise counter_behind(self.url) from None
        except self._psycopg.Error:
            if self.conn is None:
                what = f"无法连接工作号台账数据库 {self.url}"
            else:
                what = f"与工作号台账数据库 {self.url} 的连接出错"
            raise LedgerUnreachableError(
                f"{what}：请确认数据库服务器已启动，地址、端口、用户名和密码正确且网络可达"
                "（或联系管理员），然后重试；本次没有写入任何内容"
            ) from None

    def init(self) -> None:
        with self._guard():
            with self.conn.transaction():
                self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (INIT_LOCK,))
                for statement in SCHEMA[:-1]:
                    self.conn.execute(statement)
                self.conn.execute(SCHEMA[-1], (SCHEMA_VERSION,))
            self._check_schema()

    # ---- the operations
    def _allocate(self, record: dict) -> str:
        with self._guard():
            return self.conn.execute(ALLOCATE, record).fetchone()[0]

    def _void(self, number: str, reason: str) -> Entry | None:
        with self._guard(), self.conn.transaction():
            self.conn.execute(
                "UPDATE jobno_ledger SET status = %s, void_reason = %s, voided_at = now() "
                "WHERE number = %s AND status = %s",
                (VOIDED, reason, number, ISSUED),
            )
            row = self.conn.execute(
                f"SELECT {ENTRY_COLUMNS} FROM jobno_ledger WHERE number = %s", (number,)
            ).fetchone()
        return self._entry(row) if row else None

    def _seed_many(self, items: list[tuple[str, int, int]]) -> list[int]:
        with self._guard(), self.conn.transaction():
            return [self.conn.execute(BUMP, item).fetchone()[0] for item in items]
