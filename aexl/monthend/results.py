"""What the month-end batch did: per workbench (``BookResult``) and for the run (``RunSummary``)."""

from __future__ import annotations

import signal
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class BookResult:
    """What the batch did with one input."""

    path: Path
    client: str = ""
    written: list[Path] = field(default_factory=list)
    brands: list[str] = field(default_factory=list)
    errors: int = 0
    warnings: int = 0
    skipped: str | None = None  # one Chinese line, "文件 <input>：…": why it was skipped
    bug: bool = False  # skipped because of an internal error (a defect, logged)
    fatal: str | None = None  # a failure that stops the whole run (disk full): one line
    seconds: float = 0.0
    stage: Path | None = None  # private staging folder (until published)
    staged: list[tuple[Path, str]] = field(default_factory=list)  # (file, name tag)
    notes: list[str] = field(default_factory=list)  # what was left out of this workbench, and why
    findings: list = field(default_factory=list)  # the 校验结果 findings (aexl.findings.Finding)
    check: Path | None = None  # the staged 校验结果 (rewritten when the run adds findings)
    check_meta: dict = field(default_factory=dict)  # what write_check needs to write it again
    jobnos: dict = field(default_factory=dict)  # job number used -> its 工作单 row (or None)
    kept: list[tuple[Path, Path]] = field(default_factory=list)  # (edited file kept, new name)

    @property
    def ok(self) -> bool:
        return self.skipped is None


@dataclass
class RunSummary:
    month: str
    in_dir: Path
    out_dir: Path
    results: list[BookResult] = field(default_factory=list)
    cleanup: list = field(default_factory=list)  # aexl.files.tree.FileFinding
    cleanup_path: Path | None = None
    notes: list[str] = field(default_factory=list)  # inputs left alone (a FIFO named *.xlsx …)
    shared: list = field(default_factory=list)  # aexl.jobno.SharedJobno
    kept: list[tuple[Path, Path]] = field(default_factory=list)  # run-level files (clean-up list)
    removed: int = 0  # leftovers of an interrupted run removed before starting
    seconds: float = 0.0

    @property
    def read(self) -> list[BookResult]:
        return [r for r in self.results if r.ok]

    @property
    def skipped(self) -> list[BookResult]:
        return [r for r in self.results if not r.ok]

    @property
    def written(self) -> list[Path]:
        paths = [p for r in self.results for p in r.written]
        return paths + ([self.cleanup_path] if self.cleanup_path else [])

    @property
    def brands(self) -> int:
        return sum(len(r.brands) for r in self.read)

    @property
    def all_kept(self) -> list[tuple[Path, Path]]:
        return [*self.kept, *(k for r in self.results for k in r.kept)]

    @property
    def exit_code(self) -> int:
        if any(r.bug for r in self.results):
            return 3
        return 2 if self.skipped else 0

    def lines(self) -> list[str]:
        """The run summary (Chinese), one item per line."""
        errors = sum(r.errors for r in self.read)
        warnings = sum(r.warnings for r in self.read)
        out = [
            f"月底批处理 {self.month} 完成：读取工作台 {len(self.read)} 个，品牌 {self.brands} 个，"
            f"写出文件 {len(self.written)} 个，校验发现错误 {errors} 个、警告 {warnings} 个，"
            f"跳过输入 {len(self.skipped)} 个，用时 {self.seconds:.1f} 秒。",
            f"输出文件夹：{self.out_dir}",
        ]
        for r in self.read:
            out.append(
                f"  {r.path.name}：品牌 {len(r.brands)} 个，文件 {len(r.written)} 个，"
                f"错误 {r.errors} 个、警告 {r.warnings} 个"
            )
            out += [f"    {note}" for note in r.notes]
        for r in self.skipped:
            out.append(f"  已跳过 {r.skipped}")  # the line names the file (and sheet, row)
        out += [f"  未读取 {note}" for note in self.notes]
        out += self._shared_lines() + self._kept_lines()
        if self.removed:
            out.append(f"已清除上次中断的月底批处理留下的临时文件 {self.removed} 个。")
        if self.cleanup_path is not None:
            out.append(
                f"文件整理：待清理文件 {len(self.cleanup)} 个（超过一个月未改动的工作文件），"
                f"清单见 {self.cleanup_path.name}"
            )
        return out

    def _shared_lines(self) -> list[str]:
        return [
            f"  工作号 {s.jobno} 同时出现在 {'、'.join(s.books)}：工作号只能使用一次，"
            "请核对并为其中一个工作台的工作改用新号（已记入这些工作台的校验结果）"
            for s in self.shared
        ]

    def _kept_lines(self) -> list[str]:
        return [
            f"  保留了 {old.name}（生成后被修改过），新文件写到 {new.name}；要覆盖请加 --force"
            for old, new in self.all_kept
        ]


SIGNAL_NAMES = {signal.SIGINT: "Ctrl+C", signal.SIGTERM: "终止信号 SIGTERM"}


class Interrupted(BaseException):
    """SIGINT / SIGTERM arrived: the run stops (a BaseException, so no handler swallows it)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum
        self.done = 0  # workbenches finished before the signal
        self.total = 0
        self.published: list[Path] = []  # files written (a signal during publishing waits)

    @property
    def exit_code(self) -> int:
        return 128 + self.signum

    def line(self) -> str:
        """One Chinese line: what was finished and what the folder holds now."""
        why = SIGNAL_NAMES.get(self.signum, f"信号 {self.signum}")
        if self.published:
            return (
                f"月底批处理被中断（{why}）：中断时 {self.total} 个工作台已全部处理完，"
                f"{len(self.published)} 个文件已写出。"
            )
        return (
            f"月底批处理被中断（{why}）：已处理 {self.done}/{self.total} 个工作台，"
            "未写出任何文件，输出文件夹保持原样，临时文件已清除；请重新运行。"
        )
