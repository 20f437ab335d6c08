"""The one exception tree of aexl.

An ``AexlError`` is a problem the user can fix. Its ``str()`` is one line of
Chinese that names where the problem is (file, sheet, row, column) and says
how to fix it. Adapters (CLI, UDFs, ribbon) show that line; any other
exception is a bug and is logged with its traceback.
"""

from __future__ import annotations

from pathlib import Path


class AexlError(Exception):
    """A user-fixable problem with a Chinese message."""

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = Path(file).name if file else None
        self.sheet = sheet
        self.row = row
        self.column = column

    @property
    def where(self) -> str:
        """Location prefix such as ``文件 a.xlsx，工作表「工作单」，第 5 行，「预算」列``."""
        parts = []
        if self.file:
            parts.append(f"文件 {self.file}")
        if self.sheet:
            parts.append(f"工作表「{self.sheet}」")
        if self.row:
            parts.append(f"第 {self.row} 行")
        if self.column:
            parts.append(f"「{self.column}」列")
        return "，".join(parts)

    def __str__(self) -> str:
        where = self.where
        text = f"{where}：{self.message}" if where else self.message
        from aexl.values import printable  # control characters (ESC…) shown escaped

        return printable(" ".join(text.split()))  # always a single line


class InputFileError(AexlError):
    """The file is missing, unreadable or not a workbook."""


class SheetError(AexlError):
    """A required sheet or header is missing."""


class CellError(AexlError):
    """A single cell value cannot be read."""


class FileLockedError(AexlError):
    """Excel (or another aexl run) holds the file."""


class UnsafeSaveError(AexlError):
    """Saving would lose something the user made (charts, sparklines, ...)."""


class CalendarError(AexlError):
    """A date falls in a year that neither the bundled calendar nor 节假日 knows."""


class CodeError(AexlError):
    """A brand/product-line code cannot be derived or collides with another."""


class JobNumberError(AexlError):
    """A job number is malformed or cannot be issued."""


class UsageError(AexlError):
    """A command-line argument is wrong (bad week, month, date, ...)."""


# --------------------------------------------------------- internal errors ---
ERROR_LOG_ENV = "AEXL_ERROR_LOG"
INTERNAL_ERROR = (
    "内部错误（程序缺陷，不是您的操作问题），详情已记录到 {path}，请把该文件发给维护人员。"
)


def error_log_path() -> Path:
    """Where internal errors are logged: ``$AEXL_ERROR_LOG``, else ``aexl-error.log`` in the
    system's temp folder."""
    import os
    import tempfile

    return Path(os.environ.get(ERROR_LOG_ENV) or Path(tempfile.gettempdir()) / "aexl-error.log")


def log_internal_error(where: str, exc: BaseException | None = None) -> Path:
    """Append the current exception's traceback to the error log, headed by ``where``
    (``cli``, ``ribbon new_job_number``, ``month-end 星河食品_AE工作台.xlsx``…); returns the
    log's path. Every adapter (CLI, ribbon, UDFs, server) logs a bug through here; a log
    that cannot be written is left alone (the user still gets the one-line message).
    ``exc``: an exception caught earlier (default: the one being handled)."""
    import traceback
    from datetime import datetime

    path = error_log_path()
    try:
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(f"--- {datetime.now():%Y-%m-%d %H:%M:%S} aexl {where}\n")
            trace = traceback.format_exception(exc) if exc else [traceback.format_exc()]
            fh.write("".join(trace))
    except OSError:
        pass
    return path


def internal_error_message(path: Path) -> str:
    """The one Chinese line a user sees for a bug."""
    return INTERNAL_ERROR.format(path=path)
