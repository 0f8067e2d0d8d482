"""Benchmark the disclosure decision: its cost against a trivial policy's, and the CLI batch rate.

Generates N requests (100,000 by default, fixed seed), then, in one run:

- decision cost: ``sharing.decision.result`` and a trivial policy (one rule that reads its
  input) evaluated on the same inputs, one after the other for each input, so both see the
  same machine load; the multiple is decision / trivial, at the median and at the 10th
  percentile (the calls least disturbed by other work). The library call ``decide(engine,
  request)`` is priced the same way, for information;
- where a batch's CPU goes, in this process over the same inputs: reading and validating the
  requests (``parse_requests``), the engine's evaluation alone (``evaluate_many``, a chunk of
  requests per call, as the workers make it), the Python a worker does around it
  (``check_validated`` given the engine's answers back: the checks of each answer, the
  decision's shape, canonical JSON), and appending to the log;
- OPA's own costs, called as a batch calls it: a policy that only reads its input (the
  floor), each rule OPA must enter, and the decision's steps from OPA's trace (rule bodies
  entered, expressions evaluated); then the budget the rate target leaves the engine, as
  the floor plus a number of rules;
- the CLI: ``macip-gov disclosure check FILE --json --log DB`` over all N requests, end to
  end (start-up, validation, worker processes, the log, output), as decisions per second;
  and its CPU time (the command and its workers) per decision, with the rate that CPU time
  allows when every core is free for it.

Targets (issue 12): the decision <= 5x the trivial call; the CLI with the log >= 5,000
decisions/s on a 2-core machine. The load average is printed before and after: the
multiple is a ratio taken in one run and holds up under load; the rate does not, which is
why the CPU time is printed beside it.

    .venv/bin/python bench/disclosure.py [--n 100000] [--sample 5000] [--also-no-log]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from macip_gov.disclosure.batch import CHUNK_SIZE, check_validated, parse_requests  # noqa: E402
from macip_gov.disclosure.evaluate import ENTRYPOINT, decide  # noqa: E402
from macip_gov.disclosure.log import open_log  # noqa: E402
from macip_gov.disclosure.models import DisclosureRequest  # noqa: E402
from macip_gov.disclosure.run import LOG_EVERY  # noqa: E402
from macip_gov.engine import EmbeddedEngine, load_engine  # noqa: E402
from macip_gov.policyset import load_policy_set  # noqa: E402

# The trivial policy: one call into OPA that reads its input and is defined for any input.
TRIVIAL = (
    'package bench.floor\n\ndefault decision := {"allow": false}\n\ndecision := {"allow": true} if is_object(input)\n'
)
TRIVIAL_ENTRYPOINT = "bench.floor.decision"

CORES = os.cpu_count() or 1
MULTIPLE_TARGET = 5.0
RATE_TARGET = 5000.0

AGENCIES = ["police", "health", "msd", "education", "oranga_tamariki", "nzsis"]
PROVIDERS = ["community:mentoring-service", "community:whanau-support-service", "community:youth-sports-club"]
CATEGORIES = [
    "identity", "contact", "criminal_history", "intelligence", "health", "mental_health", "alcohol_drug",
    "education", "income_benefit", "family_whanau", "care_protection", "risk_assessment",
]  # fmt: skip
PURPOSES = [
    "referral_assessment", "coordination_of_support", "risk_assessment",
    "prevent_serious_threat", "maintenance_of_law", "child_wellbeing",
]  # fmt: skip
CLAIMS = [
    "Privacy Act 2020 s22 IPP 11(1)(c)", "Privacy Act 2020 s22 IPP 11(1)(f)(ii)",
    "Health Information Privacy Code 2020 r11(2)(d)", "Oranga Tamariki Act 1989 s66C", "Crimes Act 1961 s1",
]  # fmt: skip
LIKELIHOOD = ["low", "moderate", "high", "almost_certain"]
SEVERITY = ["minor", "moderate", "serious", "grave"]
IMMINENCE = ["imminent", "days", "weeks", "months", "unknown"]


def generate(n: int, seed: int = 2026) -> list[dict[str, object]]:
    """N realistic requests: member agencies mostly, some community providers, every field varied."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        sender = rng.choice(AGENCIES + PROVIDERS[:1])
        recipient = rng.choice([a for a in AGENCIES + PROVIDERS if a != sender])
        categories = rng.sample(["identity", "identity", "contact", *CATEGORIES], rng.randint(1, 4))
        request: dict[str, object] = {
            "id": f"BENCH-{i:06d}",
            "from_agency": sender,
            "to_agency": recipient,
            "subject": {
                "age": rng.choice([rng.randint(10, 17), rng.randint(18, 70)]),
                "macip_participant": rng.random() < 0.6,
                "consent": rng.choice(["given", "given", "refused", "not_sought", "not_possible"]),
            },
            "categories": sorted(set(categories)),
            "purpose": rng.choice(PURPOSES),
            "risk_level": rng.choice(["low", "medium", "medium", "high", "imminent"]),
            "overseas": rng.random() < 0.05,
        }
        if rng.random() < 0.2:
            request["claimed_basis"] = [rng.choice(CLAIMS)]
        # The facts the legal tests read (a request naming these purposes must state them).
        if request["purpose"] == "prevent_serious_threat" or rng.random() < 0.2:
            request["threat"] = {
                "to": rng.choice(["public", "subject", "another_person"]),
                "likelihood": rng.choice(LIKELIHOOD),
                "severity": rng.choice(SEVERITY),
                "imminence": rng.choice(IMMINENCE),
                "recipient_can_act": rng.random() < 0.8,
            }
        if request["purpose"] == "child_wellbeing" or rng.random() < 0.15:
            request["relates_to_child"] = {"age": rng.randint(0, 17), "assists": ["prevent_harm"]}
        if request["purpose"] == "maintenance_of_law":
            request["maintenance_of_law"] = {"limb": "offences", "prejudice": "an offence the recipient can prevent"}
        if rng.random() < 0.3:
            request["collection"] = {
                "obtained_for": ["coordinating support"],
                "disclosure": rng.choice(["one_of_the_purposes", "directly_related", "unrelated"]),
            }
        out.append(request)
    return out


