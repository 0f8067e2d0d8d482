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
]
