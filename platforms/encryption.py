"""The connected systems' API keys and webhook secrets, encrypted at rest (Fernet).

The key is CONNECTION_KEY (or, when it is empty, one derived from SECRET_KEY), stretched to a
Fernet key with HKDF; CONNECTION_KEY_FALLBACKS still decrypt what earlier keys sealed, so a key
is rotated by moving it to the fallbacks and saving each connection once.
"""

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


class UnreadableSecret(Exception):
    """A stored secret no configured key opens (the key was changed without a fallback)."""


def _fernet_key(secret: str) -> bytes:
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"rekisteri connection secrets"
    ).derive(secret.encode())
    return base64.urlsafe_b64encode(derived)


def _keys() -> list[str]:
    current = settings.CONNECTION_KEY or settings.SECRET_KEY
    return [current, *settings.CONNECTION_KEY_FALLBACKS]


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(_fernet_key(key)) for key in _keys()])


def seal(value: str) -> str:
    """Return `value` encrypted with the current key ("" stays "")."""
    if not value:
        return ""
    return _fernet().encrypt(value.encode()).decode()


def unseal(token: str) -> str:
    """Return the value `seal` encrypted; raise UnreadableSecret when no key opens it."""
    if not token:
        return ""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise UnreadableSecret from None
