"""The decisions a Word import needs, one per kind of hidden content (no XML reader imported here)."""

from __future__ import annotations

from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class HiddenKind(str, Enum):
    """A kind of content a Word document holds out of the reader's sight."""

    TRACKED_CHANGES = "tracked-changes"
    COMMENTS = "comments"
    HIDDEN_TEXT = "hidden-text"
    HEADERS_FOOTERS = "headers-footers"
    NOTES = "notes"
    TEXT_BOXES = "text-boxes"
    IMAGES = "images"
    PROPERTIES = "properties"
    CUSTOM_XML = "custom-xml"
    EMBEDDED_OBJECTS = "embedded-objects"
    FIELDS = "fields"
    OTHER_PARTS = "other-parts"


KEPT_KINDS = frozenset({HiddenKind.NOTES})
"""Kinds carried into the Markdown as visible text: listed, never needing a decision."""
CHOICE_KINDS = tuple(k for k in HiddenKind if k not in KEPT_KINDS and k is not HiddenKind.TRACKED_CHANGES)
"""Kinds decided by show or omit (tracked changes are accepted or rejected instead)."""


TrackedChoice = Literal["accept", "reject"]


class ImportChoices(BaseModel):
    """What to do with each kind of hidden content: the user's decisions, never a default."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    tracked_changes: TrackedChoice | None = Field(
        default=None, description="accept or reject every tracked insertion, deletion, move and formatting change."
    )
    show: list[HiddenKind] = Field(
        default_factory=list,
        description="Kinds shown in the Markdown as text marked {.hidden kind=...} for review (oia redact refuses "
        "the document until each is replaced by a mark or plain text).",
    )
    omit: list[HiddenKind] = Field(default_factory=list, description="Kinds left out of the Markdown, by decision.")
    show_hidden: bool = Field(
        default=False, description="Show every kind not omitted (tracked changes still need accept or reject)."
    )

    @model_validator(mode="after")
    def _one_choice_per_kind(self) -> ImportChoices:
        both = sorted(k.value for k in set(self.show) & set(self.omit))
        if both:
            raise ValueError(f"{', '.join(both)} cannot be both shown and omitted")
        for kind in (*self.show, *self.omit):
            if kind is HiddenKind.TRACKED_CHANGES:
                raise ValueError("tracked changes are accepted or rejected (tracked_changes), not shown or omitted")
            if kind in KEPT_KINDS:
                raise ValueError(f"{kind.value} are always kept as visible text; there is nothing to decide")
        return self

    def decision(self, kind: HiddenKind) -> str | None:
        """The decision for one kind: accept, reject, show, omit or kept; None when undecided."""
        if kind in KEPT_KINDS:
            return "kept"
        if kind is HiddenKind.TRACKED_CHANGES:
            return self.tracked_changes
        if kind in self.omit:
            return "omit"
        if kind in self.show or self.show_hidden:
            return "show"
        return None


__all__ = ["CHOICE_KINDS", "KEPT_KINDS", "HiddenKind", "ImportChoices", "TrackedChoice"]
