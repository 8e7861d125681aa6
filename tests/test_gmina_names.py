"""One rule for naming a gmina: code or name, in every command and notebook."""

from __future__ import annotations

import pytest

from wkus_lib.domain import (
    MAX_LISTED,
    Gmina,
    choose_gminy_with_data,
    fold_name,
    load_gminy,
    resolve_gmina,
    resolve_gminy,
    restore_teryt,
)
from wkus_lib.errors import ParameterError

REGISTRY = load_gminy()
STORE = ("2002063", "2264011", "2013023")


@pytest.mark.parametrize("given", [
    "2002063", 2002063, "Łapy", "łapy", "ŁAPY", "Lapy", "lapy", " LAPY ", "2002063 Łapy",
    "Łapy (2002063)", "2002063 lapy",
])
def test_every_spelling_of_lapy_is_lapy(given: str | int) -> None:
    assert resolve_gmina(given, REGISTRY).teryt == "2002063"


@pytest.mark.parametrize(("given", "teryt"), [
    ("Turośń Kościelna", "2002112"),
    ("turosn koscielna", "2002112"),
    ("TUROSN-KOSCIELNA", "2002112"),
    ("Sokółka", "2011083"),
    ("sokolka", "2011083"),
    ("Sopot", "2264011"),
    ("2264011", "2264011"),
    ("Bielsko-Biała", "2461011"),
    ("bielsko biala", "2461011"),
])
def test_names_without_polish_letters_case_or_hyphens(given: str, teryt: str) -> None:
    assert resolve_gmina(given, REGISTRY).teryt == teryt


@pytest.mark.parametrize(("given", "teryt"), [
    (201011, "0201011"), ("201011", "0201011"), (201022.0, "0201022"), (2264011, "2264011"),
])
def test_a_code_that_lost_its_leading_zero_is_restored(given: str | int, teryt: str) -> None:
    assert restore_teryt(given) == teryt
    gmina = resolve_gmina(given, REGISTRY)
    assert gmina.teryt == teryt and gmina.name in ("Bolesławiec", "Sopot")


def test_restore_leaves_names_and_full_codes_alone() -> None:
    assert restore_teryt(" Łapy ") == "Łapy"
    assert restore_teryt("0201011") == "0201011"
    with pytest.raises(ParameterError):
        restore_teryt(True)


def test_fold_name_ignores_case_diacritics_and_punctuation() -> None:
    assert fold_name("Turośń  Kościelna") == fold_name("TUROSN-koscielna") == "turosn koscielna"
    assert fold_name("Łódź") == "lodz"


def test_an_ambiguous_name_lists_the_candidates_with_type_and_powiat() -> None:
    with pytest.raises(ParameterError) as error:
        resolve_gmina("Bolesławiec", REGISTRY)
    message = str(error.value)
    assert message.startswith("Nazwa „Bolesławiec” oznacza 3 gminy:")
    assert "0201011 Bolesławiec (gmina miejska, powiat bolesławiecki" in message
    assert "0201022 Bolesławiec (gmina wiejska, powiat bolesławiecki" in message
    assert "Podaj kod TERYT" in message


def test_the_code_settles_an_ambiguous_name() -> None:
    assert resolve_gmina("0201022", REGISTRY).gmina_type == "wiejska"
    assert resolve_gmina("0201022 Bolesławiec", REGISTRY).gmina_type == "wiejska"


def test_an_unknown_name_gets_the_closest_names() -> None:
    with pytest.raises(ParameterError) as error:
        resolve_gmina("Lapyy", REGISTRY)
    message = str(error.value)
    assert message.startswith("Nieznana gmina „Lapyy”. Podobne nazwy w rejestrze:")
    assert "2002063 Łapy (gmina miejsko-wiejska, powiat białostocki" in message


def test_nothing_close_lists_the_gminy_of_the_store_not_the_registry() -> None:
    with pytest.raises(ParameterError) as error:
        resolve_gmina("Qwxzvb", REGISTRY, in_store=STORE)
    message = str(error.value)
    assert "Gminy z danymi w magazynie: Łapy (2002063), Ciechanowiec (2013023), Sopot" in message
    assert "Bolesławiec" not in message and len(message) < 600


