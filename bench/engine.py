"""Engine benchmark: µs per decision, embedded OPA, realistic policy vs the one-call floor.

Prints median and p95 for (a) a trivial policy (the cost of one call into OPA)
and (b) a realistic policy: 12 rules over 300 data entries keyed by id, in the
shape of the sharing matrix, and (c) the bundled OIA grounds decision. The
target is realistic <= 10x trivial.

Then each decision entrypoint macip-gov evaluates is priced against the floor
on the same input: the inputs are the documents the real commands send to the
engine on the bundled MACIP example (recorded while the commands run), and
each is evaluated by its entrypoint and by a trivial policy, in the same run.
The multiple is the figure decision work is held to.

Run: .venv/bin/python bench/engine.py [--n 20000] [--decisions-only]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from macip_gov.engine import EmbeddedEngine
from macip_gov.policyset import load_policy_set
from macip_gov.resources import policies_dir
from macip_gov.validation import MEMBER_AGENCIES, Category, Purpose

TRIVIAL = 'package bench.trivial\n\ndecision := {"allow": input.x == 1}\n'
# The floor for a decision: one call that reads its input, defined for any input.
FLOOR = (
    'package bench.floor\n\ndefault decision := {"allow": false}\n\ndecision := {"allow": true} if is_object(input)\n'
)

AGENCIES = list(MEMBER_AGENCIES)
CATEGORIES = [c.value for c in Category]
PURPOSES = [p.value for p in Purpose]

REALISTIC = """package bench.realistic

_route := data.bench.matrix.routes[input.from][input.to]

deny contains v if {
	not _route
	v := {"id": "no_route", "msg": "no route"}
}

deny contains v if {
	some c in input.categories
	not _route.categories[c]
	v := {"id": "category", "msg": sprintf("%v not allowed", [c])}
}

deny contains v if {
	not _route.purposes[input.purpose]
	v := {"id": "purpose", "msg": "purpose not allowed"}
}

deny contains v if {
	input.categories[_] == "intelligence"
	startswith(input.to, "community:")
	v := {"id": "intel_community", "msg": "no intelligence to community"}
}

deny contains v if {
	input.subject.age < 0
	v := {"id": "age", "msg": "bad age"}
}

warn contains v if {
	input.risk == "low"
	some c in input.categories
	data.bench.matrix.sensitive[c]
	v := {"id": "proportionality", "msg": sprintf("%v at low risk", [c])}
}

_consent if input.subject.consent == "given"

_serious if input.risk in {"high", "imminent"}

basis contains "IPP 11(1)(c)" if _consent

basis contains "IPP 11(1)(f)(ii)" if {
	_serious
	input.purpose == "prevent_serious_threat"
}

basis contains "IPP 11(1)(e)(i)" if input.purpose == "maintenance_of_law"

basis contains b if {
	some b in _route.basis
}

conditions contains "record the disclosure"

conditions contains "share the minimum necessary" if count(warn) > 0

outcome := "deny" if {
	count(deny) > 0
} else := "refer" if {
	count(basis) == 0
} else := "allow_with_conditions" if {
	count(warn) > 0
} else := "allow"

