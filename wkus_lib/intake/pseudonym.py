"""Keyed pseudonyms of respondents (HMAC-SHA256): the raw identifier is never stored.

The key is a random secret kept outside the repository and the store: by
default a file in the user's configuration folder, created on first use;
``--key-file`` or the environment variable :data:`KEY_FILE_ENV` point
elsewhere (e.g. a shared drive of the evaluation team). The same key always
gives the same pseudonym, so a respondent's answers stay linked across files
and a second import of the same file is recognised; without the key nobody
can recompute a pseudonym from a name or a PESEL number.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path
from typing import Final

import platformdirs

from wkus_lib.errors import InputError
from wkus_lib.store import atomic_write_bytes

KEY_FILE_ENV: Final = "WKUS_PSEUDONYM_KEY_FILE"
KEY_FILE_NAME: Final = "pseudonym.key"
PSEUDONYM_PREFIX: Final = "P-"
PSEUDONYM_HEX_DIGITS: Final = 16  # 64 bits: collisions are negligible for survey-sized groups
_KEY_BYTES: Final = 32


def default_key_file() -> Path:
    """Where the key lives unless told otherwise: the environment variable, else the config dir."""
    from_env = os.environ.get(KEY_FILE_ENV)
    if from_env:
        return Path(from_env)
    return Path(platformdirs.user_config_dir("wkus")) / KEY_FILE_NAME


def load_key(key_file: Path | None = None) -> bytes:
    """The secret key; a new random one is written (readable by the owner only) on first use."""
    path = key_file if key_file is not None else default_key_file()
    if not path.exists():
        atomic_write_bytes(path, secrets.token_hex(_KEY_BYTES).encode("ascii"))
        path.chmod(0o600)
    key = path.read_bytes().strip()
    if len(key) < _KEY_BYTES:
        raise InputError(
            "Klucz pseudonimizacji jest za krótki albo pusty", file=str(path),
            hint="Przywróć plik klucza z kopii zapasowej albo wskaż inny opcją --key-file; "
            "nowy klucz da inne pseudonimy niż dotychczasowe.",
        )
    return key


def pseudonymise(raw_id: str, key: bytes) -> str:
    """``P-`` plus the first 16 hex digits of HMAC-SHA256(key, identifier), e.g. ``P-3f9a…``.

    Surrounding spaces of the identifier are ignored (``" 17"`` and ``"17"`` are one person).
    """
    digest = hmac.new(key, raw_id.strip().encode("utf-8"), hashlib.sha256).hexdigest()
    return PSEUDONYM_PREFIX + digest[:PSEUDONYM_HEX_DIGITS]
