"""Benchmark: verifying a PIA history, by number of stored revisions.

Stores the project PIA (``pia/macip.yaml``, about 38 KB a revision) as a history
of up to --revisions revisions (an edit each time, every fifth a sign-off) in a
temporary directory, then for histories of 5, 10, 25 and 50 revisions times,
best of --repeat runs:

  check     check_history: the chain verified (what every PIA command does first);
  history   pia_history: the chain, the working copy against it, the sign-offs
            (what `macip-gov pia history` computes).

Prints ms per call and per revision; verification is linear when ms per revision
holds steady as the history grows, and cheap when that figure is small next to
parsing one revision (also printed).

    .venv/bin/python bench/pia_history.py [--revisions 50] [--repeat 5]
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _timing import best  # noqa: E402

from macip_gov.pia import store  # noqa: E402
from macip_gov.pia.history import pia_history  # noqa: E402

SIZES = (5, 10, 25, 50)


def unsigned_project_pia() -> str:
    """The project PIA's text with no sign-offs and no base, ready to store from scratch."""
    text = (ROOT / "pia" / "macip.yaml").read_text(encoding="utf-8")
    text = re.sub(r"^based_on_revision:.*$", "based_on_revision: 0", text, flags=re.M)
    start = text.index("\nsignoffs:")
    rest = re.search(r"^(?![ \t-]|$)", text[start + 10 :], re.M)
    end = start + 10 + rest.start() if rest else len(text)
    return text[:start] + "\nsignoffs: []\n" + text[end:]


def build(directory: Path, revisions: int) -> None:
    """Store ``revisions`` revisions of the project PIA in ``directory``: edits, every fifth a sign-off."""
    working = directory / "macip.yaml"
    working.write_text(unsigned_project_pia(), encoding="utf-8")
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for i in range(revisions):
        text = working.read_text(encoding="utf-8")
        working.write_text(re.sub(r"retention: [^\n]*", f"retention: {i + 1} years.", text, count=1), encoding="utf-8")
        moment = start + timedelta(hours=i)
        if i % 5 == 4:
            store.sign_off(directory, by="Jo Chair", role="Chair", now=moment)
        else:
            store.revise(directory, author="alice", message=f"Edit {i + 1}", now=moment)


def truncated(source: Path, target: Path, revisions: int) -> None:
    """A copy of ``source`` holding its first ``revisions`` revisions, with the head and working copy to match."""
    shutil.rmtree(target, ignore_errors=True)
    history = target / "history"
    history.mkdir(parents=True)
    for n in range(1, revisions + 1):
        shutil.copy(store.revision_path(source / "history", n), store.revision_path(history, n))
    last = store.revision_path(history, revisions).read_bytes()
    (history / store.HEAD_FILE).write_bytes(store._head_bytes(revisions, store.file_hash(last)))
    record = store.check_history(history).raise_problem().get(revisions)
    (target / "macip.yaml").write_text(store.restore_text(record), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--revisions", type=int, default=50, help="revisions in the largest history (default 50)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement; the best counts (default 5)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "full"
        source.mkdir()
        started = time.perf_counter()
        build(source, args.revisions)
        print(f"stored {args.revisions} revisions in {time.perf_counter() - started:.1f} s")
        sample = store.revision_path(source / "history", args.revisions)
        data = sample.read_bytes()
        parse = best(lambda: store._parse_revision(data, sample), args.repeat)
        print(f"parsing one revision ({len(data) / 1000:.0f} KB): {parse * 1000:.1f} ms")
        print(f"{'revisions':>9} {'check ms':>9} {'per rev':>8} {'history ms':>11} {'per rev':>8}")
        for n in (s for s in SIZES if s <= args.revisions):
            target = Path(tmp) / f"h{n}"
            truncated(source, target, n)
            assert pia_history(target).verified
            check = best(lambda t=target: store.check_history(t / "history").raise_problem(), args.repeat)
            history = best(lambda t=target: pia_history(t), args.repeat)
            ms = (check * 1000, check * 1000 / n, history * 1000, history * 1000 / n)
            print(f"{n:9d} {ms[0]:9.1f} {ms[1]:8.2f} {ms[2]:11.1f} {ms[3]:8.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
