"""One translation mechanism: every marked report text has an English translation in the
gettext catalogue, and the language is a context value scoped to one report."""

from __future__ import annotations

import asyncio
import re
import threading
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir

from wkus_lib.batch.params import REPORT_KIND_NAMES, TITLE_CONTEXT
from wkus_lib.report.style import STATUS_LABELS, status_label
from wkus_lib.text import i18n
from wkus_lib.text.i18n import _, current_language, language, n_, p_, translations, use_language

LIBRARY = Path(__file__).resolve().parents[1] / "wkus_lib"
KEYWORDS = {"_": None, "N_": None, "n_": (2, 4), "p_": ((1, "c"), 2), "NP_": ((1, "c"), 2)}
"""What :mod:`wkus_lib.text.i18n` marks: texts, plural forms (one … many), texts in a context."""

Marked = tuple[str | tuple[str, str], str | None]


def _marked_messages() -> set[Marked]:
    found = extract_from_dir(str(LIBRARY), method_map=[("**.py", "python")], keywords=KEYWORDS)
    return {(tuple(message) if isinstance(message, (list, tuple)) else message, context)
            for _file, _line, message, _comments, context in found}


def test_report_code_marks_texts_for_translation() -> None:
    marked = _marked_messages()
    assert len(marked) > 50
    assert (("{n} rok", "{n} lat"), None) in marked  # a plural entry
    assert ("uwaga", "traffic light") in marked  # a text in a context


def test_every_marked_text_has_an_english_translation() -> None:
    catalog = translations("en")
    missing = []
    for message, context in sorted(_marked_messages(), key=str):
        singular = message[0] if isinstance(message, tuple) else message
        entry = catalog.get(singular, context)
        if entry is None or not entry.string:
            missing.append((message, context))
        elif isinstance(message, tuple) and (tuple(entry.id) != message
                                             or not all(entry.string)):
            missing.append((message, context))  # a plural text needs its plural entry
    assert not missing, f"{len(missing)} texts lack English: {missing[:10]}"


def test_english_translations_keep_format_placeholders() -> None:
    catalog = translations("en")
    for message in catalog:
        if not message.id or not message.string:
            continue
        sources = message.id if isinstance(message.id, tuple) else (message.id,)
        targets = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = {p for s in sources for p in re.findall(r"\{(\w*)", s)}
        for target in targets:
            assert set(re.findall(r"\{(\w*)", target)) == wanted, message.id


def test_no_text_is_worded_by_a_table_of_its_own_language() -> None:
    # The first waves had {"pl": {…}, "en": {…}} tables and *_EN constants next to the catalogue.
    pattern = re.compile(r"""["']en["']\s*:\s*\{|\b[A-Z][A-Z_]*_EN\b|\bplural_en\b""")
    found = [f"{p.relative_to(LIBRARY)}: {m.group(0)}" for p in LIBRARY.rglob("*.py")
             for m in pattern.finditer(p.read_text("utf-8"))]
    assert found == []
    assert not hasattr(i18n, "set_language")


def test_every_report_kind_has_an_english_page_title() -> None:
    with language("en"):
        titles = {kind: p_(TITLE_CONTEXT, name) for kind, name in REPORT_KIND_NAMES.items()}
    assert titles["benchmark"] == "Benchmark of gminy"
    assert all(title != REPORT_KIND_NAMES[kind] for kind, title in titles.items()), titles


def test_translation_follows_the_language_of_the_block() -> None:
    assert _("Podsumowanie") == "Podsumowanie"
    with language("en") as lang:
        assert lang == "en" and current_language() == "en"
        assert _("Podsumowanie") == "Summary"
        with language("pl"):
            assert _("Podsumowanie") == "Podsumowanie"
        assert _("Podsumowanie") == "Summary"
    assert current_language() == "pl" and _("Podsumowanie") == "Podsumowanie"


def test_the_language_is_back_after_an_error() -> None:
    with pytest.raises(RuntimeError), language("en"):
        raise RuntimeError
    assert current_language() == "pl"


def test_a_block_undoes_a_report_opened_inside_it() -> None:
    # open_report words the rest of its context; inside a block, only until the block ends.
    with language("pl"):
        use_language("en")
        assert _("Podsumowanie") == "Summary"
    assert current_language() == "pl"


def test_the_language_is_not_process_wide() -> None:
    seen: list[str] = []
    with language("en"):
        thread = threading.Thread(target=lambda: seen.append(_("Podsumowanie")))
        thread.start()
        thread.join()

    async def two_reports() -> list[str]:
        async def report(lang: str) -> str:
            with language(lang):
                await asyncio.sleep(0.01)  # the other report runs meanwhile
                return _("Podsumowanie")
        return list(await asyncio.gather(report("en"), report("pl")))

    assert seen == ["Podsumowanie"]
    assert asyncio.run(two_reports()) == ["Summary", "Podsumowanie"]


@pytest.mark.parametrize(("count", "polish", "english"), [
    (0, "0 lat", "0 years"), (1, "1 rok", "1 year"), (2, "2 lata", "2 years"),
    (5, "5 lat", "5 years"), (22, "22 lata", "22 years"),
])
def test_counts_follow_each_languages_plural_rule(count: int, polish: str, english: str) -> None:
    def years() -> str:
        return n_(count, "{n} rok", "{n} lata", "{n} lat").format(n=count)

    assert years() == polish
    with language("en"):
        assert years() == english


def test_a_word_with_two_meanings_is_translated_by_its_context() -> None:
    with language("en"):
        assert [status_label(s) for s in STATUS_LABELS] == ["good", "watch", "poor", "not rated"]
        assert _("uwaga") == "attention"  # the data-quality verdict, not the traffic light
        assert p_("traffic light", "uwaga") == "watch"
    assert [status_label(s) for s in STATUS_LABELS] == ["dobrze", "uwaga", "źle", "brak oceny"]


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="Nieznany język „de”"), language("de"):
        pass
    assert current_language() == "pl"
