"""Checking Terms of Reference specs against the governance policy.

Specs are read into :class:`~macip_gov.governance.models.TorSpec` models and
handed, all together, to one evaluation of ``governance.tor.decision``. A
working group's reporting line can only be checked against the governance
group it names, so the policy sees every body it might need: the specs being
checked, plus any spec a checked spec names in ``authority.reports_to.spec``
(read as a *reference*: known to the policy, not itself reported on).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InvalidInputError, PolicyError
from ..inputs import load_document, parse_model, read_text, yaml_line
from ..results import decision_document, parse_results
from .models import BodyCheck, TorCheck, TorSpec

if TYPE_CHECKING:
    from ..engine import PolicyEngine

DECISION = "governance.tor.decision"
PIA_FILE = "macip.yaml"


@dataclass(frozen=True)
class LoadedSpec:
    """A spec with the file it came from and its text (for line numbers in errors)."""

    spec: TorSpec
    file: str
    text: str

    @property
    def path(self) -> Path:
        """The spec file's path."""
        return Path(self.file)


@dataclass(frozen=True)
class SpecSet:
    """The specs to check and the specs read only to resolve reporting lines."""

    checked: list[LoadedSpec]
    references: list[LoadedSpec]


@dataclass(frozen=True)
class TorDecision:
    """A check together with the reference data the policy returned for rendering."""

    check: TorCheck
    agencies: dict[str, str]
    body_types: dict[str, str]
    programme: dict[str, Any]


def load_spec(path: Path | str) -> LoadedSpec:
    """Read one Terms of Reference spec (YAML or JSON).

    Args:
        path: The spec file.

    Returns:
        The validated spec with its file name and text.

    Raises:
        InvalidInputError: The file is missing, malformed or does not fit the spec
            (the message names the field and, for YAML, the line).
    """
    name = str(path)
    text = read_text(path)
    spec = parse_model(TorSpec, text, name)
    return LoadedSpec(spec=spec, file=name, text=text)


def _field_error(loaded: LoadedSpec, loc: tuple[str, ...], message: str) -> InvalidInputError:
    line = yaml_line(loaded.text, loc) if not loaded.file.endswith(".json") else None
    return InvalidInputError(f"{'.'.join(loc)}: {message}", file=loaded.file, location=str(line) if line else None)


def load_specs(paths: list[Path | str]) -> SpecSet:
    """Read the specs to check and the parent specs their reporting lines name.

    A parent spec (``authority.reports_to.spec``, relative to the naming spec's
    directory) is read as a reference unless it is among the specs to check.

    Args:
        paths: The spec files to check, in order.

    Returns:
        The checked specs and the references.

    Raises:
        InvalidInputError: A spec is unreadable or invalid, two specs share an id,
            or a named parent spec cannot be read.
    """
    checked: list[LoadedSpec] = []
    by_path: dict[Path, LoadedSpec] = {}
    by_id: dict[str, LoadedSpec] = {}
    for path in paths:
        loaded = load_spec(path)
        resolved = loaded.path.resolve()
        if resolved in by_path:
            continue  # the same file named twice is checked once
        if loaded.spec.id in by_id:
            raise _field_error(loaded, ("id",), f"{loaded.spec.id} is also the id of {by_id[loaded.spec.id].file}")
        checked.append(loaded)
        by_path[resolved] = loaded
        by_id[loaded.spec.id] = loaded
    references: list[LoadedSpec] = []
    for loaded in checked:
        named = loaded.spec.authority.reports_to.spec
        if named is None:
            continue
        target = loaded.path.parent / named
        if target.resolve() in by_path:
            continue
        if not target.is_file():
            raise _field_error(loaded, ("authority", "reports_to", "spec"), f"file not found: {target}")
        reference = load_spec(target)
        if reference.spec.id in by_id:
            continue  # already known under another path; the checked one wins
        references.append(reference)
        by_path[target.resolve()] = reference
        by_id[reference.spec.id] = reference
    return SpecSet(checked=checked, references=references)


