"""Each account's signing key: who changed an account, provably.

Accounts travel from counter to centre and back to every counter. A workstation token only says which PC sent a
change, not who made it, so whoever steals a counter's token and data folder could otherwise relay "make me an
administrator". Each account therefore holds an Ed25519 key pair: the public half is published with the account,
the private half travels sealed (AES-256-GCM under a key stretched from the account's password with Argon2id), so
it opens only at a sign-in with the right password. Every account change is signed by the signed-in person, and
the centre takes it only when that person's key, as the centre already knows it, may make it.
"""

from __future__ import annotations

import base64
import json
import os
from dataclasses import asdict, dataclass

from motcua.domain.accounts import Account

_DOMAIN = b"motcua-account-change-v1\n"  # a signature made for an account change means nothing anywhere else
_SALT = 16
_NONCE = 12
# The same work as the password verifier (argon2-cffi's defaults): guessing the password from the sealed key costs
# what guessing it from the verifier costs, no less.
_TIME, _MEMORY_KIB, _LANES = 3, 65536, 4


def _b64(b: bytes) -> str:
    return base64.b64encode(b).decode("ascii")


def _unb64(s: str) -> bytes:
    return base64.b64decode(s.encode("ascii"), validate=True)


@dataclass(frozen=True, slots=True)
class KeyPair:
    public_key: str  # base64 of the 32 raw bytes
    private_key: bytes  # the 32-byte seed; never stored unsealed, never logged


def new_key() -> KeyPair:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

    k = Ed25519PrivateKey.generate()
    seed = k.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    return KeyPair(_b64(k.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)), seed)


def _stretch(password: str, salt: bytes) -> bytes:
    from argon2.low_level import Type, hash_secret_raw

    return hash_secret_raw(password.encode("utf-8"), salt, _TIME, _MEMORY_KIB, _LANES, 32, Type.ID)


def seal(private_key: bytes, password: str, username: str) -> str:
    """The private key locked with the password (the user name is bound in, so a sealed key cannot be moved to
    another account)."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    salt, nonce = os.urandom(_SALT), os.urandom(_NONCE)
    box = AESGCM(_stretch(password, salt)).encrypt(nonce, private_key, username.encode("ascii"))
    return _b64(salt + nonce + box)


def unseal(sealed: str, password: str, username: str) -> bytes | None:
    """The private key, or None when the password (or the user name) is not the one it was sealed with."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        raw = _unb64(sealed)
    except ValueError:
        return None
    if len(raw) != _SALT + _NONCE + 32 + 16:
        return None
    salt, nonce, box = raw[:_SALT], raw[_SALT : _SALT + _NONCE], raw[_SALT + _NONCE :]
    try:
        return AESGCM(_stretch(password, salt)).decrypt(nonce, box, username.encode("ascii"))
    except InvalidTag:
        return None


def public_of(private_key: bytes) -> str:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    k = Ed25519PrivateKey.from_private_bytes(private_key)
    return _b64(k.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw))


def signed_bytes(a: Account) -> bytes:
    """What a signature covers: every published field of the account, its revision and the signer's name (not the
    sign-in counters, which each PC keeps for itself)."""
    fields = asdict(a)
    for local in ("failed", "locked_until", "signature"):
        fields.pop(local)
    fields["role"] = a.role.value
    return _DOMAIN + json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def sign_bytes(private_key: bytes, data: bytes) -> str:
    """The base64 Ed25519 signature of ``data`` (an account change, an administrator's request)."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return _b64(Ed25519PrivateKey.from_private_bytes(private_key).sign(data))


def verify_bytes(public_key: str, signature: str, data: bytes) -> bool:
    """``signature`` (base64) is a signature of ``data`` by ``public_key`` (base64); False for any malformed one."""
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        Ed25519PublicKey.from_public_bytes(_unb64(public_key)).verify(_unb64(signature), data)
    except (ValueError, InvalidSignature):
        return False
    return True


def sign(a: Account, private_key: bytes) -> str:
    return sign_bytes(private_key, signed_bytes(a))


def verify(a: Account, public_key: str) -> bool:
    """``a.signature`` is a signature of ``a`` by ``public_key``."""
    return verify_bytes(public_key, a.signature, signed_bytes(a))
