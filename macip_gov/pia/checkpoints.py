"""Signed checkpoints of a PIA history: a rewritten history, every hash recomputed, still shows.

A checkpoint records the PIA's id, its number, a stored revision and the SHA-256 of
that revision's file (which covers every revision before it through the chain),
when it was signed, the hash of the checkpoint before it, and the signing key's id,
signed with Ed25519 (:mod:`macip_gov.signing`). ``macip-gov pia checkpoint`` signs
the latest revision; ``pia sign-off --key`` signs the revision holding the sign-off
with the approver's key, so the approval itself carries a signature only its key
could make. Checkpoints are kept by the history's store (``history/checkpoints/c0001.json``...
in a folder, the table ``pia_checkpoints`` in PostgreSQL), each created once and never
rewritten, and are chained to each other; a copy published elsewhere catches the
newest one removed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from ..canonical import canonical_json
from ..errors import InvalidInputError
from .store import History, RevisionStore, VerificationError, open_store

if TYPE_CHECKING:
    from ..signing import PrivateKey, PublicKey

CHECKPOINT_DIR = "checkpoints"


class PiaCheckpointBody(BaseModel):
    """What a PIA checkpoint signs."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal["macip-gov PIA checkpoint"] = Field(description="What this document is.")
    pia_id: str = Field(description="The PIA's id.")
    number: int = Field(ge=1, description="Checkpoints of a history are numbered from 1.")
    revision: int = Field(ge=1, description="The stored revision signed.")
    file_hash: str = Field(pattern=r"^sha256:[0-9a-f]{64}$", description="SHA-256 of that revision's file.")
    signed_at: str = Field(description="When it was signed (UTC, ISO 8601).")
    signer: str | None = Field(description="For a sign-off, who approved and in what role; None otherwise.")
    previous: str | None = Field(
        pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the checkpoint before it (None for the first)."
    )
    key_id: str = Field(description="The id of the key that signed it.")


