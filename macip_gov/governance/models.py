"""Terms of Reference: the spec a secretariat writes, and the result of checking it."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
)

from ..errors import ExitCode
from ..results import Violation as Violation  # re-exported: the ToR rules report in the shared contract
from ..validation import AgencyKey

BodyId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80)]
"""A body's stable identifier, lower-case words joined by hyphens (``macip-governance-group``)."""

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
"""Non-blank text."""


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BodyType(str, Enum):
    """The kind of body a Terms of Reference sets up."""

    GOVERNANCE_GROUP = "governance_group"
    WORKING_GROUP = "working_group"
    ADVISORY_GROUP = "advisory_group"


class DecisionMethod(str, Enum):
    """How the body reaches a decision."""

    CONSENSUS = "consensus"
    MAJORITY = "majority"


class Scope(_Record):
    """What the body deals with, and what it leaves to others."""

    includes: list[Text] = Field(min_length=1, description="Matters within the body's remit.")
    excludes: list[Text] = Field(
        default_factory=list,
        description="Matters outside the remit, with where they are dealt with.",
    )


class ReportingLine(_Record):
    """To whom the body reports, and how often."""

    to: Text = Field(description="The body or office reported to, as the document names it.")
    body: BodyId | None = Field(
        default=None,
        description="The id of the body reported to, when it has its own Terms of Reference "
        "(required for a working group: the governance group it reports to).",
    )
    spec: str | None = Field(
        default=None,
        description="Path of that body's Terms of Reference spec, relative to this file; "
        "read so that the reporting line can be checked when this spec is checked alone.",
    )
    frequency: Text = Field(description="How often the body reports, e.g. 'after each meeting'.")
    content: Text | None = Field(default=None, description="What the reports contain.")


class Authority(_Record):
    """Where the body's authority comes from and what it may decide."""

    mandate: Text = Field(description="The source and extent of the body's authority.")
    decisions: list[Text] = Field(default_factory=list, description="Decisions the body may make within its mandate.")
    reports_to: ReportingLine = Field(description="The body's reporting line.")


class Member(_Record):
    """A seat on the body, held by a role in an agency."""

    role: Text = Field(description="The position that holds the seat; the chair is named by it.")
    agency: AgencyKey = Field(description="The agency the role belongs to.")
    voting: bool = Field(description="True when the member votes and counts towards the quorum.")
    deputy: Text | None = Field(default=None, description="The role that attends in the member's place.")
    privacy_officer: bool = Field(
        default=False,
        description="True when the member is a privacy officer (Privacy Act 2020 s 201).",
    )


class Adviser(_Record):
    """Someone who attends to advise, without a seat."""

    role: Text = Field(description="The adviser's position.")
    agency: AgencyKey = Field(description="The adviser's agency.")
    advises_on: Text | None = Field(default=None, description="The matters the adviser advises on.")
    privacy_officer: bool = Field(
        default=False,
        description="True when the adviser is a privacy officer (Privacy Act 2020 s 201).",
    )


class DecisionMaking(_Record):
    """How decisions are reached and escalated."""

    method: DecisionMethod = Field(description="Consensus or majority of voting members present.")
    description: Text | None = Field(default=None, description="Further detail, e.g. a casting vote.")
    escalation: Text = Field(description="What happens when the body cannot agree.")


class Meetings(_Record):
    """When and how the body meets."""

    frequency: Text = Field(description="How often the body meets.")
    extraordinary: Text | None = Field(default=None, description="How an extra meeting is called.")
    papers: Text | None = Field(default=None, description="When papers are circulated.")
    attendance: Text | None = Field(default=None, description="Rules on deputies, guests and attendance.")


class Secretariat(_Record):
    """Who supports the body."""

    agency: AgencyKey = Field(description="The agency that provides the secretariat.")
    role: Text = Field(description="The team or position that provides it.")
    responsibilities: list[Text] = Field(min_length=1, description="What the secretariat does.")


class InformationManagement(_Record):
    """How the body handles information, personal and official."""

    pia: Text | None = Field(
        default=None,
        description="Id of the Privacy Impact Assessment the body relies on (e.g. MACIP-PIA).",
    )
    information_sharing: list[Text] = Field(
        min_length=1, description="The rules under which the body's members share information."
    )
    official_information: Text = Field(
        description="The status of the body's papers under the Official Information Act 1982."
    )
    confidentiality: Text = Field(description="The confidentiality expected of members and advisers.")
    records: Text | None = Field(default=None, description="Where records are kept and for how long.")


class Approval(_Record):
    """Who approved these Terms of Reference, and when."""

    approver: Text = Field(description="The role that approves the Terms of Reference.")
    date: dt.date | None = Field(default=None, description="Date of approval; empty until approved.")


