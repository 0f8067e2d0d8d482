"""Governance Terms of Reference: spec models, policy checks and generated documents."""

from .check import (
    LoadedSpec,
    SpecSet,
    TorDecision,
    check_tor,
    current_pia_id,
    evaluate_specs,
    load_spec,
    load_specs,
    policy_input,
)
from .generate import GeneratedTor, document_title, generate_tor, render_tor_markdown, tor_context
from .models import BodyCheck, BodyType, TorCheck, TorSpec, Violation


def tor_spec_schema() -> dict[str, object]:
    """The JSON Schema of a Terms of Reference spec (committed as schemas/tor-spec.schema.json)."""
    schema = TorSpec.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


__all__ = [
    "BodyCheck",
    "BodyType",
    "GeneratedTor",
    "LoadedSpec",
    "SpecSet",
    "TorCheck",
    "TorDecision",
    "TorSpec",
    "Violation",
    "check_tor",
    "current_pia_id",
    "document_title",
    "evaluate_specs",
    "generate_tor",
    "load_spec",
    "load_specs",
    "policy_input",
    "render_tor_markdown",
    "tor_context",
    "tor_spec_schema",
]