class PiaCheckpoint(BaseModel):
    """A signed PIA checkpoint, as stored and as published."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    body: PiaCheckpointBody = Field(description="What was signed (its canonical JSON).")
    signature: str = Field(description="Ed25519 signature of the body's canonical JSON, base64.")

    def signed_bytes(self) -> bytes:
        """The bytes the signature covers."""
        return canonical_json(self.body.model_dump(mode="json")).encode("utf-8")

    def digest(self) -> str:
        """SHA-256 of body and signature, which the next checkpoint records as ``previous``."""
        return hashlib.sha256(canonical_json(self.model_dump(mode="json")).encode("utf-8")).hexdigest()


def checkpoint_path(history: Path, number: int) -> Path:
    """The file of checkpoint ``number``."""
    return history / CHECKPOINT_DIR / f"c{number:04d}.json"


def stored_checkpoints(history: Path | str | RevisionStore) -> list[PiaCheckpoint]:
    """The checkpoints stored with a history, in order.

    Args:
        history: The history folder, a ``postgresql://`` URL, or its store.

    Raises:
        VerificationError: A checkpoint is missing from the numbering or malformed (exit 1).
        InvalidInputError: The store cannot be read.
    """
    from ..inputs import parse_json

    store = open_store(history)
    raw = store.stored_checkpoints()
    found: list[PiaCheckpoint] = []
    for index, number in enumerate(sorted(raw), start=1):
        name = store.checkpoint_name(index)
        if number != index:
            raise VerificationError("missing: checkpoints removed or renumbered", file=name)
        try:
            data = parse_json(raw[number].decode("utf-8"), name)
            found.append(PiaCheckpoint.model_validate(data))
        except (UnicodeDecodeError, InvalidInputError, ValueError) as exc:
            reason = exc.message if isinstance(exc, InvalidInputError) else str(exc).splitlines()[0]
            raise VerificationError(f"malformed checkpoint: {reason}", file=name) from None
    return found


def sign_checkpoint(chain: History, key: PrivateKey, *, signer: str | None = None) -> PiaCheckpoint:
    """Sign the latest revision of a verified history and store the checkpoint beside it.

    Raises:
        VerificationError: The history does not verify, or its checkpoints do not.
        InvalidInputError: Nothing is stored yet, or the checkpoint cannot be written.
    """
    chain.raise_problem()
    if not chain.revisions:
        raise InvalidInputError("nothing to sign: no revision is stored", file=chain.store.label)
    stored = stored_checkpoints(chain.store)
    problem = checkpoints_problem(chain, stored, [], [])
    for cp in stored:
        if problem is None and cp.body.key_id == key.key_id:
            where = chain.store.checkpoint_name(cp.body.number)
            problem = _one_problem(chain, cp, {key.key_id: key.public}, where)
    if problem is not None:
        raise problem
    latest = chain.revisions[-1]
    body = PiaCheckpointBody(
        kind="macip-gov PIA checkpoint", pia_id=latest.record.document.id, number=len(stored) + 1,
        revision=latest.info.revision, file_hash=latest.file_hash,
        signed_at=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), signer=signer,
        previous=stored[-1].digest() if stored else None, key_id=key.key_id,
    )  # fmt: skip
    unsigned = PiaCheckpoint(body=body, signature="")
    signed = unsigned.model_copy(update={"signature": key.sign(unsigned.signed_bytes())})
    chain.store.add_checkpoint(body.number, (signed.model_dump_json() + "\n").encode("utf-8"))
    return signed


def checkpoints_problem(
    chain: History,
    stored: Sequence[PiaCheckpoint],
    keys: Sequence[PublicKey],
    published: Sequence[PiaCheckpoint],
) -> VerificationError | None:
    """The first checkpoint that fails against a verified history, as an error (None: all hold).

    Each stored checkpoint must follow the one before it and name a revision of this
    history whose file still has the hash it signed. With ``keys``, each signature must
    hold under one of them, and at least one checkpoint must exist (fail closed). Each
    published checkpoint must be stored as published.
    """
    by_key = {k.key_id: k for k in keys} if keys else None
    previous: PiaCheckpoint | None = None
    for index, cp in enumerate(stored, start=1):
        where = chain.store.checkpoint_name(index)
        if cp.body.number != index:
            return VerificationError(f"number: holds checkpoint {cp.body.number}, not {index}", file=where)
        if cp.body.previous != (previous.digest() if previous else None):
            return VerificationError(
                f"previous: checkpoint {index} does not follow checkpoint {index - 1} "
                "(checkpoints removed or replaced)",
                file=where,
            )
        problem = _one_problem(chain, cp, by_key, where)
        if problem is not None:
            return problem
        previous = cp
    for cp in published:
        if cp not in stored:
            return VerificationError(
                f"checkpoint {cp.body.number} as published is not stored (checkpoints removed or replaced)",
                file=chain.store.checkpoint_name(cp.body.number),
            )
    if keys and not stored:
        return VerificationError(
            "no signed checkpoint to verify (fail closed: sign one with `macip-gov pia checkpoint`)",
            file=chain.store.checkpoints_name(),
        )
    return None


def _one_problem(
    chain: History, cp: PiaCheckpoint, keys: dict[str, PublicKey] | None, where: str
) -> VerificationError | None:
    body = cp.body
    if keys is not None:
        key = keys.get(body.key_id)
        if not cp.signature:
            return VerificationError(f"checkpoint {body.number} carries no signature (fail closed)", file=where)
        if key is None:
            return VerificationError(
                f"checkpoint {body.number} was signed by key {body.key_id}, which is not among the public keys given",
                file=where,
            )
        if not key.verify(cp.signature, cp.signed_bytes()):
            return VerificationError(
                f"checkpoint {body.number}'s signature does not hold under {key.source} (the checkpoint was altered)",
                file=where,
            )
    if body.revision > chain.latest:
        return VerificationError(
            f"checkpoint {body.number} signed revision {body.revision}, but the history ends at revision "
            f"{chain.latest} (revisions removed, or the history was rewritten)",
            file=where,
        )
    actual = chain.revisions[body.revision - 1].file_hash
    if actual != body.file_hash:
        return VerificationError(
            f"the history contradicts checkpoint {body.number}: revision {body.revision}'s file hash is "
            f"{actual[7:23]}…, the checkpoint signed {body.file_hash[7:23]}… (the history was rewritten at or "
            f"before revision {body.revision})",
            file=where,
        )
    return None


def checkpoint_pia(
    path: Path | str, key: PrivateKey, *, history: Path | str | None = None, signer: str | None = None
) -> PiaCheckpoint:
    """Sign the latest stored revision of the PIA at ``path`` (see :func:`sign_checkpoint`).

    Args:
        path: PIA directory or working file.
        key: The signing key (the approver's, for a sign-off).
        history: History directory (default ``history/`` beside the working file).
        signer: For a sign-off, who approved and in what role.

    Raises:
        VerificationError: The history or its checkpoints do not verify; nothing is signed.
        InvalidInputError: Nothing is stored yet, or the checkpoint cannot be written.
    """
    from .store import resolve, verify_history

    return sign_checkpoint(verify_history(resolve(path, history).history), key, signer=signer)


def read_pia_checkpoint(path: Path | str) -> PiaCheckpoint:
    """Read a published PIA checkpoint (JSON).

    Raises:
        InvalidInputError: Unreadable, not JSON, or not a checkpoint (the field named).
    """
    from ..inputs import load_model

    return load_model(PiaCheckpoint, path)
