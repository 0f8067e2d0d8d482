"""Field-level differences between two versions of a PIA.

Entries with ids (flows, risks, mitigations, actions, recommendations,
consultation, principle findings, agencies, threshold questions) are matched by
id and reported as added, removed or changed, with each changed field's old and
new value. Mitigations are compared on their own (keyed by id, with their risk),
not as part of the risk, so a new mitigation shows as one added mitigation.
"""

from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..errors import InvalidInputError
from .models import Pia


class ChangeKind(str, Enum):
    """What happened to an entry."""

    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"


class FieldChange(BaseModel):
    """One field that differs."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: str = Field(description="Dotted path of the field within the entry, e.g. overseas.country.")
    old: Any = Field(description="Value before (null when absent).")
    new: Any = Field(description="Value after (null when absent).")
    added: list[Any] | None = Field(default=None, description="For lists of plain values: items added.")
    removed: list[Any] | None = Field(default=None, description="For lists of plain values: items removed.")


class EntryChange(BaseModel):
    """An entry added, removed or changed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    section: str = Field(description="flows, risks, mitigations, actions, recommendations, consultation, ...")
    id: str = Field(description="The entry's id (the section name for single sections such as review).")
    change: ChangeKind = Field(description="added, removed or changed.")
    parent: str | None = Field(default=None, description="For a mitigation, the risk it belongs to.")
    label: str = Field(default="", description="The entry's name or title, for reading.")
    fields: list[FieldChange] = Field(default_factory=list, description="Changed fields (for changed entries).")