class VersionEntry(_Record):
    """One row of the version table."""

    version: Text = Field(description="Version number, e.g. 0.1 or 1.0.")
    date: dt.date = Field(description="Date of the version.")
    author: Text = Field(description="Who prepared it (a role or team).")
    changes: Text = Field(description="What changed.")


class TorSpec(_Record):
    """The Terms of Reference of one governance body."""

    id: BodyId = Field(description="Stable id of the body, named by other bodies' reporting lines.")
    name: Text = Field(description="The body's name.")
    type: BodyType = Field(description="Governance group, working group or advisory group.")
    version: Text = Field(description="Version of these Terms of Reference; the last row of history.")
    purpose: Text = Field(description="Why the body exists, in a sentence or two.")
    background: Text | None = Field(default=None, description="Context for readers new to the programme.")
    objectives: list[Text] = Field(min_length=1, description="What the body sets out to achieve.")
    scope: Scope = Field(description="Scope and exclusions.")
    authority: Authority = Field(description="Authority, decisions and reporting line.")
    members: list[Member] = Field(min_length=1, description="Membership, chair first by convention.")
    advisers: list[Adviser] = Field(default_factory=list, description="Advisers who attend without a seat.")
    chair: Text = Field(description="The role of the member who chairs the body.")
    deputy_chair: Text | None = Field(default=None, description="The role of the member who deputises.")
    quorum: int = Field(ge=0, description="Voting members needed for the body to decide.")
    decision_making: DecisionMaking = Field(description="Decision-making and escalation.")
    meetings: Meetings = Field(description="Meeting frequency and arrangements.")
    secretariat: Secretariat = Field(description="Secretariat support.")
    information_management: InformationManagement = Field(description="Information management and confidentiality.")
    conflicts_of_interest: str | None = Field(
        default=None, description="How members declare and manage conflicts of interest."
    )
    outcome_reporting: Text = Field(description="How outcomes are reported back to member agencies.")
    review_date: dt.date | None = Field(default=None, description="When these Terms of Reference are reviewed.")
    approval: Approval = Field(description="Approval of these Terms of Reference.")
    history: list[VersionEntry] = Field(min_length=1, description="The version table, oldest first.")

    @field_validator("members")
    @classmethod
    def _roles_unique(cls, members: list[Member]) -> list[Member]:
        require_unique_roles(members)
        return members

    @field_validator("history")
    @classmethod
    def _history_ends_at_version(cls, history: list[VersionEntry], info: ValidationInfo) -> list[VersionEntry]:
        require_history_ends_at(history, info.data.get("version"))
        return history


def require_unique_roles(members: list[Member]) -> None:
    """A role holds one seat, so that the chair and deputy chair name exactly one member.

    Raises:
        ValueError: A role appears twice.
    """
    seen: set[str] = set()
    for member in members:
        if member.role in seen:
            raise ValueError(f"the role {member.role!r} holds more than one seat")
        seen.add(member.role)


def require_history_ends_at(history: list[VersionEntry], version: str | None) -> None:
    """The version table is in date order, names each version once and ends at the current version.

    Raises:
        ValueError: The table is out of order, repeats a version, or does not end at ``version``.
    """
    versions = [entry.version for entry in history]
    if len(set(versions)) != len(versions):
        raise ValueError("a version appears more than once")
    if any(a.date > b.date for a, b in zip(history, history[1:], strict=False)):
        raise ValueError("versions are not in date order")
    if version is not None and versions[-1] != version:
        raise ValueError(f"the last version is {versions[-1]}, but the document is version {version}")


# -- the result of a check ---------------------------------------------------------
# Each deny or warn result is a results.Violation (id, msg, details, effect, and the
# spec field concerned when the rule names one).


class BodyCheck(_Record):
    """The check of one Terms of Reference spec."""

    file: str = Field(description="The spec file.")
    body: str = Field(description="The body's id.")
    name: str = Field(description="The body's name.")
    type: BodyType = Field(description="The kind of body.")
    version: str = Field(description="The version of its Terms of Reference.")
    passed: bool = Field(description="True when the policy found no violations.")
    violations: list[Violation] = Field(description="Deny results, by rule id.")
    warnings: list[Violation] = Field(description="Warn results, by rule id.")


class TorCheck(_Record):
    """The check of one or more Terms of Reference specs, from one policy evaluation."""

    passed: bool = Field(description="True when no checked body has a violation.")
    bodies: list[BodyCheck] = Field(description="One entry per checked spec, in the order given.")
    references: list[str] = Field(
        description="Spec files read only to resolve reporting lines (not themselves checked)."
    )
    violations: list[Violation] = Field(default_factory=list, description="Deny results that concern no single body.")
    current_pia: str | None = Field(description="Id of the current PIA the specs were checked against.")
    policy_revision: str = Field(description="Revision hash of the policy set that decided.")

    @property
    def exit_code(self) -> ExitCode:
        """OK when every checked body passed, DENIED otherwise."""
        return ExitCode.OK if self.passed else ExitCode.DENIED
