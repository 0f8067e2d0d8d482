"""Benchmark: Markdown to HTML and to DOCX, one document of growing size.

Builds one document of 1, 4 and 10 MB (by default) from the redact benchmark's
briefing corpus (fixed seed: paragraphs with emphasis, code and links, lists,
tables, quotes and headings; the redaction markup is left in as text) and
times, best of --repeat runs:

  plain    markdown-it-py rendering to an HTML fragment (the parser alone);
  html     markdown_to_html, the complete page;
  docx     markdown_to_docx, the .docx bytes.

Prints MB/s for each and the docx/html ratio per size. Rendering is linear when
MB/s holds steady as the document grows; the target is docx within 5x of html
at the largest size (--check exits 1 when it is not).

    .venv/bin/python bench/render.py [--sizes 1,4,10] [--repeat N] [--check]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from redact import generate  # noqa: E402

from macip_gov.render import markdown_parser, markdown_to_docx, markdown_to_html  # noqa: E402

TARGET = 5.0


def document(size: int) -> str:
    """One Markdown document of about ``size`` bytes (the redact corpus, joined)."""
    return "\n\n".join(generate(size))


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1,4,10", help="document sizes in MB, comma-separated (default 1,4,10)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best counts (default 3)")
    parser.add_argument("--check", action="store_true", help=f"exit 1 if docx is over {TARGET:g}x html at the largest")
    args = parser.parse_args()

    plain = markdown_parser()
    markdown_to_docx("# warm\n\nup [a](https://example.org)\n", title="warm")  # imports python-docx
    print(f"{'size':>8} {'plain':>16} {'html':>16} {'docx':>16} {'docx/html':>10}")
    ratio = 0.0
    for mb in (float(s) for s in args.sizes.split(",")):
        text = document(int(mb * 1_000_000))
        size = len(text.encode("utf-8")) / 1_000_000
        # Interleave the measurements so a busy machine slows all of them alike.
        timings: dict[str, list[float]] = {"plain": [], "html": [], "docx": []}
        for _ in range(args.repeat):
            timings["plain"].append(timed(lambda t=text: plain.render(t)))
            timings["html"].append(timed(lambda t=text: markdown_to_html(t, title="Bench")))
            timings["docx"].append(timed(lambda t=text: markdown_to_docx(t, title="Bench")))
        best = {k: min(v) for k, v in timings.items()}
        ratio = best["docx"] / best["html"]
        cells = " ".join(f"{best[k]:6.2f}s {size / best[k]:5.2f}MB/s" for k in ("plain", "html", "docx"))
        print(f"{size:6.1f}MB {cells} {ratio:9.2f}x", flush=True)
    within = ratio <= TARGET
    print(f"target (docx within {TARGET:g}x of html at the largest size): {'met' if within else 'MISSED'}")
    return 1 if args.check and not within else 0


if __name__ == "__main__":
    raise SystemExit(main())
