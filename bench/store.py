"""Benchmark: the decision log on SQLite and on PostgreSQL, appends/s and verify rows/s.

For each size (10,000 and 1,000,000 rows by default) and each store, fills a new
log in chunks of --chunk rows (one transaction each, as `disclosure check` logs a
batch), then verifies the whole chain once. Also times --single one-row appends
(one transaction per decision, as a single `disclosure check` logs). Prints rows/s
for each and the ratio PostgreSQL / SQLite.

SQLite is a file in a temporary folder (WAL, synchronous=FULL); PostgreSQL is a
throwaway cluster started here (tests/pg_cluster.py) with fsync on, on this machine,
over TCP on 127.0.0.1. Without PostgreSQL's server binaries only SQLite is measured.

    .venv/bin/python bench/store.py [--sizes 10000,1000000] [--chunk 1000] [--single 1000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from pg_cluster import Cluster, find_bindir  # noqa: E402

from macip_gov.canonical import canonical_json  # noqa: E402
from macip_gov.disclosure.log import LogEntry, open_log  # noqa: E402


def _entries(start: int, count: int) -> list[LogEntry]:
    out = []
    for n in range(start, start + count):
        rid = f"MACIP-D-{n:07d}"
        request = {"id": rid, "from_agency": "msd", "to_agency": "police", "categories": ["identity", "contact"],
                   "purpose": "safety", "subject": {"age": 34}, "note": "whānau support referral"}  # fmt: skip
        decision = {"id": rid, "outcome": "allow_with_conditions", "policy_revision": "a" * 64,
                    "legal_basis": ["Privacy Act 2020 s22 IPP 11(1)(f)"], "conditions": ["record the disclosure"],
                    "reasons": ["a serious threat to safety"], "pia_flow": "F05"}  # fmt: skip
        out.append(LogEntry(rid, decision["outcome"], decision["policy_revision"], canonical_json(request),
                            canonical_json(decision)))  # fmt: skip
    return out


def _measure(url: str, rows: int, chunk: int) -> tuple[float, float]:
    """(appends/s, verify rows/s) for a new log of ``rows`` rows."""
    elapsed = 0.0
    with open_log(url) as log:
        done = 0
        while done < rows:
            batch = _entries(done + 1, min(chunk, rows - done))
            start = time.perf_counter()
            log.append(batch, user="bench")
            elapsed += time.perf_counter() - start
            done += len(batch)
        start = time.perf_counter()
        report = log.verify()
        verify = time.perf_counter() - start
    if not report.ok or report.rows != rows:
        raise SystemExit(f"verify failed on {url}: {report.problem}")
    return rows / elapsed, rows / verify


def _single(url: str, count: int) -> float:
    """One-row appends per second (one transaction each)."""
    entries = _entries(1, count)
    with open_log(url) as log:
        start = time.perf_counter()
        for e in entries:
            log.append([e], user="bench")
        return count / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,1000000", help="Comma-separated row counts.")
    parser.add_argument("--chunk", type=int, default=1000, help="Rows per append transaction.")
    parser.add_argument("--single", type=int, default=1000, help="One-row appends to time.")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    bindir = find_bindir()
    cluster = Cluster(bindir, durable=True).start() if bindir is not None else None
    if cluster is None:
        print("no PostgreSQL server binaries: measuring SQLite only")
    try:
        import psycopg

        with tempfile.TemporaryDirectory(prefix="macip-bench-") as tmp:
            results: dict[tuple[str, str], float] = {}
            stores: list[tuple[str, object]] = [("sqlite", lambda name: str(Path(tmp) / f"{name}.db"))]
            if cluster is not None:

                def pg(name: str) -> str:
                    with psycopg.connect(cluster.url(), autocommit=True) as conn:
                        conn.execute(f"CREATE SCHEMA {name}")
                    return cluster.url(schema=name)

                stores.append(("postgresql", pg))
            print(f"{'store':<11} {'rows':>9} {'appends/s':>11} {'verify rows/s':>14}")
            for size in sizes:
                for name, make in stores:
                    appends, verify = _measure(make(f"s{size}"), size, args.chunk)  # type: ignore[operator]
                    results[(name, f"append {size}")], results[(name, f"verify {size}")] = appends, verify
                    print(f"{name:<11} {size:>9,} {appends:>11,.0f} {verify:>14,.0f}", flush=True)
            for name, make in stores:
                rate = _single(make("single"), args.single)  # type: ignore[operator]
                results[(name, "single")] = rate
                print(f"{name:<11} one-row appends: {rate:,.0f}/s ({args.single:,} transactions)", flush=True)
            if cluster is not None:
                print("PostgreSQL / SQLite:")
                for what in [f"append {s}" for s in sizes] + [f"verify {s}" for s in sizes] + ["single"]:
                    ratio = results[("postgresql", what)] / results[("sqlite", what)]
                    print(f"  {what:<16} {ratio:5.2f}x")
    finally:
        if cluster is not None:
            cluster.stop()


if __name__ == "__main__":
    main()
