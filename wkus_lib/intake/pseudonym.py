"""Keyed pseudonyms of respondents (HMAC-SHA256): the raw identifier is never stored.

The key is a random secret kept outside the repository and the store: by
default a file in the user's configuration folder, created on first use;
``--key-file`` or the environment variable :data:`KEY_FILE_ENV` point
elsewhere (e.g. a shared drive of the evaluation team). The same key always
gives the same pseudonym, so a respondent's answers stay linked across files
and a second import of the same file is recognised; without the key nobody
can recompute a pseudonym from a name or a PESEL number.

The store records which key its pseudonyms were made with, as a fingerprint
(:func:`key_fingerprint`), and an import with a missing or different key
stops instead of giving the same people new pseudonyms (:func:`load_key`).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from contextlib import nullcontext
from pathlib import Path
from typing import Any, Final

import platformdirs

from wkus_lib.errors import InputError
from wkus_lib.schemas import TABLES
from wkus_lib.store import (
    KEY_FINGERPRINT_FIELD,
    MANIFEST_NAME,
    os_error_text,
    read_manifest,
    record_key_fingerprint,
    store_lock,
)

KEY_FILE_ENV: Final = "WKUS_PSEUDONYM_KEY_FILE"
KEY_FILE_NAME: Final = "pseudonym.key"
PSEUDONYM_PREFIX: Final = "P-"
PSEUDONYM_HEX_DIGITS: Final = 16  # 64 bits: collisions are negligible for survey-sized groups
_KEY_BYTES: Final = 32
_FINGERPRINT_LABEL: Final = b"wkus/pseudonym-key-fingerprint/v1"


def default_key_file() -> Path:
    """Where the key lives unless told otherwise: the environment variable, else the config dir."""
    from_env = os.environ.get(KEY_FILE_ENV)
    if from_env:
        return Path(from_env)
    return Path(platformdirs.user_config_dir("wkus")) / KEY_FILE_NAME


def key_fingerprint(key: bytes) -> str:
    """HMAC-SHA256 of a fixed label under the key: tells keys apart, reveals nothing of one."""
    return hmac.new(key, _FINGERPRINT_LABEL, hashlib.sha256).hexdigest()


def load_key(
    key_file: Path | None = None, *, store_dir: Path | None = None, record: bool = True
) -> bytes:
    """The secret key; a new random one is created (owner-only from the first byte) if absent.

    With ``store_dir``, the key must be the one the store's pseudonyms were
    made with: the manifest records its :func:`key_fingerprint` (never the
    key). A store that holds respondents' pseudonyms never gets a new key
    silently: a missing key file, or a different key, is a Polish
    :class:`InputError`. A store without pseudonyms (or with only synthetic
    ones and no key recorded yet) simply records the key in use; with
    ``record=False`` (a dry run) the store is checked, never written.
    """
    path = key_file if key_file is not None else default_key_file()
    if store_dir is None:
        return _read_key(path) if path.exists() else _create_key(path)
    with store_lock(store_dir) if record else nullcontext():
        manifest = read_manifest(store_dir) if (store_dir / MANIFEST_NAME).exists() else {}
        recorded = manifest.get(KEY_FINGERPRINT_FIELD)
        bound = _holds_pseudonyms(manifest) and (
            recorded is not None or not manifest.get("synthetic", False))
        if not path.exists():
            if bound:
                raise InputError(
                    "brak pliku klucza pseudonimizacji, którym utworzono pseudonimy respondentów "
                    f"w magazynie {store_dir}", file=str(path), hint=_SAME_KEY_HINT)
            key = _create_key(path)
        else:
            key = _read_key(path)
        fingerprint = key_fingerprint(key)
        if recorded is not None and recorded != fingerprint and bound:
            raise InputError(
                "to nie jest klucz pseudonimizacji, którym utworzono pseudonimy respondentów "
                f"w magazynie {store_dir}", file=str(path), hint=_SAME_KEY_HINT)
        if record and recorded != fingerprint:
            record_key_fingerprint(store_dir, fingerprint)
    return key


_SAME_KEY_HINT: Final = (
    f"Przywróć plik klucza z kopii zapasowej i wskaż go opcją --key-file albo zmienną {KEY_FILE_ENV}. "
    "Nowy klucz dałby tym samym osobom inne pseudonimy, więc ci sami respondenci byliby liczeni "
    "dwa razy; jeśli klucz przepadł, zaimportuj wszystkie ankiety od nowa do nowego, pustego "
    "magazynu."
)


def _holds_pseudonyms(manifest: dict[str, Any]) -> bool:
    """Whether a table with respondent pseudonyms has rows (row counts from the manifest)."""
    tables = manifest.get("tables") or {}
    return any(
        "respondent_id" in model.to_schema().columns
        and int((tables.get(name) or {}).get("rows") or 0) > 0
        for name, model in TABLES.items()
    )


def _create_key(path: Path) -> bytes:
    """Write a new random key, readable by the owner only from its first byte, and return it."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_key(path)  # another process created it a moment ago
    except OSError as error:
        raise InputError(
            f"nie można utworzyć pliku klucza pseudonimizacji ({os_error_text(error)})",
            file=str(path), hint="Wskaż inne miejsce na klucz opcją --key-file.") from None
    with os.fdopen(handle, "wb") as out:
        out.write(secrets.token_hex(_KEY_BYTES).encode("ascii"))
        out.flush()
        os.fsync(out.fileno())
    return _read_key(path)


def _read_key(path: Path) -> bytes:
    try:
        key = path.read_bytes().strip()
    except OSError as error:
        raise InputError(
            f"nie można odczytać pliku klucza pseudonimizacji ({os_error_text(error)})",
            file=str(path), hint="Sprawdź prawa do pliku albo wskaż go opcją --key-file.") from None
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
