"""A year-scale account set for the month-end benchmark.

About 20 workbenches (one per client) and about 100,000 register rows in
all — jobs, revisions, sign-offs, weekly entries, meetings, placements,
effects, notes — made by ``workbooks/make_sample.build_sample`` with a
``scale`` that multiplies the jobs of every product line.

    python bench/gen_accounts.py OUT_DIR [--clients 20] [--rows 100000] [--seed 7]

prints the workbenches written and the row count per register.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def load_make_sample():
    """workbooks/make_sample.py, imported as the module ``make_sample``."""
    folder = str(ROOT / "workbooks")
    if folder not in sys.path:
        sys.path.insert(0, folder)
    import make_sample

    return make_sample


def count_rows(make, clients: int, seed: int, scale: float) -> dict[str, int]:
    """Register rows the generator would write (without writing anything)."""
    totals: dict[str, int] = {}
    for client in make.client_list(clients, seed):
        rows, _images = make.client_rows(client, seed, scale)
        for sheet, values in rows.items():
            totals[sheet] = totals.get(sheet, 0) + len(values)
    return totals


def scale_for(make, rows: int, clients: int, seed: int) -> float:
    """The scale that gives about ``rows`` register rows (linear fit through scales 1 and 2)."""
    one = sum(count_rows(make, clients, seed, 1).values())
    two = sum(count_rows(make, clients, seed, 2).values())
    per_scale = max(1, two - one)
    return max(0.25, round(1 + (rows - one) / per_scale, 2))


def generate(
    out_dir: str | Path,
    *,
    clients: int = 20,
    rows: int = 100_000,
    seed: int = 7,
    scale: float | None = None,
) -> tuple[list[Path], dict[str, int]]:
    """Write the account set into ``out_dir``; (workbenches, rows per register)."""
    make = load_make_sample()
    if scale is None:
        scale = scale_for(make, rows, clients, seed)
    out_dir = Path(out_dir)
    written = make.build_sample(out_dir, seed=seed, scale=scale, clients=clients)
    books = [p for p in written if p.suffix == ".xlsx"]
    return books, count_rows(make, clients, seed, scale)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--rows", type=int, default=100_000, help="register rows in all (approx.)")
    parser.add_argument("--scale", type=float, default=None, help="override the computed scale")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    books, totals = generate(
        args.out, clients=args.clients, rows=args.rows, seed=args.seed, scale=args.scale
    )
    for path in books:
        print(path)
    summary = "，".join(f"{sheet} {n}" for sheet, n in totals.items())
    print(
        f"{len(books)} 个工作台，共 {sum(totals.values())} 行（{summary}），"
        f"用时 {time.perf_counter() - started:.1f} 秒",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
