"""The revision history of a PIA and where the working copy stands against it."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from .signoff import SignoffStatus, signoff_status
from .store import RevisionInfo, list_revisions, load_revision, resolve


class HistoryReport(BaseModel):
    """Stored revisions, oldest first, and the working copy's state."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    file: str = Field(description="The working file.")
    revisions: list[RevisionInfo] = Field(description="Stored revisions, oldest first.")
    based_on: int = Field(description="The revision the working copy is based on (0: none).")
    latest: int = Field(description="The newest stored revision (0: none).")
    stored: bool = Field(description="True when the working copy is exactly the latest revision.")
    working_state: str = Field(description="The working copy against the history, in words.")
    signoff: SignoffStatus = Field(description="The working copy against its latest sign-off.")


def pia_history(path: Path | str, *, history: Path | str | None = None) -> HistoryReport:
    """List the stored revisions and compare the working copy with them.

    Raises:
        InvalidInputError: The working copy or a revision is malformed or altered.
    """
    from .store import load_pia

    paths = resolve(path, history)
    working = load_pia(paths.working)
    revisions = list_revisions(paths.history)
    latest = revisions[-1].revision if revisions else 0
    stored = False
    if not revisions:
        state = "not yet stored as a revision"
    elif working.based_on_revision != latest:
        state = f"based on revision {working.based_on_revision}, but revision {latest} is the latest (stale)"
    else:
        newest = load_revision(paths.history, latest).document
        stored = newest.model_dump(mode="json", exclude={"based_on_revision"}) == working.model_dump(
            mode="json", exclude={"based_on_revision"}
        )
        state = f"unchanged since revision {latest}" if stored else f"edited since revision {latest} (not stored)"
    return HistoryReport(
        file=str(paths.working),
        revisions=revisions,
        based_on=working.based_on_revision,
        latest=latest,
        stored=stored,
        working_state=state,
        signoff=signoff_status(working),
    )
