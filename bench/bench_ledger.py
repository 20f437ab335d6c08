"""Benchmark the job-number ledger: allocations per second and latency per allocation.

    python bench/bench_ledger.py                      # SQLite and PostgreSQL, 1/4/16 clients
    python bench/bench_ledger.py --count 50 --clients 1,4 --backends sqlite

Each client is its own process (spawned, as separate AEs or server workers
are) with its own connection; all of them allocate on ONE prefix, the
worst case: every allocation waits for the one before it. SQLite is a file
in a temporary folder (WAL, ``synchronous=FULL``); PostgreSQL is a throwaway
server on loopback with fsync on (``aexl.ledger.tempserver``, durable), so
both engines make every number durable before reporting it. Throughput is
all allocations over the time from the common start to the last client's
end; latency is each ``allocate`` call, p50 and p99 over every call.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from multiprocessing import get_context
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aexl.ledger import open_ledger  # noqa: E402

_BARRIER = None


def _join(barrier) -> None:
    global _BARRIER
    _BARRIER = barrier


def client(url: str, count: int) -> tuple[float, float, list[float], list[str]]:
    """Open the ledger, wait for the others, allocate ``count`` numbers; times and numbers."""
    with open_ledger(url, timeout=120) as ledger:
        _BARRIER.wait(timeout=300)
        start = time.perf_counter()
        latencies, issued = [], []
        for _ in range(count):
            t0 = time.perf_counter()
            issued.append(
                ledger.allocate("MD", "KT", 2026, brand="美的", line="空调", user="bench")
            )
            latencies.append(time.perf_counter() - t0)
        return start, time.perf_counter(), latencies, issued


def measure(url: str, clients: int, count: int) -> dict:
    open_ledger(url, create=True).close()
    context = get_context("spawn")
    barrier = context.Barrier(clients)
    with context.Pool(clients, initializer=_join, initargs=(barrier,)) as pool:
        results = pool.starmap(client, [(url, count)] * clients, chunksize=1)
    starts, ends, latencies, issued = zip(*results, strict=True)
    numbers = [n for batch in issued for n in batch]
    total = clients * count
    assert len(set(numbers)) == total, "numbers issued twice"
    assert sorted(numbers) == sorted(f"MDKT2026{n:03d}" for n in range(1, total + 1))
    flat = sorted(x for batch in latencies for x in batch)
    seconds = max(ends) - min(starts)
    return {
        "allocations": total,
        "per_second": total / seconds,
        "p50_ms": statistics.median(flat) * 1000,
        "p99_ms": flat[min(len(flat) - 1, int(len(flat) * 0.99))] * 1000,
    }


def sqlite_urls(folder: Path):
    n = 0
    while True:
        n += 1
        yield f"sqlite:///{folder / f'ledger{n}.db'}"


def postgres_urls(server):
    import psycopg

    n = 0
    while True:
        n += 1
        with psycopg.connect(server.url, autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE bench{n}")
        yield server.url.rsplit("/", 1)[0] + f"/bench{n}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200, help="allocations per client")
    parser.add_argument("--clients", default="1,4,16", help="client counts, comma-separated")
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    client_counts = [int(c) for c in args.clients.split(",")]
    backends = args.backends.split(",")
    rows = []
    with tempfile.TemporaryDirectory(prefix="aexl-bench-ledger-") as tmp:
        for backend in backends:
            server = None
            if backend == "sqlite":
                urls = sqlite_urls(Path(tmp))
            else:
                from aexl.ledger.tempserver import TempPostgres

                server = TempPostgres.start(durable=True)
                urls = postgres_urls(server)
            try:
                for clients in client_counts:
                    figures = measure(next(urls), clients, args.count)
                    rows.append((backend, clients, figures))
                    print(f"  {backend} × {clients}: done", file=sys.stderr, flush=True)
            finally:
                if server is not None:
                    server.stop()
    print(f"\nledger allocations, one prefix, {args.count} per client, {os.cpu_count()} CPUs")
    print(
        f"{'back end':<11} {'clients':>7} {'allocations':>11} {'alloc/s':>9} {'p50 ms':>8} {'p99 ms':>8}"
    )
    for backend, clients, f in rows:
        print(
            f"{backend:<11} {clients:>7} {f['allocations']:>11} {f['per_second']:>9.0f} "
            f"{f['p50_ms']:>8.2f} {f['p99_ms']:>8.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
