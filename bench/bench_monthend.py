"""Benchmark: ``aexl month-end`` against the floor and the naive baseline.

On a generated year-scale account set (``bench/gen_accounts.py``: about 20
workbenches, 100,000 register rows) and on the same set with the data
doubled, in one run:

- ``month-end``: the real command, ``python -m aexl month-end --month M --in DIR --out TMP``;
- ``floor``: python-calamine reading every sheet of every input into DataFrames;
- ``naive``: ``pandas.read_excel(engine="openpyxl", sheet_name=None)`` on the same files.

Each is a fresh subprocess (so interpreter and import start-up count the
same for all three; aexl is byte-compiled first, as an installed package
is). They run in turn, one of each per round, for ``--runs`` rounds (default
3), so a busy spell of a shared machine falls on all of them alike;
month-end writes into a new folder each run. The table shows the medians and
the peak memory (``ru_maxrss`` of the command's process tree:
the largest single process — month-end's workers are separate processes).

Targets: month-end ≤ 3 × floor (the median of the per-round ratios) and
≤ 0.3 × naive; peak memory ≤ 1 GiB;
doubling the data at most doubles the time (+10 %).

    python bench/bench_monthend.py [--work DIR] [--rows 100000] [--clients 20] [--runs 3]

Not part of the test run. The data sets are cached in ``--work`` (default
``<temp>/aexl-bench-data``) and reused when their parameters match.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GIB = 1024**3

# Runs a command and reports its wall time and the peak RSS of its process tree.
WRAPPER = r"""
import json, resource, subprocess, sys, time
started = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
seconds = time.perf_counter() - started
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
peak = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
cpu = usage.ru_utime + usage.ru_stime
print(json.dumps({"seconds": seconds, "cpu": cpu, "peak": peak, "rc": done.returncode, "err": done.stderr[-2000:]}))
"""

FLOOR = r"""
import sys
from pathlib import Path
import pandas as pd
from python_calamine import CalamineWorkbook
rows = 0
for path in sorted(Path(sys.argv[1]).glob("*.xlsx")):
    book = CalamineWorkbook.from_path(str(path))
    for name in book.sheet_names:
        values = book.get_sheet_by_name(name).to_python()
        frame = pd.DataFrame(values[1:], columns=values[0]) if values else pd.DataFrame()
        rows += len(frame)
print(rows)
"""

NAIVE = r"""
import sys
from pathlib import Path
import pandas as pd
rows = 0
for path in sorted(Path(sys.argv[1]).glob("*.xlsx")):
    frames = pd.read_excel(path, sheet_name=None, engine="openpyxl")
    rows += sum(len(f) for f in frames.values())
print(rows)
"""


def ensure_data(work: Path, name: str, *, clients: int, rows: int, seed: int) -> tuple[Path, int]:
    """Generate (or reuse) an account set; returns its folder and register row count."""
    sys.path.insert(0, str(HERE))
    import gen_accounts

    folder = work / name
    marker = folder / "params.json"
    params = {"clients": clients, "rows": rows, "seed": seed}
    if marker.exists():
        saved = json.loads(marker.read_text(encoding="utf-8"))
        if saved.get("params") == params:
            return folder, saved["total"]
    if folder.exists():
        shutil.rmtree(folder)
    print(f"生成数据 {name}：{clients} 个工作台，约 {rows} 行……", file=sys.stderr, flush=True)
    _books, totals = gen_accounts.generate(folder, clients=clients, rows=rows, seed=seed)
    total = sum(totals.values())
    marker.write_text(json.dumps({"params": params, "total": total}), encoding="utf-8")
    return folder, total


def run_once(command: list[str]) -> dict:
    """One fresh run of ``command``: wall seconds, CPU seconds and peak RSS of its tree."""
    done = subprocess.run(
        [sys.executable, "-c", WRAPPER, *command], capture_output=True, text=True, check=True,
        cwd=ROOT,
    )  # fmt: skip
    result = json.loads(done.stdout)
    if result["rc"] not in (0,):
        raise SystemExit(f"命令失败（退出码 {result['rc']}）：{' '.join(command)}\n{result['err']}")
    return result


def measure_rounds(commands: dict, runs: int) -> dict[str, dict]:
    """Each command of ``{name: make(run) -> argv}`` once per round, ``runs`` rounds, so a
    busy spell of a shared machine falls on all of them alike. Per name: the median wall
    and CPU time, every run, the largest peak RSS."""
    found: dict[str, list[dict]] = {name: [] for name in commands}
    for run in range(runs):
        for name, make in commands.items():
            found[name].append(run_once(make(run)))
    return {
        name: {
            "median": statistics.median(r["seconds"] for r in results),
            "cpu": statistics.median(r["cpu"] for r in results),
            "runs": [r["seconds"] for r in results],
            "peak": max(r["peak"] for r in results),
        }
        for name, results in found.items()
    }


def round_ratio(results: dict, top: str, bottom: str) -> float:
    """The median over rounds of ``top``'s wall time over ``bottom``'s in the same round."""
    pairs = zip(results[top]["runs"], results[bottom]["runs"], strict=True)
    return statistics.median(a / b for a, b in pairs)


def compile_package() -> None:
    """Byte-compile aexl first, as an installed package is: a machine with
    ``PYTHONDONTWRITEBYTECODE=1`` (CI, this one) would otherwise compile ~55 modules
    from source on every run, which no user's installation does."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "aexl")], check=False)


