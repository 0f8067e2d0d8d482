"""Benchmark: `oia redact` throughput against plain markdown-it-py rendering of the same text.

Generates a marked-up corpus (10 MB by default, split into briefing-sized
documents, fixed seed), then times, best of --repeat runs:

  plain    markdown-it-py rendering of the original Markdown to HTML (the
           renderer's own parser), the baseline;
  md       what `oia redact DOC -o OUT.md` does in memory: parse the markup,
           check the grounds with the policy engine, cut the release;
  html     the same, then render the released Markdown to an HTML page.

Prints MB/s for each and the ratio to the baseline (target: within 2x).

    .venv/bin/python bench/redact.py [--size MB] [--repeat N] [--check]
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _timing import best

from macip_gov.engine import load_engine  # noqa: E402
from macip_gov.oia.markup import parse_markup  # noqa: E402
from macip_gov.oia.redact import redact_document  # noqa: E402
from macip_gov.render import markdown_parser, render_document  # noqa: E402

WORDS = (  # noqa: SIM905
    "the programme agency police health social development education whanau referral risk support "
    "coordination officer minister briefing funding report national group individual community "
    "outcome prevention intervention assessment partner service wellbeing safety information sharing"
).split()
GROUNDS = ["6(c)", "9(2)(a)", "9(2)(g)(i)", "6(c) 9(2)(g)(i)", "9(2)(ba)(i)", "s.6(c) OIA"]


def generate(size: int, *, seed: int = 1982, doc_size: int = 50_000) -> list[str]:
    """Briefing-like documents with spans, blocks, lists, tables and quotes, ``size`` bytes in all."""
    rnd = random.Random(seed)

    def words(n: int) -> str:
        return " ".join(rnd.choice(WORDS) for _ in range(n))

    def span() -> str:
        if rnd.random() < 0.85:
            return f'[{words(rnd.randint(2, 6))}]{{.withhold ground="{rnd.choice(GROUNDS)}"}}'
        return f"[{words(3)}]{{.out-of-scope}}"

    def paragraph() -> str:
        parts = [words(rnd.randint(8, 16)).capitalize() + "."]
        for _ in range(rnd.randint(1, 4)):
            if rnd.random() < 0.4:
                parts.append(span())
            else:
                parts.append(
                    f"*{words(3)}* and `{rnd.choice(WORDS)}`, see "
                    f"[the report](https://example.govt.nz/{rnd.choice(WORDS)})."
                )
        return " ".join(parts)

    docs: list[str] = []
    total = 0
    while total < size:
        blocks = [f"# Briefing {len(docs) + 1}: {words(4)} {span()}"]
        length = len(blocks[0])
        while length < doc_size:
            kind = rnd.random()
            if kind < 0.5:
                block = paragraph()
            elif kind < 0.62:
                block = "\n".join(f"- {paragraph()}" for _ in range(rnd.randint(2, 4)))
            elif kind < 0.72:
                rows = "\n".join(f"| {rnd.choice(WORDS)} | {span()} | {words(4)} |" for _ in range(rnd.randint(2, 5)))
                block = f"| Agency | Contact | Note |\n|---|---|---|\n{rows}"
            elif kind < 0.82:
                fence = f'::: {{.withhold ground="{rnd.choice(GROUNDS)}"}}'
                block = f"{fence}\n{paragraph()}\n\n- {words(6)}\n- {words(5)}\n:::"
            elif kind < 0.9:
                block = f"> {paragraph()}\n> {paragraph()}"
            else:
                block = f"## {words(4).capitalize()}"
            blocks.append(block)
            length += len(block) + 2
        doc = "\n\n".join(blocks) + "\n"
        docs.append(doc)
        total += len(doc.encode("utf-8"))
    return docs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=float, default=10.0, help="corpus size in MB (default 10)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best counts (default 3)")
    parser.add_argument("--check", action="store_true", help="exit 1 if html is more than 2x the baseline")
    args = parser.parse_args()

    docs = generate(int(args.size * 1_000_000))
    size = sum(len(d.encode("utf-8")) for d in docs) / 1_000_000
    engine = load_engine()
    plain = markdown_parser()

    def baseline() -> None:
        for doc in docs:
            plain.render(doc)

    def redact(fmt: str) -> None:
        for i, doc in enumerate(docs):
            redacted = redact_document(parse_markup(doc, f"doc{i}.md"), engine)
            if fmt == "md":
                render_document(redacted.markdown, fmt, title=redacted.title)
            else:  # as write_redacted renders it: markers drawn as redaction boxes
                render_document(redacted.boxed, fmt, title=redacted.title, redactions=True)

    # Warm up (parsers built, policies prepared) and check the output is a release.
    marked = [parse_markup(doc, f"doc{i}.md") for i, doc in enumerate(docs)]
    passages = sum(len(m.spans) for m in marked)
    blocks = sum(1 for m in marked for s in m.spans if s.block)
    sample = redact_document(marked[0], engine).markdown
    assert "{.withhold" not in sample and "[REDACTED\\]" in sample
    del marked

    # Interleave the measurements so a busy machine slows all of them alike.
    timings = {"plain": [], "md": [], "html": []}
    for _ in range(args.repeat):
        timings["plain"].append(best(baseline, 1))
        timings["md"].append(best(lambda: redact("md"), 1))
        timings["html"].append(best(lambda: redact("html"), 1))
    plain_t, md_t, html_t = (min(timings[k]) for k in ("plain", "md", "html"))

    print(
        f"corpus: {size:.1f} MB in {len(docs)} documents, {passages} marked passages ({blocks} blocks); "
        f"best of {args.repeat}"
    )
    print(f"{'plain markdown-it-py render (html)':38} {plain_t:7.2f} s {size / plain_t:7.2f} MB/s")
    print(f"{'oia redact -> md':38} {md_t:7.2f} s {size / md_t:7.2f} MB/s  ratio {md_t / plain_t:.2f}x")
    print(f"{'oia redact -> html':38} {html_t:7.2f} s {size / html_t:7.2f} MB/s  ratio {html_t / plain_t:.2f}x")
    within = html_t / plain_t <= 2.0
    print(f"target (redact -> html within 2x of plain rendering): {'met' if within else 'MISSED'}")
    return 1 if args.check and not within else 0


if __name__ == "__main__":
    raise SystemExit(main())