def test_a_long_store_list_is_cut() -> None:
    many = list(REGISTRY)[:100]
    with pytest.raises(ParameterError) as error:
        resolve_gmina("Qwxzvb", REGISTRY, in_store=many)
    assert f"i {100 - MAX_LISTED} innych." in str(error.value)


@pytest.mark.parametrize(("given", "start"), [
    ("9999999", "Niepoprawny kod TERYT „9999999”"),
    ("123", "Niepoprawny kod TERYT „123”"),
    ("2099991", "Nieznany kod TERYT gminy „2099991”: nie ma go w rejestrze gmin (GUS"),
])
def test_unknown_codes_are_refused_in_polish(given: str, start: str) -> None:
    with pytest.raises(ParameterError) as error:
        resolve_gmina(given, REGISTRY)
    assert str(error.value).startswith(start)


def test_a_code_with_another_gminas_name_is_refused() -> None:
    with pytest.raises(ParameterError, match="kod i nazwa nie pasują.*2002063 Łapy.*„Mońki”"):
        resolve_gmina("2002063 Mońki", REGISTRY)


def test_all_means_the_gminy_with_data_in_code_order() -> None:
    chosen = resolve_gminy("all", REGISTRY, STORE)
    assert [g.teryt for g in chosen] == ["2002063", "2013023", "2264011"]
    assert resolve_gminy(" ALL ", REGISTRY, ()) == []


def test_several_gminy_by_comma_or_list_without_repeats() -> None:
    chosen = resolve_gminy("Łapy, 2002063, lapy, sopot", REGISTRY, STORE)
    assert [g.teryt for g in chosen] == ["2002063", "2264011"]
    assert [g.teryt for g in resolve_gminy([2002063, "Sopot"], REGISTRY, STORE)] == [
        "2002063", "2264011"]


def test_no_gmina_given_is_refused() -> None:
    with pytest.raises(ParameterError, match="Nie podano gminy"):
        resolve_gminy(" , ", REGISTRY, STORE)


def test_a_store_code_missing_from_the_registry_is_named_not_skipped() -> None:
    with pytest.raises(ParameterError, match="2099991"):
        resolve_gminy("all", REGISTRY, ["2002063", "2099991"])


def test_gminy_without_data_are_said_so() -> None:
    with_data, missing = choose_gminy_with_data("Łapy,2010092", REGISTRY, STORE, "magazyn")
    assert [g.teryt for g in with_data] == ["2002063"]
    [message] = missing
    assert message.startswith("Brak danych gminy Siemiatycze (2010092) w magazynie magazyn")
    assert "Gminy z danymi w magazynie: Łapy (2002063)" in message


def test_a_user_registry_gmina_is_named_like_any_other() -> None:
    extra = {"0299012": Gmina("0299012", "Nowa Gmina", "wiejska", "bolesławiecki",
                              "dolnośląskie", 3800), **REGISTRY}
    assert resolve_gmina("nowa gmina", extra).population == 3800


def test_the_explorer_names_gminy_the_same_way() -> None:
    import pandas as pd

    from wkus_lib.catalog import load_catalog
    from wkus_lib.explore.explorer import ExplorerData, Selection, apply_request

    data = ExplorerData(table=pd.DataFrame(), catalog=load_catalog(),
                        names={"2002063": "Łapy", "2008063": "Mońki"}, threshold=5,
                        synthetic=True, data_hash="test")
    asked = Selection(teryt=2002063, area="sport", stage=None,  # type: ignore[arg-type]
                      indicator="E4", years=(2019, 2025), compare_teryt="MONKI")
    chosen, warning = apply_request(data, asked, {})
    assert (chosen.teryt, chosen.compare_teryt, warning) == ("2002063", "2008063", None)
    chosen, warning = apply_request(data, asked, {"QUERY_STRING": "teryt=Monki"})
    assert (chosen.teryt, chosen.compare_teryt, warning) == ("2008063", "2002063", None)
    chosen, warning = apply_request(data, asked, {"QUERY_STRING": "teryt=Sopot"})
    assert chosen.teryt == "2002063" and warning is not None and "„Sopot”" in warning
