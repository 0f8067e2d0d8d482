"""Ed25519 keys for signed checkpoints and sign-offs: generate, load, sign, verify.

A private key is a PKCS#8 PEM file, created ``0600`` and never overwritten; its
public half is a SubjectPublicKeyInfo PEM file beside it (``KEY.pub``). A private
key file that others can read is refused, as ``ssh`` refuses one. Each key is named
by its id, ``ed25519:`` and the first 32 hex digits of the SHA-256 of the raw public
key, which a signature records so that the right public key is found among several.

``cryptography`` is imported only here and only when a key is used.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import InvalidInputError

_KEY_ID_PREFIX = "ed25519:"


def _key_id(raw_public: bytes) -> str:
    return _KEY_ID_PREFIX + hashlib.sha256(raw_public).hexdigest()[:32]


@dataclass(frozen=True)
class PublicKey:
    """A public key that checks signatures."""

    key_id: str
    raw: bytes
    source: str

    def verify(self, signature: str, data: bytes) -> bool:
        """True when ``signature`` (base64) is this key's signature of ``data``."""
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

        try:
            raw_signature = base64.b64decode(signature.encode("ascii"), validate=True)
        except (binascii.Error, UnicodeEncodeError):
            return False
        try:
            Ed25519PublicKey.from_public_bytes(self.raw).verify(raw_signature, data)
        except (InvalidSignature, ValueError):
            return False
        return True


@dataclass(frozen=True)
class PrivateKey:
    """A private key that signs."""

    key_id: str
    source: str
    _key: Any

    def sign(self, data: bytes) -> str:
        """The signature of ``data``, base64."""
        return base64.b64encode(self._key.sign(data)).decode("ascii")

    @property
    def public(self) -> PublicKey:
        """The public half."""
        from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

        raw = self._key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return PublicKey(key_id=self.key_id, raw=raw, source=self.source)


def public_path(private: Path) -> Path:
    """Where the public half of the private key at ``private`` is written (``KEY.pub``)."""
    return private.with_name(private.name + ".pub")


def generate_key(path: Path | str) -> tuple[Path, str]:
    """Write a new Ed25519 private key to ``path`` (``0600``) and its public key to ``path.pub``.

    Returns:
        The public key file and the key's id.

    Raises:
        InvalidInputError: Either file exists already (a key is never overwritten) or cannot be written.
    """
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
        PublicFormat,
    )

    private_path = Path(path)
    pub_path = public_path(private_path)
    key = Ed25519PrivateKey.generate()
    private_pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    public_pem = key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    if pub_path.exists():
        raise InvalidInputError("exists already: a key is never overwritten", file=str(pub_path))
    _write_new(private_path, private_pem, 0o600)
    try:
        _write_new(pub_path, public_pem, 0o644)
    except InvalidInputError:
        private_path.unlink(missing_ok=True)
        raise
    return pub_path, _key_id(key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))


def _write_new(path: Path, data: bytes, mode: int) -> None:
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags, mode)
    except FileExistsError:
        raise InvalidInputError("exists already: a key is never overwritten", file=str(path)) from None
    except OSError as exc:
        raise InvalidInputError(f"cannot write the key: {exc.strerror or exc}", file=str(path)) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        path.unlink(missing_ok=True)
        raise InvalidInputError(f"cannot write the key: {exc.strerror or exc}", file=str(path)) from None


def _read_key_file(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InvalidInputError("key file not found", file=str(path)) from None
    except OSError as exc:
        raise InvalidInputError(f"cannot read the key: {exc.strerror or exc}", file=str(path)) from None
    if len(data) > 64 * 1024:
        raise InvalidInputError("not a key file (larger than 64 KiB)", file=str(path))
    return data


def load_private_key(path: Path | str) -> PrivateKey:
    """Read an Ed25519 private key (PEM, unencrypted) that only its owner can read.

    Raises:
        InvalidInputError: Missing, readable by others, not PEM, or not an Ed25519 private key.
    """
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat, load_pem_private_key

    key_path = Path(path)
    data = _read_key_file(key_path)
    mode = stat.S_IMODE(key_path.stat().st_mode)
    if mode & 0o077:
        raise InvalidInputError(
            f"the private key is readable by others (mode {mode:04o}); restrict it with chmod 600", file=str(key_path)
        )
    try:
        key = load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InvalidInputError(f"not a usable private key: {reason}", file=str(key_path)) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise InvalidInputError("not an Ed25519 private key", file=str(key_path))
    raw = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return PrivateKey(key_id=_key_id(raw), source=str(key_path), _key=key)


def load_public_key(path: Path | str) -> PublicKey:
    """Read an Ed25519 public key (PEM).

    Raises:
        InvalidInputError: Missing, not PEM, or not an Ed25519 public key.
    """
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat, load_pem_public_key

    key_path = Path(path)
    data = _read_key_file(key_path)
    try:
        key = load_pem_public_key(data)
    except (ValueError, TypeError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InvalidInputError(f"not a usable public key: {reason}", file=str(key_path)) from None
    if not isinstance(key, Ed25519PublicKey):
        raise InvalidInputError("not an Ed25519 public key", file=str(key_path))
    raw = key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return PublicKey(key_id=_key_id(raw), raw=raw, source=str(key_path))


__all__ = ["PrivateKey", "PublicKey", "generate_key", "load_private_key", "load_public_key", "public_path"]