def current_pia_id(pia_dir: Path | str | None) -> str | None:
    """The id of the programme's current PIA: the top-level ``id`` of ``macip.yaml``, or of the latest revision.

    Args:
        pia_dir: The PIA directory, or a team's PIA history in PostgreSQL (``postgresql://...``),
            whose latest stored revision is the current PIA; None when there is none.

    Returns:
        The id, or None when the directory or its ``macip.yaml`` does not exist, or the
        history holds no revision.

    Raises:
        InvalidInputError: The PIA file is malformed or has no ``id``; the history cannot be read.
        VerificationError: The history does not verify (exit 1): its PIA is not taken as current.
    """
    if pia_dir is None:
        return None
    from ..pia.store import is_server_url

    if is_server_url(pia_dir):
        from ..pia.store import latest_revision

        latest = latest_revision(str(pia_dir))
        return latest.document.id if latest is not None else None
    path = Path(pia_dir) / PIA_FILE
    if not path.is_file():
        return None
    document = load_document(path)
    pia_id = document.get("id") if isinstance(document, dict) else None
    if not isinstance(pia_id, str) or not pia_id.strip():
        raise InvalidInputError("id: the PIA has no id", file=str(path))
    return pia_id


def policy_input(specs: SpecSet, current_pia: str | None) -> dict[str, Any]:
    """The policy's input document for a set of specs.

    Args:
        specs: The specs to check and their references.
        current_pia: The current PIA's id, or None.

    Returns:
        ``{"bodies": [...], "references": [...], "current_pia": ...}`` as JSON data.
    """
    return {
        "bodies": [s.spec.model_dump(mode="json") for s in specs.checked],
        "references": [s.spec.model_dump(mode="json") for s in specs.references],
        "current_pia": current_pia,
    }


def _names(value: Any, key: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise PolicyError(f"{DECISION}: {key} is missing from the decision")
    return value


def evaluate_specs(engine: PolicyEngine, specs: SpecSet, current_pia: str | None) -> TorDecision:
    """Check a set of specs with one policy evaluation.

    Args:
        engine: A loaded policy engine.
        specs: The specs to check and their references.
        current_pia: The current PIA's id, or None (which fails every spec).

    Returns:
        The check, with the agency and body-type names the policy knows.

    Raises:
        PolicyError: The engine failed or the decision is not the documented shape;
            never reported as a pass.
    """
    decision = decision_document(engine.evaluate(DECISION, policy_input(specs, current_pia)), query=DECISION, keys=())
    # Each result names the spec field it is about, when it names one.
    deny = parse_results(decision.get("deny"), query=DECISION, what="deny", effect="deny", locate=True)
    warn = parse_results(decision.get("warn"), query=DECISION, what="warn", effect="warn", locate=True)
    agencies = _names(decision.get("agencies"), "agencies")
    body_types = _names(decision.get("body_types"), "body_types")
    programme = _names(decision.get("programme"), "programme")

    ids = {s.spec.id for s in specs.checked}
    bodies = []
    for loaded in specs.checked:
        spec = loaded.spec
        mine = [v for v in deny if v.details.get("body") == spec.id]
        bodies.append(
            BodyCheck(
                file=loaded.file,
                body=spec.id,
                name=spec.name,
                type=spec.type,
                version=spec.version,
                passed=not mine,
                violations=mine,
                warnings=[v for v in warn if v.details.get("body") == spec.id],
            )
        )
    # A deny that names no checked body still fails the check: nothing is dropped.
    general = [v for v in deny if v.details.get("body") not in ids]
    check = TorCheck(
        passed=not deny,
        bodies=bodies,
        references=[s.file for s in specs.references],
        violations=general,
        current_pia=current_pia,
        policy_revision=engine.revision,
    )
    return TorDecision(check=check, agencies=agencies, body_types=body_types, programme=programme)


def check_tor(paths: list[Path | str], *, engine: PolicyEngine, pia_dir: Path | str | None) -> TorCheck:
    """Check Terms of Reference specs against the governance policy.

    Args:
        paths: Spec files to check; a working group may be checked with its
            governance group, or alone when it names the group's spec.
        engine: A loaded policy engine.
        pia_dir: Directory holding the programme's ``macip.yaml`` PIA.

    Returns:
        The check: ``passed`` is False when any deny result was found.

    Raises:
        InvalidInputError: A spec or the PIA file is missing or invalid.
        PolicyError: The engine failed.
    """
    if not paths:
        raise InvalidInputError("no Terms of Reference spec was given")
    specs = load_specs(paths)
    return evaluate_specs(engine, specs, current_pia_id(pia_dir)).check
