"""The revision history of a PIA, whether its chain verifies, and where the working copy stands."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from ..errors import ExitCode
from .signoff import SignoffStatus, signoff_status
from .store import RevisionInfo, VerificationError, check_history, resolve, signoff_problem

if TYPE_CHECKING:
    from ..signing import PublicKey
    from .checkpoints import PiaCheckpoint


class HistoryReport(BaseModel):
    """Stored revisions, oldest first, the chain's state and the working copy's."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    file: str = Field(description="The working file.")
    revisions: list[RevisionInfo] = Field(
        description="Stored revisions that verify, oldest first (all of them when verified)."
    )
    verified: bool = Field(
        description="True when the chain verifies and every sign-off in the working copy is recorded in it."
    )
    problem: str | None = Field(description="Where and why verification failed: file, field, what is wrong.")
    head: str | None = Field(description="SHA-256 of the newest revision's file when verified (note it to compare).")
    based_on: int = Field(description="The revision the working copy is based on (0: none).")
    latest: int = Field(description="The newest stored revision (0: none).")
    stored: bool = Field(description="True when the working copy is exactly the latest revision.")
    working_state: str = Field(description="The working copy against the history, in words.")
    signoff: SignoffStatus = Field(
        description="The working copy against its latest sign-off the history records (none when unverified)."
    )
    checkpoints: int = Field(default=0, description="Signed checkpoints stored beside the history that hold.")
    signed: bool = Field(default=False, description="True when every checkpoint's signature was checked and holds.")

    @property
    def exit_code(self) -> ExitCode:
        """OK when the chain verifies, DENIED otherwise."""
        return ExitCode.OK if self.verified else ExitCode.DENIED


def pia_history(
    path: Path | str,
    *,
    history: Path | str | None = None,
    public_keys: Sequence[PublicKey] = (),
    checkpoints: Sequence[PiaCheckpoint] = (),
) -> HistoryReport:
    """List the stored revisions, verify the chain and its checkpoints, and compare the working copy with it.

    A history that does not verify is reported (``verified`` false, ``problem``), not
    raised; its sign-offs are not trusted, so the PIA shows as not signed off. Every
    signed checkpoint stored beside the history must name a revision whose file still
    has the hash it signed; with ``public_keys`` each signature must hold under one of
    them and at least one checkpoint must exist; each of ``checkpoints`` (published
    copies) must be stored as published.

    Raises:
        InvalidInputError: The working copy is malformed, or a file cannot be read.
    """
    from .store import load_pia

    paths = resolve(path, history)
    working = load_pia(paths.working)
    chain = check_history(paths.history)
    error = chain.problem or signoff_problem(working, chain, file=str(paths.working))
    signed: list[PiaCheckpoint] = []
    if error is None:
        from .checkpoints import checkpoints_problem, stored_checkpoints

        try:
            signed = stored_checkpoints(paths.history)
            error = checkpoints_problem(chain, signed, public_keys, checkpoints)
        except VerificationError as exc:
            error = exc
    revisions = chain.infos()
    latest = chain.latest
    stored = False
    if error is not None:
        state = "not compared: the history does not verify"
    elif not revisions:
        state = "not yet stored as a revision"
    elif working.based_on_revision != latest:
        state = f"based on revision {working.based_on_revision}, but revision {latest} is the latest (stale)"
    else:
        newest = chain.get(latest).document
        stored = newest.model_dump(mode="json", exclude={"based_on_revision"}) == working.model_dump(
            mode="json", exclude={"based_on_revision"}
        )
        state = f"unchanged since revision {latest}" if stored else f"edited since revision {latest} (not stored)"
    trusted = working if error is None else working.model_copy(update={"signoffs": []})
    return HistoryReport(
        file=str(paths.working),
        revisions=revisions,
        verified=error is None,
        problem=error.one_line() if error is not None else None,
        head=chain.head_hash if error is None else None,
        based_on=working.based_on_revision,
        latest=latest,
        stored=stored,
        working_state=state,
        signoff=signoff_status(trusted),
        checkpoints=len(signed) if error is None else 0,
        signed=error is None and bool(public_keys),
    )
