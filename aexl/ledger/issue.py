"""From the numbers a workbook would issue to the numbers the agency's ledger allocates.

Every issuer first numbers from the workbook itself — ``aexl.jobno.next_jobnos``
(the function behind the AE_NEXTJOBNO preview) over everything the workbook
used, its 工作单 and its in-workbench ledger — and then calls
``allocate_previewed``: without a shared ledger the preview is the number, as
before; with one, each number is allocated there, past the preview's floor,
so a number is never issued twice, whoever asks and whatever workbook state
the request carried. Callers: the ribbon's 新建工作号 (desktop and Office.js)
and ``aexl jobno new``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Wanted:
    """One row that wants a number: ``key`` is the caller's (an Excel row, say)."""

    key: object
    brand_code: str
    line_code: str
    year: int
    brand: str | None = None
    line: str | None = None

    @property
    def series(self) -> tuple[str, str, int]:
        return self.brand_code, self.line_code, self.year


def allocate_previewed(
    ledger, previews: dict, wanted: Iterable[Wanted], *, workbench=None, user=None
) -> dict:
    """``key`` → the number to write, for every wanted row, in order.

    ``previews`` holds the numbers the workbook alone would issue (``key`` →
    number). Without ``ledger`` they are returned as they are. With an
    ``aexl.ledger.Ledger`` each row's number is allocated there, past the
    first preview of its series (the workbook's highest); an allocation that
    fails voids the ones already made before the error is raised.
    """
    from aexl.jobno import parse_jobno
    from aexl.ledger import void_after_failure

    wanted = list(wanted)
    if ledger is None:
        return {item.key: previews[item.key] for item in wanted}
    floors: dict[tuple[str, str, int], int] = {}
    for item in wanted:
        serial = parse_jobno(previews[item.key], item.brand_code + item.line_code).serial
        floors[item.series] = min(floors.get(item.series, serial), serial)
    numbers: dict = {}
    for item in wanted:
        try:
            numbers[item.key] = ledger.allocate(
                item.brand_code, item.line_code, item.year, brand=item.brand, line=item.line,
                workbench=workbench, user=user, floor=floors[item.series] - 1,
            )  # fmt: skip
        except BaseException as exc:
            void_after_failure(ledger, list(numbers.values()), exc)
            raise
    return numbers
