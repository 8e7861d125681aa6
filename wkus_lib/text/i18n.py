"""Report language: Polish source texts, translated by one gettext catalogue per language.

User-facing texts are written in Polish and wrapped in :func:`_`; the Polish
text is the message id (gettext's model with Polish as the source language).
Counts use :func:`n_` (Polish one / few / many forms in the code, the
catalogue's plural entry in other languages), a Polish word with two
meanings :func:`p_` (a gettext context). Translations live in
``wkus_lib/locale/<lang>/*.po`` (standard PO files that any translator's tool
opens; one file per report module), read with Babel. A test extracts every
marked message from the code and fails if a translation is missing.

The language is a parameter of one report, not of the process: it is a
context variable, set for a block by ``with language("en"):`` and for the
rest of a notebook by ``open_report(..., lang)`` (:func:`use_language`; a
notebook's cells share one context of their kernel, and each report has its
own kernel). Other threads and contexts keep Polish.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from functools import cache
from importlib import resources
from io import BytesIO
from typing import TYPE_CHECKING, Final, Literal

from wkus_lib.text.plural import plural

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog

Language = Literal["pl", "en"]
LANGUAGES: Final[tuple[Language, ...]] = ("pl", "en")
_LANGUAGE: Final[ContextVar[Language]] = ContextVar("wkus_report_language", default="pl")


def checked_language(lang: str) -> Language:
    """``lang`` if it is a report language; a Polish :class:`ValueError` otherwise."""
    if lang not in LANGUAGES:
        raise ValueError(f"Nieznany język „{lang}”. Dostępne: {', '.join(LANGUAGES)}")
    return lang


def use_language(lang: str) -> Token[Language]:
    """Word the rest of the current context in ``lang``; the token undoes it.

    What ``open_report`` does for its notebook. Code that words one piece
    of text in a language uses ``with language(lang):`` instead.
    """
    return _LANGUAGE.set(checked_language(lang))


@contextmanager
def language(lang: str) -> Iterator[Language]:
    """Word every text inside the block in ``lang``; the previous language is back after it."""
    token = use_language(lang)
    try:
        yield _LANGUAGE.get()
    finally:
        _LANGUAGE.reset(token)


def current_language() -> Language:
    """The language of the current context (Polish unless set by :func:`language`)."""
    return _LANGUAGE.get()


@cache
def translations(lang: Language) -> Catalog:
    """The packaged PO catalogue of ``lang`` (empty for Polish, the source language)."""
    from babel.messages.catalog import Catalog  # Babel only where a catalogue is read
    from babel.messages.pofile import read_po

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


@cache
def _gettext(lang: Language) -> gettext.GNUTranslations:
    """The catalogue of ``lang`` as gettext reads it (its plural rule from the PO header)."""
    from babel.messages.mofile import write_mo

    compiled = BytesIO()
    write_mo(compiled, translations(lang), use_fuzzy=True)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def _(text: str) -> str:
    """Translate a Polish source text into the current language (itself if untranslated)."""
    lang = _LANGUAGE.get()
    return text if lang == "pl" else _gettext(lang).gettext(text)


def p_(context: str, text: str) -> str:
    """:func:`_` for a Polish word with several meanings: the translation in ``context``."""
    lang = _LANGUAGE.get()
    return text if lang == "pl" else _gettext(lang).pgettext(context, text)


def n_(count: int, one: str, few: str, many: str) -> str:
    """The form of a counted text for ``count`` in the current language.

    The Polish one / few / many forms (:func:`wkus_lib.text.plural.plural`) are
    the source; other languages read the catalogue's plural entry whose
    ``msgid`` is ``one`` and ``msgid_plural`` is ``many``. Put the count in the
    text (``n_(n, "{n} rok", "{n} lata", "{n} lat").format(n=n)``), so a
    translation may move it.
    """
    lang = _LANGUAGE.get()
    if lang == "pl":
        return plural(count, one, few, many)
    return _gettext(lang).ngettext(one, many, abs(int(count)))


def N_(text: str) -> str:  # the gettext convention: mark now, translate later
    """Mark a constant text for extraction; translate it later with :func:`_`."""
    return text


def NP_(context: str, text: str) -> str:  # like N_, for a text of a gettext context
    """Mark a constant text of ``context`` for extraction; translate it later with :func:`p_`."""
    return text
