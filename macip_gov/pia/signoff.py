"""Whether the PIA is still as signed off, and which information flows are approved."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..errors import InvalidInputError
from .models import Pia, SignOff
from .store import History, signoff_problem, verify_history


class SignoffState(str, Enum):
    """The working copy against its latest sign-off."""

    CURRENT = "current"
    """Signed off, and the content is unchanged since."""
    CHANGED = "changed_since_signoff"
    """Signed off, but the content has changed since."""
    NONE = "not_signed_off"
    """Never signed off."""


class SignoffStatus(BaseModel):
    """The sign-off state of a PIA."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    state: SignoffState = Field(description="current, changed_since_signoff or not_signed_off.")
    content_hash: str = Field(description="Content hash of the PIA now.")
    signoff: SignOff | None = Field(description="The latest sign-off, if any.")

    @property
    def label(self) -> str:
        """A short human phrase for the state."""
        if self.signoff is None:
            return "not signed off"
        when = self.signoff.at.date().isoformat()
        if self.state is SignoffState.CURRENT:
            return f"signed off by {self.signoff.by} ({self.signoff.role}) on {when}"
        return f"changed since sign-off by {self.signoff.by} ({self.signoff.role}) on {when}"


def signoff_status(pia: Pia) -> SignoffStatus:
    """Compare the PIA's content hash with the hash its latest sign-off approved."""
    current = pia.content_hash()
    last = pia.latest_signoff
    if last is None:
        state = SignoffState.NONE
    elif last.content_hash == current:
        state = SignoffState.CURRENT
    else:
        state = SignoffState.CHANGED
    return SignoffStatus(state=state, content_hash=current, signoff=last)


def signed_document(pia: Pia, history: Path | str | History | None, *, file: str | None = None) -> Pia | None:
    """The document as it was when last signed off, from a history that verifies.

    A sign-off counts only when a revision in the verified history records it: the
    approved content is that revision's. Returns None when the PIA carries no
    sign-off or there is no history to check it against (``history`` None).

    Raises:
        VerificationError: The history does not verify, or the PIA carries a sign-off
            that no stored revision records (exit 1).
    """
    if history is None:
        return None
    chain = history.raise_problem() if isinstance(history, History) else verify_history(history)
    problem = signoff_problem(pia, chain, file=file)
    if problem is not None:
        raise problem
    last = pia.latest_signoff
    if last is None or last.revision is None:
        return None
    if last.content_hash == pia.content_hash():
        return pia
    return chain.get(last.revision).document


def approved_flows(pia: Pia, history: Path | str | History | None = None) -> dict[str, dict[str, Any]]:
    """The PIA's active information flows as policy data, each marked ``signed_off``.

    A flow is signed off when it is identical to the same flow in the signed-off
    content, read back from a history that verifies (:func:`signed_document`). When
    the PIA is unchanged since sign-off that is every flow; after a change, only
    flows the change did not touch. Without a history nothing is approved.
    Deprecated flows are left out.

    Returns:
        ``{flow id: {from_agency, to_agency, categories, purposes, legal_basis, signed_off}}``.

    Raises:
        VerificationError: The history does not verify, or a sign-off is not recorded in it.
    """
    signed = signed_document(pia, history)
    signed_flows = {f.id: f for f in signed.flows} if signed is not None else {}
    out: dict[str, dict[str, Any]] = {}
    for flow in pia.flows:
        if not flow.active:
            continue
        out[flow.id] = {
            "from_agency": flow.from_agency,
            "to_agency": flow.to_agency,
            "categories": [c.value for c in flow.categories],
            "purposes": [p.value for p in flow.purposes],
            "legal_basis": list(flow.legal_basis),
            "signed_off": signed_flows.get(flow.id) == flow,
        }
    return out


def approved_flows_json(flows: dict[str, dict[str, Any]]) -> str:
    """The exported flows as stable, reviewable JSON text (sorted keys, two-space indent)."""
    import json

    return json.dumps(flows, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def export_flows(
    path: Path | str, output: Path | str | None = None, *, history: Path | str | None = None
) -> dict[str, dict[str, Any]]:
    """Export a PIA's approved flows, optionally writing them to ``output`` atomically.

    The history beside the PIA must verify and record every sign-off the PIA
    carries; otherwise nothing is exported or written.

    Args:
        path: PIA directory or working file (its ``history/`` is read for the approved content).
        output: Where to write the JSON, e.g. ``policies/pia/approved_flows/data.json``.
        history: The history folder or ``postgresql://`` URL (default ``history/`` beside the PIA).

    Returns:
        The exported flows.

    Raises:
        VerificationError: The history does not verify, or a sign-off in the working
            copy is not recorded in it (exit 1).
    """
    from ..files import atomic_write
    from .store import load_pia, resolve

    paths = resolve(path, history)
    pia = load_pia(paths.working)
    chain = verify_history(paths.history)
    problem = signoff_problem(pia, chain, file=str(paths.working))
    if problem is not None:
        raise problem
    flows = approved_flows(pia, chain)
    if output is not None:
        target = Path(output)
        writes = [(target, approved_flows_json(flows))]
        index = flows_index_beside(target)
        if index is not None:
            from ..disclosure.indexes import flows_index_json

            writes.append((index, flows_index_json(flows)))
        for file, text in writes:
            try:
                atomic_write(file, text.encode("utf-8"), error=None)
            except OSError as exc:
                raise InvalidInputError(f"cannot write: {exc.strerror or exc}", file=str(file)) from None
    return flows


def flows_index_beside(output: Path) -> Path | None:
    """The flows index of the policies tree that ``output`` is the approved flows of, if it is one.

    Decisions look flows up by agency pair in ``sharing/flows/by_pair/data.json``, a copy
    made from ``pia/approved_flows/data.json``; exporting into a policies tree rewrites
    both, so the copy never lags the flows.
    """
    if output.name != "data.json" or output.parent.name != "approved_flows" or output.parent.parent.name != "pia":
        return None
    index = output.parent.parent.parent / "sharing" / "flows" / "by_pair" / "data.json"
    return index if index.parent.is_dir() else None
