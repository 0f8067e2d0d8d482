"""The JSON Schemas of the input documents, in one registry.

Each schema is one line in ``SCHEMAS``: a name and ``"module:Model"`` (a pydantic
model), imported only when that schema is asked for. The committed copies under
``schemas/`` are ``schema_text(name)``; regenerate one with
``macip-gov schema <name> > schemas/<name>.schema.json``.
"""

from __future__ import annotations

import importlib
import json
from typing import Any

from pydantic import BaseModel

SCHEMAS: dict[str, str] = {
    "disclosure-request": "macip_gov.disclosure.models:DisclosureRequest",
    "oia-manifest": "macip_gov.oia.manifest:Manifest",
    "pia": "macip_gov.pia.models:Pia",
    "tor-spec": "macip_gov.governance.models:TorSpec",
}
"""Schema name -> ``module:Model``."""

DIALECT = "https://json-schema.org/draft/2020-12/schema"
"""The JSON Schema dialect every schema declares (``$schema``)."""


def model_schema(model: type[BaseModel]) -> dict[str, Any]:
    """A model's JSON Schema, with its ``$schema`` dialect."""
    schema = model.model_json_schema()
    schema.setdefault("$schema", DIALECT)
    return schema


def schema_of(name: str) -> dict[str, Any]:
    """The JSON Schema registered under ``name``, with its ``$schema`` dialect.

    Raises:
        KeyError: No such schema.
    """
    module, _, attr = SCHEMAS[name].partition(":")
    model: type[BaseModel] = getattr(importlib.import_module(module), attr)
    return model_schema(model)


def schema_text(name: str) -> str:
    """The schema as committed under ``schemas/``: two-space indented JSON and a newline."""
    return json.dumps(schema_of(name), indent=2, ensure_ascii=False) + "\n"


__all__ = ["DIALECT", "SCHEMAS", "model_schema", "schema_of", "schema_text"]