def per_second(count: int, seconds: float) -> float:
    return count / seconds if seconds else float("inf")


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:  # pragma: no cover - not on this platform
        return "unknown"


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def paired(
    items: list[object], floor: Callable[[object], object], measured: Callable[[object], object]
) -> tuple[list[float], list[float]]:
    """µs per call of ``floor`` and of ``measured``, called one after the other on each item."""
    for item in items[:200]:  # warm both prepared queries
        floor(item)
        measured(item)
    f_us, m_us = [], []
    clock = time.perf_counter_ns
    for item in items:
        t0 = clock()
        floor(item)
        t1 = clock()
        measured(item)
        t2 = clock()
        f_us.append((t1 - t0) / 1000)
        m_us.append((t2 - t1) / 1000)
    return f_us, m_us


def report(label: str, f_us: list[float], m_us: list[float]) -> tuple[float, float]:
    """Print median and 10th percentile of both, and the multiples; return (median, p10) multiples."""
    f50, m50 = statistics.median(f_us), statistics.median(m_us)
    f10, m10 = percentile(f_us, 0.10), percentile(m_us, 0.10)
    print(
        f"  {label:<36} median {m50:8.1f} µs vs {f50:7.1f} µs = {m50 / f50:5.2f}x"
        f"   p10 {m10:8.1f} µs vs {f10:7.1f} µs = {m10 / f10:5.2f}x",
        flush=True,
    )
    return m50 / f50, m10 / f10


class Replay:
    """An engine that gives back answers recorded from a real one, so only the Python around it is timed."""

    def __init__(self, engine: EmbeddedEngine, answers: list[object]):
        self.revision = engine.revision
        self._engine = engine
        self._answers = answers

    def evaluate(self, entrypoint: str, input: object = None) -> object:
        return self._engine.evaluate(entrypoint, input)

    def evaluate_many(self, entrypoint: str, inputs: list[object]) -> list[object]:
        return self._answers


