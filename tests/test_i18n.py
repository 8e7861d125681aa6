"""Every report text marked for translation has an English translation."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

from wkus_lib.text.i18n import _, set_language, translations

LIBRARY = Path(__file__).resolve().parents[1] / "wkus_lib"


def _marked_messages() -> set[str]:
    found = extract_from_dir(
        str(LIBRARY), method_map=[("**.py", "python")], keywords={"_": None, "N_": None},
    )
    return {message for _file, _line, message, _comments, _context in found
            if isinstance(message, str)}


def test_report_code_marks_texts_for_translation() -> None:
    assert len(_marked_messages()) > 50


def test_every_marked_text_has_an_english_translation() -> None:
    catalog = translations("en")
    missing = sorted(m for m in _marked_messages()
                     if catalog.get(m) is None or not catalog.get(m).string)
    assert not missing, f"{len(missing)} texts lack English: {missing[:10]}"


def test_english_translations_keep_format_placeholders() -> None:
    catalog = translations("en")
    for message in catalog:
        if message.id and message.string:
            source = {p for p in str(message.id).split("{")[1:]}
            target = {p for p in str(message.string).split("{")[1:]}
            assert {p.split("}")[0] for p in source} == {p.split("}")[0] for p in target}, (
                message.id)


@pytest.fixture
def english() -> object:
    set_language("en")
    yield
    set_language("pl")


def test_translation_follows_the_language(english: object) -> None:
    assert _("Podsumowanie") == "Summary"


def test_polish_is_the_source_language() -> None:
    assert _("Podsumowanie") == "Podsumowanie"


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="Nieznany język"):
        set_language("de")