class PiaDiff(BaseModel):
    """Every difference between two versions."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    old: str = Field(description="Which version is old, e.g. r2.")
    new: str = Field(description="Which version is new, e.g. working.")
    old_hash: str = Field(description="Content hash of the old version.")
    new_hash: str = Field(description="Content hash of the new version.")
    changes: list[EntryChange] = Field(description="Changes, by section then id.")

    @property
    def same_content(self) -> bool:
        """True when the content (sign-offs aside) is identical."""
        return self.old_hash == self.new_hash


# Sections holding entries with ids: (section, key field, label field).
_KEYED: list[tuple[str, str, str]] = [
    ("agencies", "id", "name"),
    ("threshold", "id", "question"),
    ("flows", "id", "name"),
    ("ipp_analysis", "ipp", ""),
    ("risks", "id", "title"),
    ("mitigations", "id", "description"),
    ("recommendations", "id", "recommendation"),
    ("actions", "id", "action"),
    ("consultation", "id", "who"),
    ("signoffs", "at", "by"),
]

# Single sections compared field by field.
_SINGLE = ("document", "project", "threshold_conclusion", "review")


def _entries(doc: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    risks = [{k: v for k, v in r.items() if k != "mitigations"} for r in doc["risks"]]
    mitigations = [dict(m, risk=r["id"]) for r in doc["risks"] for m in r["mitigations"]]
    return {
        "agencies": doc["project"]["agencies"],
        "threshold": doc["threshold"]["questions"],
        "flows": doc["flows"],
        "ipp_analysis": doc["ipp_analysis"],
        "risks": risks,
        "mitigations": mitigations,
        "recommendations": doc["recommendations"],
        "actions": doc["actions"],
        "consultation": doc["consultation"],
        "signoffs": doc["signoffs"],
    }


def _singles(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        "document": {k: doc[k] for k in ("id", "title", "schema_version")},
        "project": {k: v for k, v in doc["project"].items() if k != "agencies"},
        "threshold_conclusion": {k: v for k, v in doc["threshold"].items() if k != "questions"},
        "review": doc["review"],
    }


def _is_plain_list(value: Any) -> bool:
    return isinstance(value, list) and all(not isinstance(v, dict | list) for v in value)


def field_changes(old: Any, new: Any, prefix: str = "") -> list[FieldChange]:
    """Compare two JSON values and list the differing leaves.

    Objects are compared key by key; lists and plain values are leaves, and a list
    of plain values also reports the items added and removed.
    """
    if old == new:
        return []
    if isinstance(old, dict) and isinstance(new, dict):
        out: list[FieldChange] = []
        for key in sorted(set(old) | set(new), key=str):
            path = f"{prefix}.{key}" if prefix else str(key)
            out.extend(field_changes(old.get(key), new.get(key), path))
        return out
    path = prefix or "(value)"
    if _is_plain_list(old) and _is_plain_list(new):
        added = [v for v in new if v not in old]
        removed = [v for v in old if v not in new]
        return [FieldChange(path=path, old=old, new=new, added=added, removed=removed)]
    return [FieldChange(path=path, old=old, new=new)]


def diff_pia(old: Pia, new: Pia, *, old_label: str = "old", new_label: str = "new") -> PiaDiff:
    """Compare two PIAs field by field.

    Args:
        old: The earlier version.
        new: The later version.
        old_label: Name of the old version for reports (e.g. ``r2``).
        new_label: Name of the new version (e.g. ``working``).

    Returns:
        Added, removed and changed entries with their field changes.
    """
    a = old.model_dump(mode="json", exclude={"based_on_revision"})
    b = new.model_dump(mode="json", exclude={"based_on_revision"})
    changes: list[EntryChange] = []
    singles_a, singles_b = _singles(a), _singles(b)
    for section in _SINGLE:
        fields = field_changes(singles_a[section], singles_b[section])
        if fields:
            changes.append(EntryChange(section=section, id=section, change=ChangeKind.CHANGED, fields=fields))
    entries_a, entries_b = _entries(a), _entries(b)
    for section, key, label_field in _KEYED:
        before = {str(e[key]): e for e in entries_a[section]}
        after = {str(e[key]): e for e in entries_b[section]}
        for entry_id in sorted(set(before) | set(after)):
            x, y = before.get(entry_id), after.get(entry_id)
            current = y if y is not None else x
            assert current is not None
            label = str(current.get(label_field, "")) if label_field else ""
            parent = current.get("risk") if section == "mitigations" else None
            if x is None:
                kind, fields = ChangeKind.ADDED, []
            elif y is None:
                kind, fields = ChangeKind.REMOVED, []
            else:
                fields = field_changes(x, y)
                if not fields:
                    continue
                kind = ChangeKind.CHANGED
            changes.append(
                EntryChange(section=section, id=entry_id, change=kind, parent=parent, label=label, fields=fields)
            )
    return PiaDiff(
        old=old_label,
        new=new_label,
        old_hash=old.content_hash(),
        new_hash=new.content_hash(),
        changes=changes,
    )


def resolve_version(path: Path | str, spec: str, *, history: Path | str | None = None) -> tuple[str, Pia]:
    """Load the version named by ``spec``.

    ``spec`` is a revision number (``3`` or ``r3``), ``latest`` (newest stored
    revision), ``working`` (the working file) or ``signed`` (the content last
    signed off, read from the history).

    Raises:
        InvalidInputError: Unknown spec, missing revision, or nothing signed off.
    """
    from .signoff import signed_document
    from .store import load_pia, load_revision, resolve, verify_history

    paths = resolve(path, history)
    word = spec.strip().lower()
    if word == "working":
        return "working", load_pia(paths.working)
    if word == "latest":
        chain = verify_history(paths.history)
        if not chain.latest:
            raise InvalidInputError("no revisions stored yet", file=str(paths.history))
        return f"r{chain.latest}", chain.get(chain.latest).document
    if word == "signed":
        working = load_pia(paths.working)
        doc = signed_document(working, paths.history)
        if doc is None:
            raise InvalidInputError("no signed-off content to compare with", file=str(paths.working))
        last = working.latest_signoff
        assert last is not None
        return (f"r{last.revision}" if last.revision else "signed"), doc
    number_text = word[1:] if word.startswith("r") else word
    if not number_text.isdigit():
        raise InvalidInputError(f"cannot read {spec!r} as a version: use a revision number, latest, working or signed")
    number = int(number_text)
    return f"r{number}", load_revision(paths.history, number).document


def diff_versions(path: Path | str, old: str, new: str, *, history: Path | str | None = None) -> PiaDiff:
    """Compare two versions of the PIA at ``path`` named as for :func:`resolve_version`."""
    old_label, old_doc = resolve_version(path, old, history=history)
    new_label, new_doc = resolve_version(path, new, history=history)
    return diff_pia(old_doc, new_doc, old_label=old_label, new_label=new_label)


def _short(value: Any, limit: int = 60) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe(diff: PiaDiff) -> list[str]:
    """The diff as lines for a terminal: ``+`` added, ``-`` removed, ``~`` changed."""
    lines = []
    marks = {ChangeKind.ADDED: "+", ChangeKind.REMOVED: "-", ChangeKind.CHANGED: "~"}
    for c in diff.changes:
        head = f"{marks[c.change]} {c.section} {c.id}" if c.id != c.section else f"{marks[c.change]} {c.section}"
        if c.parent:
            head += f" (risk {c.parent})"
        if c.change is not ChangeKind.CHANGED:
            lines.append(f"{head}: {_short(c.label)}" if c.label else head)
            continue
        parts = []
        for f in c.fields:
            if f.added is not None and f.removed is not None:
                items = [f"+{_short(v, 40)}" for v in f.added] + [f"-{_short(v, 40)}" for v in f.removed]
                parts.append(f"{f.path} {' '.join(items)}")
            else:
                parts.append(f"{f.path} {_short(f.old, 40)} -> {_short(f.new, 40)}")
        lines.append(f"{head}: " + "; ".join(parts))
    return lines