def cpu_split(engine: EmbeddedEngine, requests: list[dict[str, object]], tmp: Path) -> dict[str, float]:
    """Print the CPU time a decision takes in each part of a batch, in this process (µs a decision).

    Each chunk is evaluated by the engine (timed), then decided in full by ``check_validated``
    with the engine's answers given back by :class:`Replay`: that is the Python work a worker
    does on top of the engine (reading the request, checking the answer, shaping the
    decision, canonical JSON), timed apart from the engine, whose time varies far more.
    """
    text = "".join(json.dumps(r) + "\n" for r in requests)
    cpu = time.process_time
    start = cpu()
    parsed = parse_requests(text, "bench")
    parse_s = cpu() - start
    raws = [raw for _, raw in parsed.items]
    chunks = [raws[i : i + CHUNK_SIZE] for i in range(0, len(raws), CHUNK_SIZE)]
    check_validated(engine, chunks[0][:50])  # warm the prepared query and the wording
    engine_s = python_s = 0.0
    entries = []
    for chunk in chunks:
        documents = [json.loads(r) for r in chunk]
        start = cpu()
        answers = engine.evaluate_many(ENTRYPOINT, documents)
        middle = cpu()
        entries += check_validated(Replay(engine, answers), chunk)  # type: ignore[arg-type]
        engine_s, python_s = engine_s + middle - start, python_s + cpu() - middle
    log = open_log(tmp / "split.db")
    try:
        start = cpu()
        for i in range(0, len(entries), LOG_EVERY):
            log.append(entries[i : i + LOG_EVERY], user="bench")
        log_s = cpu() - start
    finally:
        log.close()
    n = len(raws)

    def us(seconds: float) -> str:
        return f"{seconds * 1e6 / n:.0f} µs"

    print(
        f"  CPU a decision: read and validate {us(parse_s)}, engine {us(engine_s)}, "
        f"Python around the engine {us(python_s)}, log {us(log_s)}",
        flush=True,
    )
    return {name: seconds * 1e6 / n for name, seconds in
            (("parse", parse_s), ("engine", engine_s), ("python", python_s), ("log", log_s))}  # fmt: skip


FLOOR_RULES = 40


def floor_policy(rules: int) -> str:
    """A policy whose every rule OPA must enter (nothing its rule index could use), each testing the input thrice."""
    body = "".join(
        f"entered contains {i} if {{\n\tinput.subject.age >= {i}\n\tinput.from_agency != input.to_agency\n"
        f'\tinput.purpose != "p{i}"\n}}\n\n'
        for i in range(rules)
    )
    return f'package bench.rules\n\n{body}decision := {{"entered": count(entered)}}\n'


# The two layers of a decision, each alone: what the law takes (the facts included) and what
# the programme's verdict takes (the facts included too).
LAYERS = """package bench.layers

law := {
	"verdict": data.privacy.legal.verdict,
	"basis": data.privacy.legal.basis,
	"missing": data.privacy.legal.missing,
	"urgent": data.privacy.facts.urgent,
}

programme := data.sharing.programme.summary
"""


def layer_steps(engine: EmbeddedEngine, documents: list[object]) -> dict[str, float]:
    """Mean steps (rule bodies entered and expressions evaluated) of each layer alone, from OPA's trace."""
    modules = {**engine.policy_set.modules, "bench/layers/layers.rego": LAYERS}
    layered = EmbeddedEngine(dataclasses.replace(engine.policy_set, modules=modules))
    try:
        out = {}
        for layer in ("law", "programme"):
            counts = [layered.steps(f"bench.layers.{layer}", d) for d in documents]
            out[layer] = statistics.mean(c.get("Enter", 0) + c.get("Eval", 0) for c in counts)
        return out
    finally:
        layered.close()


def answer_policy(answer: object) -> str:
    """A policy that reads its input and answers ``answer`` (a recorded decision): the floor and the hand-back."""
    return (
        "package bench.answer\n\ndefault decision := {}\n\n"
        f"decision := {json.dumps(answer, sort_keys=True)} if is_object(input)\n"
    )


