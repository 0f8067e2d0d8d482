"""Shared identifier types and named validators for input models.

Each identifier is an annotated ``str`` declared once here, with the validator that
gives a one-line message when a value does not fit and the JSON Schema that says the
same thing to other tools. Cross-field rules are plain named functions, so they can be
tested directly and wired into any model with ``field_validator``/``model_validator``.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable
from enum import Enum
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, StringConstraints, WithJsonSchema
from pydantic_core import PydanticCustomError

MEMBER_AGENCIES: tuple[str, ...] = ("police", "health", "msd", "education", "oranga_tamariki", "nzsis")
"""The MACIP member agencies, by the ids every policy uses."""

COMMUNITY_PREFIX = "community:"
"""Prefix of a community provider's agency id: ``community:<slug>``."""

SLUG_PATTERN = r"[a-z0-9]+(?:-[a-z0-9]+)*"
AGENCY_PATTERN = rf"^(?:{'|'.join(MEMBER_AGENCIES)}|{COMMUNITY_PREFIX}{SLUG_PATTERN})$"
AGENCY_KEY_PATTERN = r"^[a-z][a-z0-9_]*$"
RECORD_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,99}$"
CITATION_MAX = 160

_SLUG = re.compile(rf"^{SLUG_PATTERN}$")
_AGENCY = re.compile(AGENCY_PATTERN)
_RECORD_ID = re.compile(RECORD_ID_PATTERN)
_SPACES = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class Category(str, Enum):
    """A category of personal information (ids shared by the disclosure checks and the PIA)."""

    IDENTITY = "identity"
    CONTACT = "contact"
    CRIMINAL_HISTORY = "criminal_history"
    INTELLIGENCE = "intelligence"
    HEALTH = "health"
    MENTAL_HEALTH = "mental_health"
    ALCOHOL_DRUG = "alcohol_drug"
    EDUCATION = "education"
    INCOME_BENEFIT = "income_benefit"
    FAMILY_WHANAU = "family_whanau"
    CARE_PROTECTION = "care_protection"
    RISK_ASSESSMENT = "risk_assessment"


class Purpose(str, Enum):
    """Why information moves between MACIP agencies (ids shared by the disclosure checks and the PIA)."""

    REFERRAL_ASSESSMENT = "referral_assessment"
    COORDINATION_OF_SUPPORT = "coordination_of_support"
    RISK_ASSESSMENT = "risk_assessment"
    PREVENT_SERIOUS_THREAT = "prevent_serious_threat"
    MAINTENANCE_OF_LAW = "maintenance_of_law"
    CHILD_WELLBEING = "child_wellbeing"


H = TypeVar("H", bound=Hashable)


def validate_slug(value: str) -> str:
    """Accept a lower-case slug: words of ``a-z0-9`` joined by single hyphens.

    Raises:
        PydanticCustomError: Anything else.
    """
    if _SLUG.match(value):
        return value
    raise PydanticCustomError(
        "slug", "{value} is not a slug (lower-case letters and digits, words joined by hyphens)", {"value": repr(value)}
    )


def validate_agency_id(value: str) -> str:
    """Accept a MACIP member agency id or ``community:<slug>``.

    Raises:
        PydanticCustomError: An unknown agency or a malformed provider slug.
    """
    if _AGENCY.match(value):
        return value
    raise PydanticCustomError(
        "agency_id",
        "unknown agency {value}; expected one of {agencies} or community:<slug>",
        {"value": repr(value), "agencies": ", ".join(MEMBER_AGENCIES)},
    )


def validate_record_id(value: str) -> str:
    """Accept a record id: 1-100 characters of letters, digits and ``. _ : / -``, not starting with punctuation.

    Raises:
        PydanticCustomError: Anything else.
    """
    if _RECORD_ID.match(value):
        return value
    raise PydanticCustomError(
        "record_id",
        "{value} is not a record id (1-100 letters, digits or . _ : / -, starting with a letter or digit)",
        {"value": repr(value)},
    )


def normalise_citation(value: str) -> str:
    """Tidy a statutory citation: trim it and collapse runs of white space.

    Raises:
        PydanticCustomError: Empty, longer than 160 characters, or holding control characters.
    """
    text = _SPACES.sub(" ", value).strip()
    if not text or len(text) > CITATION_MAX or _CONTROL.search(text):
        raise PydanticCustomError(
            "citation", "{value} is not a citation (1-160 printable characters)", {"value": repr(value)}
        )
    return text


def require_distinct(first: object, second: object, *, first_name: str, second_name: str) -> None:
    """Raise when two fields that must name different things name the same one.

    Raises:
        PydanticCustomError: Both fields hold the same value.
    """
    if first == second:
        raise PydanticCustomError(
            "distinct",
            "{second} must differ from {first} (both are {value})",
            {"first": first_name, "second": second_name, "value": repr(first)},
        )


def sorted_unique(values: Iterable[H]) -> list[H]:
    """Drop repeated values and sort the rest, so stored records compare and diff stably.

    Enum members sort by their value; everything else by itself.
    """
    unique = set(values)
    return sorted(unique, key=_sort_key)


def _sort_key(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


Slug = Annotated[
    str,
    AfterValidator(validate_slug),
    WithJsonSchema({"type": "string", "pattern": f"^{SLUG_PATTERN}$"}),
]
"""A lower-case, hyphenated slug."""

AgencyId = Annotated[
    str,
    AfterValidator(validate_agency_id),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": AGENCY_PATTERN,
            "examples": ["police", "oranga_tamariki", "community:mentoring-service"],
        }
    ),
]
"""A MACIP member agency (``police``, ``health``, ``msd``, ``education``, ``oranga_tamariki``,
``nzsis``) or a community provider, ``community:<slug>``."""

AgencyKey = Annotated[str, StringConstraints(pattern=AGENCY_KEY_PATTERN, max_length=60)]
"""The key of any agency in the programme's agency reference data: a member agency or
another agency that may sit on or advise a body (``police``, ``dpmc``, ``corrections``).
Only its form is checked here; the Terms of Reference rules say whether the programme
knows it (``governance.tor.unknown_agency``). Where only a member agency or a community
provider may appear (disclosures, PIA flows), use :data:`AgencyId`."""

RecordId = Annotated[
    str,
    AfterValidator(validate_record_id),
    WithJsonSchema({"type": "string", "pattern": RECORD_ID_PATTERN}),
]
"""An id a user gives a record, such as a disclosure request id."""

Citation = Annotated[
    str,
    AfterValidator(normalise_citation),
    WithJsonSchema(
        {
            "type": "string",
            "minLength": 1,
            "maxLength": CITATION_MAX,
            "examples": ["Privacy Act 2020 s22 IPP 11(1)(f)(ii)", "Oranga Tamariki Act 1989 s66C(b)"],
        }
    ),
]
"""A statutory citation, in full (``Privacy Act 2020 s22 IPP 11(1)(c)``)."""

__all__ = [
    "AGENCY_KEY_PATTERN",
    "AGENCY_PATTERN",
    "COMMUNITY_PREFIX",
    "MEMBER_AGENCIES",
    "AgencyId",
    "AgencyKey",
    "Citation",
    "RecordId",
    "Slug",
    "normalise_citation",
    "require_distinct",
    "sorted_unique",
    "validate_agency_id",
    "validate_record_id",
    "validate_slug",
]
