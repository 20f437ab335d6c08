"""The agency's job-number ledger: every number issued once, ever, by anyone.

A number is allocated by ONE atomic database operation with a unique
constraint on the number, and recorded with brand, line, year, workbench,
user, time and status (issued / voided). The next serial of a prefix
(brand code + line code + year) is past the highest ever issued or seeded
and past ``floor``, the highest serial the workbench already holds: a number
is never reused, not even a voided one.

Two back ends behind one interface (``aexl.ledger.base.Ledger``):

- ``sqlite:///路径`` — one file on one machine's own disk (WAL mode,
  ``BEGIN IMMEDIATE``); ``sqlite:////abs/path.db`` and
  ``sqlite:///C:/ledger/jobno.db`` are absolute, ``sqlite:///jobno.db`` relative.
- ``postgresql://用户:密码@服务器:5432/数据库`` — one server for the agency
  (several AEs, server workers and hosts), through psycopg 3.

The address comes from ``--ledger URL`` or the environment variable
``AEXL_LEDGER`` (``ledger_url_from``). A call site needs three lines::

    from aexl.ledger import open_ledger

    with open_ledger(url) as ledger:
        number = ledger.allocate(
            brand_code, line_code, year,
            brand=brand, line=line, workbench=path, user=user, floor=highest_in_book,
        )
        try:
            write_number_into_the_workbench(number)
        except Exception:
            ledger.void(number, "写入工作台失败")
            raise

``floor`` is the highest serial the workbench (and its in-workbench ledger)
already holds for the prefix, e.g.
``max(aexl.jobno.issued_serials(issued, brand_code + line_code, year), default=0)``.

Every failure raises a ``LedgerError`` (an ``AexlError``) with one Chinese
line; an unreachable database is a ``LedgerUnreachableError`` and nothing is
written. A new ledger is created only by ``open_ledger(url, create=True)``
(``aexl ledger init``): a mistyped path never starts numbering anew.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from aexl.ledger.base import Counter, Entry, Ledger
from aexl.ledger.errors import LedgerError, LedgerUnreachableError

ENV_VAR = "AEXL_LEDGER"
DEFAULT_TIMEOUT = 10.0  # seconds to wait for the database (connection, locks)
TIMEOUT_VAR = "AEXL_LEDGER_TIMEOUT"  # overrides DEFAULT_TIMEOUT

__all__ = [
    "ENV_VAR",
    "Counter",
    "Entry",
    "Ledger",
    "LedgerError",
    "LedgerUnreachableError",
    "ledger_url_from",
    "open_ledger",
    "void_after_failure",
]


def ledger_url_from(source=None) -> str | None:
    """The ledger address: ``source.ledger`` (parsed ``--ledger``), else ``AEXL_LEDGER``.

    ``source`` is an argparse namespace, a mapping of environment variables,
    or None for ``os.environ``. None when neither is set (the in-workbench
    ledger alone, as before).
    """
    given = getattr(source, "ledger", None)
    if given and str(given).strip():
        return str(given).strip()
    env = source if isinstance(source, Mapping) else os.environ
    value = (env.get(ENV_VAR) or "").strip()
    return value or None


def ledger_timeout() -> float:
    """``AEXL_LEDGER_TIMEOUT`` (seconds, > 0) if set and valid, else ``DEFAULT_TIMEOUT``."""
    try:
        value = float(os.environ.get(TIMEOUT_VAR) or DEFAULT_TIMEOUT)
    except ValueError:
        raise LedgerError(
            f"环境变量 {TIMEOUT_VAR} 应为秒数（如 10），现在是「{os.environ.get(TIMEOUT_VAR)}」"
        ) from None
    if not value > 0 or value == float("inf"):
        raise LedgerError(f"环境变量 {TIMEOUT_VAR} 应为大于 0 的秒数（如 10），现在是 {value:g}")
    return value


def sqlite_path(url: str) -> Path:
    """``sqlite:///jobno.db`` → ``jobno.db``; ``sqlite:////srv/jobno.db`` → ``/srv/jobno.db``."""
    rest = url[len("sqlite:///") :]
    rest = rest.split("?", 1)[0]
    if not rest.strip():
        raise LedgerError(
            f"工作号台账地址「{url}」缺少文件路径：应为 sqlite:///路径，如 sqlite:///D:/台账/工作号.db"
        )
    return Path(rest)


def open_ledger(url: str | None, *, create: bool = False, timeout: float | None = None) -> Ledger:
    """Connect to the ledger at ``url``; ``create=True`` sets up a new one (idempotent).

    ``timeout``: seconds to wait for the database (connection, locks); default
    ``AEXL_LEDGER_TIMEOUT`` from the environment, else ``DEFAULT_TIMEOUT``.
    """
    if timeout is None:
        timeout = ledger_timeout()
    text = (url or "").strip()
    if not text:
        raise LedgerError(
            "没有指定工作号台账：请用 --ledger 地址 或环境变量 AEXL_LEDGER 指定，"
            "如 sqlite:///D:/台账/工作号.db 或 postgresql://用户@服务器/数据库"
        )
    scheme = text.split(":", 1)[0].lower()
    if scheme == "sqlite" and text.lower().startswith("sqlite:///"):
        from aexl.ledger.sqlite import SqliteLedger

        return SqliteLedger(sqlite_path(text), create=create, timeout=timeout)
    if scheme in ("postgresql", "postgres") and "://" in text:
        from aexl.ledger.postgres import PostgresLedger

        return PostgresLedger(text, create=create, timeout=timeout)
    from aexl.ledger.postgres import safe_url

    raise LedgerError(
        f"工作号台账地址「{safe_url(text)}」不对：应为 sqlite:///路径（本机）"
        "或 postgresql://用户:密码@服务器:端口/数据库（全公司共用）"
    )


def void_after_failure(ledger: Ledger, numbers, exc: BaseException) -> list[str]:
    """Void ``numbers``, allocated but not written because of ``exc``; never raises.

    Returns the numbers that could not be voided (the database went away too):
    they stay 「已开」 in the ledger, which still never issues them again.
    """
    import logging

    detail = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    reason = f"写入工作台失败，号码作废：{' '.join(str(detail).split())[:200]}"
    failed = []
    for number in numbers:
        try:
            ledger.void(number, reason)
        except Exception:
            logging.getLogger("aexl.ledger").warning("could not void %s", number, exc_info=True)
            failed.append(number)
    return failed
