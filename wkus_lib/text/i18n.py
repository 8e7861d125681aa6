"""Report language: Polish source texts, translated with gettext catalogues.

User-facing texts are written in Polish and wrapped in :func:`_`; the Polish
text is the message id (gettext's model with Polish as the source language).
Translations live in ``wkus_lib/locale/<lang>/*.po`` (standard PO files that
any translator's tool opens; one file per report module), read with Babel. A test extracts every ``_()``
message from the code and fails if a translation is missing.

Each report runs in its own kernel, so the language is set once per report
by :func:`set_language` (``open_report`` does it).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Final, Literal

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

Language = Literal["pl", "en"]
LANGUAGES: Final[tuple[Language, ...]] = ("pl", "en")
_current: list[Language] = ["pl"]


@cache
def translations(lang: Language) -> Catalog:
    """The packaged PO catalogue of ``lang`` (empty for Polish, the source language)."""
    merged = Catalog(locale=lang)
    if lang == "pl":
        return merged
    folder = resources.files("wkus_lib") / "locale" / lang
    for source in sorted(folder.iterdir(), key=lambda entry: entry.name):
        if source.name.endswith(".po"):
            with source.open("rb") as handle:
                for message in read_po(handle, locale=lang):
                    if message.id:
                        merged[message.id] = message
    return merged


def set_language(lang: str) -> None:
    """Set the language of every following :func:`_` call in this process."""
    if lang not in LANGUAGES:
        raise ValueError(f"Nieznany język „{lang}”. Dostępne: {', '.join(LANGUAGES)}")
    _current[0] = lang


def current_language() -> Language:
    """The language set by :func:`set_language` (Polish by default)."""
    return _current[0]


def _(text: str) -> str:
    """Translate a Polish source text into the current language (itself if untranslated)."""
    lang = _current[0]
    if lang == "pl":
        return text
    message = translations(lang).get(text)
    return str(message.string) if message is not None and message.string else text


def N_(text: str) -> str:  # the gettext convention: mark now, translate later
    """Mark a constant text for extraction; translate it later with :func:`_`."""
    return text
