"""Where a sign-off chain (签核) stands: one reading for ``check`` and for capturing sign-offs.

A job's signatures of one flow are read in sheet order against the flow's
chain (``schema.SIGNOFF_CHAINS``): the n-th signature of a round is the
chain's n-th step; a 拒单/退回 ends the round and the next one starts again
at step 1; a round reaching the chain's last step is complete and a later
signature starts a new round. ``ChainState.sign`` takes one signature and
says what ``check`` says of it (``sign.repeated``, ``sign.out_of_order``);
``chain_state`` reads a whole list. ``aexl.validate.flow`` reports with it
and ``aexl.planning`` asks it which step is expected next.

>>> state = chain_state([("AE", "通过"), ("AD", "通过")], "工作单确认")
>>> state.next_step, state.position
('CD', 3)
>>> state.sign("电脑").code
'sign.out_of_order'
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from aexl import schema
from aexl.findings import ERROR, WARNING
from aexl.rules import ENDS_ROUND, normalise_step

OUT_OF_ORDER = "sign.out_of_order"
REPEATED = "sign.repeated"


@dataclass(frozen=True)
class Verdict:
    """What ``check`` says of one signature: its finding code, severity and message."""

    code: str
    severity: str
    message: str


@dataclass
class ChainState:
    """One job's flow: the step expected next, and the rounds completed so far."""

    flow: str
    expected: int = 0  # index in the chain of the step expected next
    restarted: bool = False  # the latest round ended in 拒单/退回
    completed: list = field(default_factory=list)  # date of each round's completing signature
    last_day: date | None = None  # date of the latest signature

    @property
    def chain(self) -> tuple[str, ...]:
        return schema.SIGNOFF_CHAINS[self.flow]

    @property
    def next_step(self) -> str:
        return self.chain[self.expected]

    @property
    def position(self) -> int:
        """1-based position of the step expected next."""
        return self.expected + 1

    def missing(self) -> list[str]:
        """The steps the current round still lacks, in order."""
        return list(self.chain[self.expected :])

    def verdict(self, step: str) -> Verdict | None:
        """What ``check`` says of ``step`` (a chain name) signed now; None when it is in order."""
        chain = self.chain
        if step not in chain or chain[self.expected] == step:
            return None
        if self.expected and chain[self.expected - 1] == step:
            return Verdict(
                REPEATED,
                WARNING,
                f"「{step}」在本轮已经签过，这一行是重复签名：请删除重复行，"
                "或在上一行的结果填「拒单」/「退回」后再开始新一轮。",
            )
        return Verdict(OUT_OF_ORDER, ERROR, self.out_of_order_message(step))

    def out_of_order_message(self, step: str) -> str:
        """``check``'s message for ``step`` signed when ``next_step`` is expected."""
        chain = self.chain
        if self.restarted and self.expected == 0:
            why = f"上一轮已拒单/退回，新一轮须从第 1 步「{chain[0]}」重新开始"
        elif self.expected == 0:
            why = f"本轮应从第 1 步「{chain[0]}」开始"
        else:
            why = f"「{chain[self.expected - 1]}」之后下一步应由「{chain[self.expected]}」签核"
        return (
            f"「{step}」签核顺序不对：{why}。「{self.flow}」的顺序是 {' → '.join(chain)}；"
            "请按顺序补签，或更正本行的步骤。"
        )

    def sign(self, step: str, result: str = "", day: date | None = None) -> Verdict | None:
        """Take one signature (``step`` a chain name) and return ``verdict(step)``.

        A step out of order moves the round on to the step after it (its first
        place at or after the expected one), so one missing step gives one
        finding, not one per later row. A step not of the chain changes nothing.
        """
        chain = self.chain
        if step not in chain:
            return None
        found = self.verdict(step)
        if found is None:
            self.expected += 1
        elif found.code == OUT_OF_ORDER:
            later = [i for i, s in enumerate(chain) if s == step and i >= self.expected]
            self.expected = (later[0] if later else chain.index(step)) + 1
        self.last_day = day or self.last_day
        self.restarted = result in ENDS_ROUND
        if self.restarted:
            self.expected = 0
        elif self.expected >= len(chain):
            self.completed.append(day)
            self.expected = 0  # a later signature starts a new round
        return found


def chain_state(rows: Iterable[tuple], flow: str) -> ChainState:
    """The ``ChainState`` of ``flow`` after ``rows``: (步骤, 结果) or (步骤, 结果, 日期) in
    sheet order, 步骤 as written (read by ``rules.normalise_step``)."""
    state = ChainState(flow)
    for step, result, *day in rows:
        state.sign(normalise_step(step, flow), result or "", day[0] if day else None)
    return state