decision := {
	"outcome": outcome,
	"deny": deny,
	"warn": warn,
	"basis": basis,
	"conditions": conditions,
}
"""


def realistic_data(rng: random.Random) -> str:
    routes: dict[str, dict[str, object]] = {}
    entries = 0
    senders = AGENCIES + [f"community:provider{i:02d}" for i in range(4)]
    receivers = AGENCIES + [f"community:provider{i:02d}" for i in range(28)]
    for s in senders:
        routes[s] = {}
        for r in receivers:
            if s == r:
                continue
            routes[s][r] = {
                "categories": dict.fromkeys(rng.sample(CATEGORIES, 6), True),
                "purposes": dict.fromkeys(rng.sample(PURPOSES, 3), True),
                "basis": ["Privacy Act 2020 s22 IPP 11(1)(a)"],
            }
            entries += 1
    assert entries >= 200
    sensitive = {"health": True, "mental_health": True, "alcohol_drug": True, "intelligence": True}
    return json.dumps({"routes": routes, "sensitive": sensitive})


def inputs(rng: random.Random, n: int) -> list[dict[str, object]]:
    out = []
    for _ in range(n):
        out.append(
            {
                "from": rng.choice(AGENCIES),
                "to": rng.choice(AGENCIES + ["community:provider03"]),
                "categories": rng.sample(CATEGORIES, rng.randint(1, 4)),
                "purpose": rng.choice(PURPOSES),
                "risk": rng.choice(["low", "medium", "high", "imminent"]),
                "subject": {"age": rng.randint(10, 70), "consent": rng.choice(["given", "refused", "not_sought"])},
            }
        )
    return out


def measure(engine: EmbeddedEngine, entrypoint: str, docs: list[object]) -> tuple[float, float]:
    for doc in docs[:200]:  # warm the prepared query
        engine.evaluate(entrypoint, doc)
    samples = []
    for doc in docs:
        t0 = time.perf_counter_ns()
        engine.evaluate(entrypoint, doc)
        samples.append((time.perf_counter_ns() - t0) / 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95)]


ROOT = Path(__file__).resolve().parent.parent
# What the commands of the MACIP example send to the engine.
COMMANDS = [
    ["disclosure", "check", "--no-log", str(ROOT / "examples/disclosures/04-health-serious-threat.yaml")],
    ["disclosure", "check", "--no-log", str(ROOT / "examples/disclosures/18-intelligence-to-mentor.yaml")],
    ["oia", "check", str(ROOT / "examples/macip-release/manifest.yaml")],
    [
        "oia",
        "redact",
        str(ROOT / "examples/macip-release/originals/01-rcoi-macip-briefing.md"),
        "-o",
        "{tmp}/briefing.md",
    ],
    ["oia", "ground", "s.6(c) OIA, s.9(2)(g)(i) OIA"],
    ["pia", "validate", str(ROOT / "pia")],
    [
        "tor",
        "check",
        str(ROOT / "examples/governance/macip-governance-group.yaml"),
        str(ROOT / "examples/governance/macip-working-group.yaml"),
        "--pia",
        str(ROOT / "pia"),
    ],
]


def recorded_inputs() -> dict[str, list[object]]:
    """Run the example commands in this process and keep every (entrypoint, input) they evaluate."""
    import contextlib
    import io

    from macip_gov.cli import cli

    seen: dict[str, list[object]] = {}
    real = EmbeddedEngine.evaluate
    tmp = tempfile.mkdtemp()

    def recording(self: EmbeddedEngine, entrypoint: str, input: object = None) -> object:
        seen.setdefault(entrypoint, []).append(input)
        return real(self, entrypoint, input)

    EmbeddedEngine.evaluate = recording  # type: ignore[method-assign]
    try:
        for command in COMMANDS:
            args = [arg.format(tmp=tmp) for arg in command]
            quiet = (contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()))
            with quiet[0], quiet[1], contextlib.suppress(SystemExit):
                cli.main(args, standalone_mode=False)
    finally:
        EmbeddedEngine.evaluate = real  # type: ignore[method-assign]
        shutil.rmtree(tmp)
    return seen


def decision_costs(n: int) -> None:
    """Each decision entrypoint's cost as a multiple of the trivial policy's on the same inputs."""
    seen = recorded_inputs()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "bench/floor").mkdir(parents=True)
        (root / "bench/floor/floor.rego").write_text(FLOOR)
        floor = EmbeddedEngine(load_policy_set(root))
        bundled = EmbeddedEngine(load_policy_set(policies_dir()))
        print(f"\ndecision cost on the MACIP example's own inputs ({n} evaluations each, median µs):")
        print(f"  {'entrypoint':34} {'inputs':>6} {'input KB':>9} {'floor':>9} {'decision':>10} {'multiple':>9}")
        for entrypoint, docs in sorted(seen.items()):
            reps = [docs[i % len(docs)] for i in range(n)]
            size = max(len(json.dumps(d)) for d in docs) / 1024
            f_med, _ = measure(floor, "bench.floor.decision", reps)
            d_med, _ = measure(bundled, entrypoint, reps)
            print(f"  {entrypoint:34} {len(docs):>6} {size:>9.1f} {f_med:>9.1f} {d_med:>10.1f} {d_med / f_med:>8.1f}x")
        floor.close()
        bundled.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20000, help="decisions per measurement")
    parser.add_argument("--decisions-only", action="store_true", help="only the per-entrypoint multiples")
    parser.add_argument("--decision-n", type=int, default=300, help="evaluations per entrypoint for the multiples")
    args = parser.parse_args()
    if args.decisions_only:
        decision_costs(args.decision_n)
        return
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "bench/trivial").mkdir(parents=True)
        (root / "bench/trivial/trivial.rego").write_text(TRIVIAL)
        (root / "bench/realistic").mkdir(parents=True)
        (root / "bench/realistic/realistic.rego").write_text(REALISTIC)
        (root / "bench/matrix").mkdir(parents=True)
        (root / "bench/matrix/data.json").write_text(realistic_data(rng))
        engine = EmbeddedEngine(load_policy_set(root))
        docs = inputs(rng, args.n)
        t_med, t_p95 = measure(engine, "bench.trivial.decision", [{"x": i % 3} for i in range(args.n)])
        r_med, r_p95 = measure(engine, "bench.realistic.decision", docs)
        outcome = {engine.evaluate("bench.realistic.decision", d)["outcome"] for d in docs[:500]}
    bundled = EmbeddedEngine(load_policy_set(policies_dir()))
    grounds = [
        {"grounds": rng.sample(["6(c)", "9(2)(a)", "9(2)(g)(i)", "9(2)(g)", "18(d)", "7(z)"], 2), "use": "withhold"}
        for _ in range(args.n)
    ]
    g_med, g_p95 = measure(bundled, "oia.grounds.decision", grounds)
    print(f"decisions per measurement: {args.n}")
    print(f"trivial policy (floor):        median {t_med:8.1f} µs   p95 {t_p95:8.1f} µs")
    print(
        f"realistic policy (12 rules, 300 routes): median {r_med:8.1f} µs   p95 {r_p95:8.1f} µs"
        f"   outcomes seen: {sorted(outcome)}"
    )
    print(f"bundled oia.grounds.decision:  median {g_med:8.1f} µs   p95 {g_p95:8.1f} µs")
    print(f"ratio realistic/trivial (median): {r_med / t_med:.2f}x   (target <= 10x)")
    print(f"ratio realistic/trivial (p95):    {r_p95 / t_p95:.2f}x")
    decision_costs(args.decision_n)


if __name__ == "__main__":
    main()