def month_end_command(folder: Path, out: Path, month: str, workers: int) -> list[str]:
    return [
        sys.executable, "-m", "aexl", "month-end", "--month", month,
        "--in", str(folder), "--out", str(out), "--workers", str(workers),
    ]  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark aexl month-end.")
    parser.add_argument(
        "--work", type=Path, default=Path(tempfile.gettempdir()) / "aexl-bench-data"
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--month", default="2026-10")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    compile_package()

    args.work.mkdir(parents=True, exist_ok=True)
    base, base_rows = ensure_data(
        args.work, "x1", clients=args.clients, rows=args.rows, seed=args.seed
    )
    double, double_rows = ensure_data(
        args.work, "x2", clients=args.clients, rows=2 * args.rows, seed=args.seed
    )
    out = Path(tempfile.mkdtemp(prefix="aexl-bench-"))
    env_note = f"{os.cpu_count()} CPU，Python {sys.version.split()[0]}，每项 {args.runs} 次取中位数"
    print(f"aexl month-end 基准测试（{env_note}）", file=sys.stderr)
    results: dict[tuple[str, str], dict] = {}
    try:
        for label, folder in (("x1", base), ("x2", double)):
            commands = {  # month-end writes into a new folder each run, as a month's first run does
                "month-end": lambda run, f=folder, label=label: month_end_command(
                    f, out / f"{label}-{run}", args.month, args.workers
                ),
                "floor": lambda run, f=folder: [sys.executable, "-c", FLOOR, str(f)],
            }
            if label == "x1":  # the doubling check needs month-end (and floor for reference)
                commands["naive"] = lambda run, f=folder: [sys.executable, "-c", NAIVE, str(f)]
            print(f"  测量 {label}：{'、'.join(commands)} 轮流各 {args.runs} 次……", file=sys.stderr, flush=True)  # fmt: skip
            for name, found in measure_rounds(commands, args.runs).items():
                results[(label, name)] = found
            results[(label, "ratio")] = round_ratio(
                {k[1]: v for k, v in results.items() if k[0] == label and k[1] != "ratio"},
                "month-end", "floor",
            )  # fmt: skip
    finally:
        shutil.rmtree(out, ignore_errors=True)

    me, floor, naive = (results[("x1", n)] for n in ("month-end", "floor", "naive"))
    me2, floor2 = results[("x2", "month-end")], results[("x2", "floor")]
    files = len(list(base.glob("*.xlsx")))
    rows = [
        ("data set x1", f"{files} 个工作台，{base_rows:,} 行"),
        ("data set x2", f"{len(list(double.glob('*.xlsx')))} 个工作台，{double_rows:,} 行"),
    ]
    print()
    for key, value in rows:
        print(f"{key:<14}{value}")
    print()
    header = (
        f"{'command':<12}{'x1 wall s':>11}{'x1 cpu s':>10}{'x2 wall s':>11}{'x2 cpu s':>10}"
        f"{'x2/x1 wall':>12}{'x2/x1 cpu':>11}{'peak MiB':>10}"
    )
    print(header)
    print("-" * len(header))
    for name, first, second in (
        ("month-end", me, me2),
        ("floor", floor, floor2),
        ("naive", naive, None),
    ):
        cells = [f"{first['median']:>11.2f}", f"{first['cpu']:>10.2f}"]
        if second:
            cells += [f"{second['median']:>11.2f}", f"{second['cpu']:>10.2f}"]
            cells += [f"{second['median'] / first['median']:>12.2f}"]
            cells += [f"{second['cpu'] / first['cpu']:>11.2f}"]
        else:
            cells += [f"{'-':>11}", f"{'-':>10}", f"{'-':>12}", f"{'-':>11}"]
        peak = max(first["peak"], second["peak"] if second else 0) / 2**20
        print(f"{name:<12}{''.join(cells)}{peak:>10.0f}")
    print()
    checks = [  # the targets are wall time: month-end uses both cores, the baselines one
        ("month-end ≤ 3 × floor (wall)", results[("x1", "ratio")], 3.0),
        ("month-end ≤ 0.3 × naive (wall)", me["median"] / naive["median"], 0.3),
        ("peak memory ≤ 1 GiB", max(me["peak"], me2["peak"]) / GIB, 1.0),
        ("x2 data ≤ 2.2 × time (wall)", me2["median"] / me["median"], 2.2),
    ]
    for text, value, limit in checks:
        verdict = "PASS" if value <= limit else "FAIL"
        print(f"{text:<32}{value:>8.2f}  (limit {limit})  {verdict}")
    print("for reference, CPU time (all processes, no target):")
    for text, value in (
        ("  month-end ÷ floor", me["cpu"] / floor["cpu"]),
        ("  month-end ÷ naive", me["cpu"] / naive["cpu"]),
        ("  x2 ÷ x1 month-end", me2["cpu"] / me["cpu"]),
    ):
        print(f"{text:<32}{value:>8.2f}")
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    if load:
        print(f"\nload average at the end: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}")
    runs = {
        f"{k[0]} {k[1]}": [round(t, 2) for t in v["runs"]]
        for k, v in results.items()
        if k[1] != "ratio"
    }
    print(f"\nall runs (s): {json.dumps(runs, ensure_ascii=False)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