def engine_costs(documents: list[object], engine: EmbeddedEngine, split: dict[str, float]) -> None:
    """Print what OPA charges in this run, in the batch's own way of calling it, and the budget the rate target leaves.

    The floor is a policy that only reads its input (taking in the request included);
    handing back the answer is a policy answering a recorded decision, over the floor;
    the cost of a rule is that of ``FLOOR_RULES`` rules OPA must each enter, over the
    floor. The decision's steps are counted from OPA's trace (rule bodies entered,
    expressions evaluated), which does not vary with the machine's load; its cost a step
    is what its evaluation takes beyond the floor and the hand-back, over those steps.
    """
    chunks = [documents[i : i + CHUNK_SIZE] for i in range(0, len(documents), CHUNK_SIZE)]
    recorded = engine.evaluate(ENTRYPOINT, documents[0])
    with tempfile.TemporaryDirectory() as tmp:
        for package, source in (
            ("floor", TRIVIAL), ("rules", floor_policy(FLOOR_RULES)), ("answer", answer_policy(recorded)),
        ):  # fmt: skip
            (Path(tmp) / "bench" / package).mkdir(parents=True)
            (Path(tmp) / "bench" / package / f"{package}.rego").write_text(source, encoding="utf-8")
        synthetic = EmbeddedEngine(load_policy_set(tmp))

    def per_input(target: EmbeddedEngine, entrypoint: str) -> float:
        target.evaluate_many(entrypoint, chunks[0])
        best = float("inf")
        for _ in range(3):  # the least disturbed of three passes
            start = time.process_time()
            for chunk in chunks:
                target.evaluate_many(entrypoint, chunk)
            best = min(best, time.process_time() - start)
        return best * 1e6 / len(documents)

    try:
        floor_us = per_input(synthetic, TRIVIAL_ENTRYPOINT)
        answer_us = max(per_input(synthetic, "bench.answer.decision"), floor_us)
        rule_us = max(per_input(synthetic, "bench.rules.decision") - floor_us, 0.0) / FLOOR_RULES
    finally:
        synthetic.close()
    decision_us = per_input(engine, ENTRYPOINT)
    traced = documents[:200]
    steps = [engine.steps(ENTRYPOINT, d) for d in traced]
    entered = statistics.mean(s.get("Enter", 0) for s in steps)
    evaluated = statistics.mean(s.get("Eval", 0) for s in steps)
    layers = layer_steps(engine, traced)
    step_us = max(decision_us - answer_us, 0.0) / (entered + evaluated) if entered + evaluated else 0.0
    outside = split["parse"] + split["python"] + split["log"]
    budget = CORES * 1e6 / RATE_TARGET
    left = budget - outside
    affordable = (left - answer_us) / step_us if step_us else float("inf")
    print(
        f"OPA's costs in this run, per request in chunks of {CHUNK_SIZE} (CPU, best of three passes):\n"
        f"  a policy that only reads its input {floor_us:6.0f} µs; one that answers a recorded decision "
        f"{answer_us:.0f} µs (handing the decision back {answer_us - floor_us:.0f} µs)\n"
        f"  each rule entered (three tests of the input) {rule_us:5.1f} µs\n"
        f"  the decision {decision_us:6.0f} µs: it enters {entered:.0f} rule bodies and evaluates {evaluated:.0f} "
        f"expressions (OPA's trace, mean of {len(traced)}): {step_us:.1f} µs a step beyond the request "
        f"and the answer\n"
        f"  at {RATE_TARGET:,.0f}/s on {CORES} cores a decision has {budget:.0f} µs of CPU; {outside:.0f} µs go "
        f"outside the engine (above), leaving {left:.0f} µs: the request and the answer ({answer_us:.0f} µs) "
        f"and {max(affordable, 0):.0f} steps at the decision's cost a step; it takes {entered + evaluated:.0f}\n"
        f"  of which the law alone (verdict, basis, missing facts, urgent) takes {layers['law']:.0f} steps and the "
        f"programme's verdict alone {layers['programme']:.0f}, each with the facts layer",
        flush=True,
    )


def children_cpu() -> float:
    """CPU seconds (user + system) of every child process this one has waited for."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_cli(path: Path, extra: list[str], n: int) -> tuple[float, float]:
    """Wall seconds and CPU seconds (the command and its worker processes) of one run."""
    exe = ROOT / ".venv" / "bin" / "macip-gov"
    cmd = [str(exe), "disclosure", "check", str(path), "--json", *extra]
    cpu0 = children_cpu()
    start = time.perf_counter()
    with open(os.devnull, "w") as sink:
        done = subprocess.run(cmd, stdout=sink, stderr=subprocess.PIPE, text=True, check=False)
    elapsed = time.perf_counter() - start
    cpu = children_cpu() - cpu0
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} exited {done.returncode}: {done.stderr.strip()}")
    label = " ".join(["check --json", *extra]).replace(str(path.parent) + "/", "")
    print(
        f"  {label:<36} {n:>7} in {elapsed:7.2f}s  {per_second(n, elapsed):6.0f}/s"
        f"   CPU {cpu * 1e6 / n:6.0f} µs a decision, {per_second(n * CORES, cpu):6.0f}/s on {CORES} idle cores",
        flush=True,
    )
    return elapsed, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="requests for the CLI run (default 100000)")
    parser.add_argument("--sample", type=int, default=5_000, help="requests for the in-process calls (default 5000)")
    parser.add_argument("--also-no-log", action="store_true", help="also time the CLI with --no-log")
    args = parser.parse_args()

    requests = generate(args.n)
    sample = requests[: args.sample]
    print(
        f"disclosure benchmark: {args.n} generated requests, {os.cpu_count()} CPUs, "
        f"Python {sys.version.split()[0]}, load average {load_average()}"
    )

    engine = load_engine()
    models = [DisclosureRequest.model_validate(r) for r in sample]
    documents: list[object] = [m.model_dump(mode="json") for m in models]
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "bench/floor").mkdir(parents=True)
        (Path(tmp) / "bench/floor/floor.rego").write_text(TRIVIAL, encoding="utf-8")
        trivial = EmbeddedEngine(load_policy_set(tmp))

    def floor(document: object) -> object:
        return trivial.evaluate(TRIVIAL_ENTRYPOINT, document)

    print(f"decision cost, each against the trivial policy on the same input ({len(documents)} inputs):")
    multiple, multiple_p10 = report(
        f"engine: {ENTRYPOINT}", *paired(documents, floor, lambda d: engine.evaluate(ENTRYPOINT, d))
    )
    pairs: list[object] = list(zip(models, documents, strict=True))
    report(
        "library: decide(engine, request)",
        *paired(pairs, lambda p: floor(p[1]), lambda p: decide(engine, p[0])),  # type: ignore[index]
    )
    trivial.close()
    print(f"a batch in this process, chunks of {CHUNK_SIZE} ({len(sample)} requests):")
    with tempfile.TemporaryDirectory() as tmp:
        split = cpu_split(engine, sample, Path(tmp))
    engine_costs(documents, engine, split)
    engine.close()

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "requests.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in requests), encoding="utf-8")
        print(f"command line, end to end including start-up (load average {load_average()}):")
        with_log, cpu = run_cli(path, ["--log", str(Path(tmp) / "decisions.db")], args.n)
        if args.also_no_log:
            run_cli(path, ["--no-log"], args.n)
    rate = per_second(args.n, with_log)

    results = [
        ("decision / trivial call", f"{multiple:.2f}x", multiple <= MULTIPLE_TARGET, f"<= {MULTIPLE_TARGET:g}x"),
        ("check --json with log", f"{rate:.0f}/s", rate >= RATE_TARGET, f">= {RATE_TARGET:,.0f}/s"),
    ]
    print(
        f"targets (multiple at the median, p10 {multiple_p10:.2f}x; rate as measured, "
        f"{per_second(args.n * CORES, cpu):.0f}/s from its CPU time on idle cores; load average now {load_average()}):"
    )
    for name, value, ok, target in results:
        print(f"  {name:<24} {value:>10}  target {target:<10} {'met' if ok else 'MISSED'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
