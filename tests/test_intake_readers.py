"""Readers: encodings, separators, number and date formats, XLSX sheets; never a silent guess."""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from wkus_lib.errors import InputError
from wkus_lib.intake import readers
from wkus_lib.intake.readers import (
    Detection,
    detect_encoding,
    parse_date,
    parse_number,
    read_file,
)

POLISH_EXCEL = Detection("cp1250", ";", ",", " ", "dd.mm.yyyy")
PLAIN = Detection("utf-8", ",", ".", None, None)
HEADER = "Kod TERYT gminy;Obszar;Rok;Liczba osób potrzebujących;Koszt jednostkowy w gminie [zł]"


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _valid_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _only_sheet(path: Path) -> object:
    sheets = read_file(path)
    assert len(sheets) == 1
    return sheets[0]


def _xlsx(tmp_path: Path, name: str, sheets: dict[str, list[list[object]]]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


# ---------------------------------------------------------------- encodings


def test_csv_saved_by_polish_excel_imports_with_no_options(tmp_path: Path) -> None:
    rows = ["2002063;pomoc_spoleczna;2023;95;6 120,50", "2013023;sport;2023;40;980,00"]
    text = "\r\n".join([HEADER, *rows]) + "\r\n"
    path = _write(tmp_path, "diagnoza.csv", text.encode("cp1250"))

    sheet = _only_sheet(path)

    assert sheet.detection == Detection("cp1250", ";", ",", " ", None)
    assert sheet.detection.describe() == (
        "kodowanie Windows-1250, separator „;” (średnik), przecinek dziesiętny, "
        "separator tysięcy: spacja"
    )
    assert sheet.headers[3] == "Liczba osób potrzebujących"
    assert [parse_number(v, sheet.detection) for v in sheet.rows[4]] == [6120.5, 980.0]


@pytest.mark.parametrize("encoding", ["cp1250", "iso-8859-2"])
def test_polish_letters_decide_between_windows_1250_and_iso_8859_2(
    tmp_path: Path, encoding: str
) -> None:
    text = "Nazwa organizacji;Tytuł\nFundacja Źródło;Świetlica – ąśź\n".replace("–", "-")
    path = _write(tmp_path, "umowy.csv", text.encode(encoding))

    sheet = _only_sheet(path)

    assert sheet.detection.encoding == encoding
    assert sheet.rows.loc[2].tolist() == ["Fundacja Źródło", "Świetlica - ąśź"]


def test_file_with_only_letters_both_encodings_share_reads_the_same(tmp_path: Path) -> None:
    path = _write(tmp_path, "a.csv", "Gmina;Nazwa\nŁapy;Mońki Żółć\n".encode("iso-8859-2"))

    sheet = _only_sheet(path)

    assert sheet.rows.loc[2].tolist() == ["Łapy", "Mońki Żółć"]


def test_windows_1250_punctuation_is_decisive() -> None:
    # „ ” and – live at 0x80–0x9F, where ISO-8859-2 has only control characters.
    assert detect_encoding("„Świt” – klub".encode("cp1250"), "x.csv") == "cp1250"


@pytest.mark.parametrize(
    ("payload", "encoding", "name"),
    [
        ("Gmina;Rok\nŁapy;2023\n".encode(), "utf-8", "UTF-8"),
        (codecs.BOM_UTF8 + "Gmina;Rok\nŁapy;2023\n".encode(), "utf-8-sig", "UTF-8 z BOM"),
        (codecs.BOM_UTF16_LE + "Gmina\tRok\r\nŁapy\t2023\r\n".encode("utf-16-le"), "utf-16",
         "UTF-16"),
    ],
)
def test_unicode_files_are_recognised_and_named(
    tmp_path: Path, payload: bytes, encoding: str, name: str
) -> None:
    sheet = _only_sheet(_write(tmp_path, "a.csv", payload))

    assert sheet.detection.encoding == encoding
    assert name in sheet.detection.describe()
    assert sheet.headers == ("Gmina", "Rok")
    assert sheet.rows.loc[2].tolist() == ["Łapy", "2023"]


@pytest.mark.parametrize(
    ("payload", "fragment"),
    [
        (b"", "plik jest pusty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "nie jest plik tekstowy"),
        (bytes.fromhex("d0cf11e0a1b11ae1") + bytes(600), "Excel 97–2003"),
        (b"%PDF-1.4\n1 0 obj\n", "to plik PDF"),
        (b"Nazwa\nStowarzyszenie\nFundacja\n", "nie rozpoznano separatora"),
        (b"PK\x03\x04broken zip", "nie jest poprawnym skoroszytem"),
    ],
)
def test_files_that_are_not_tables_raise_input_error_naming_the_file(
    tmp_path: Path, payload: bytes, fragment: str
) -> None:
    path = _write(tmp_path, "dane Łapy.csv", payload)

    with pytest.raises(InputError) as caught:
        read_file(path)

    assert fragment in str(caught.value)
    assert caught.value.file == "dane Łapy.csv"


def test_missing_file_and_folder_raise_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="nie można otworzyć pliku"):
        read_file(tmp_path / "brak.csv")
    with pytest.raises(InputError, match="folder"):
        read_file(tmp_path)


def test_file_above_the_size_limit_is_refused_without_reading(tmp_path: Path) -> None:
    path = _write(tmp_path, "duzy.csv", b"a;b\n" + b"1;2\n" * 1000)

    with pytest.raises(InputError, match="plik jest za duży") as caught:
        read_file(path, max_bytes=1000)

    assert caught.value.hint is not None and "Podziel plik" in caught.value.hint


# ---------------------------------------------------------------- separators and grids


@pytest.mark.parametrize(
    ("text", "separator"),
    [
        ("Nazwa;Kwota;Stawka\nA;1,5;2,5\nB;3,5;4,5\n", ";"),
        ('Nazwa,Kwota\nA,"1,5"\nB,"2,5"\n', ","),
        ("Nazwa\tKwota\nA\t1,5\nB\t2\n", "\t"),
        ('Nazwa,Uwagi\nA,"jeden; dwa"\nB,trzy\n', ","),
    ],
)
def test_separator_is_the_one_that_splits_lines_consistently(
    tmp_path: Path, text: str, separator: str
) -> None:
    sheet = _only_sheet(_write(tmp_path, "a.csv", text.encode()))

    assert sheet.detection.separator == separator
    assert len(sheet.headers) == text.splitlines()[0].count(separator) + 1
    assert len(sheet.rows) == 2


def test_row_numbers_are_the_lines_the_user_sees(tmp_path: Path) -> None:
    text = 'Sprawozdanie 2023;;\n\nNazwa;Rok;Uwagi\nA;2023;"dwie\nlinie"\n\n;;\nB;2024;\n'
    sheet = _only_sheet(_write(tmp_path, "a.csv", text.encode()))

    assert sheet.headers == ("Nazwa", "Rok", "Uwagi")
    assert list(sheet.rows.index) == [4, 7]
    assert sheet.rows.loc[4, 2] == "dwie\nlinie"
    assert sheet.rows.loc[7].tolist() == ["B", "2024", None]
    assert any("pominięto 1 wiersz nad nagłówkiem" in note for note in sheet.notes)


def test_cells_are_stripped_and_trailing_empty_columns_dropped(tmp_path: Path) -> None:
    text = "Nazwa ; Rok ;;;\n  Łapy ;2023;;;\n"
    sheet = _only_sheet(_write(tmp_path, "a.csv", text.encode()))

    assert sheet.headers == ("Nazwa", "Rok")
    assert sheet.rows.loc[2].tolist() == ["Łapy", "2023"]


def test_values_beyond_the_header_are_kept_and_noted(tmp_path: Path) -> None:
    text = "Kod,Godziny,Stawka\n2013023,52,48,20\n2010023,40,51\n"
    sheet = _only_sheet(_write(tmp_path, "a.csv", text.encode()))

    assert sheet.headers == ("Kod", "Godziny", "Stawka", "")
    assert sheet.rows.loc[2].tolist() == ["2013023", "52", "48", "20"]
    assert sheet.rows.loc[3].tolist() == ["2010023", "40", "51", None]
    assert any("wiersz 2 ma więcej wypełnionych komórek" in note for note in sheet.notes)


def test_header_only_file_gives_an_empty_table_and_says_so(tmp_path: Path) -> None:
    sheet = _only_sheet(_write(tmp_path, "a.csv", b"Nazwa;Rok\n"))

    assert sheet.rows.empty and sheet.headers == ("Nazwa", "Rok")
    assert "pod nagłówkiem nie ma wierszy danych" in sheet.notes


def test_unclosed_quote_is_refused_instead_of_swallowing_rows(tmp_path: Path) -> None:
    lines = ["Nazwa;Rok", '"Fundacja;2023'] + [f"Organizacja {n};2023" for n in range(100)]
    path = _write(tmp_path, "a.csv", "\n".join(lines).encode())

    with pytest.raises(InputError, match="cudzysłów otwarty w linii 2"):
        read_file(path)


def test_formula_text_in_csv_stays_text_and_is_noted(tmp_path: Path) -> None:
    text = 'Nazwa;Kwota\n"=HYPERLINK(""http://example.org"";""x"")";5\n'
    sheet = _only_sheet(_write(tmp_path, "a.csv", text.encode()))

    assert sheet.rows.loc[2, 0] == '=HYPERLINK("http://example.org";"x")'
    assert any("komórka A2 zaczyna się od „=”" in note for note in sheet.notes)


def test_old_mac_line_endings_are_lines(tmp_path: Path) -> None:
    sheet = _only_sheet(_write(tmp_path, "a.csv", b"Nazwa;Rok\rA;2023\rB;2024\r"))

    assert list(sheet.rows.index) == [2, 3]


# ---------------------------------------------------------------- number and date formats


@pytest.mark.parametrize(
    ("cells", "decimal", "thousands", "date_format"),
    [
        (["1 234,50", "12,5", "2023"], ",", " ", None),
        (["1\u00a0234,50", "7"], ",", "\u00a0", None),
        (["1.234,50", "2.500,00"], ",", ".", None),
        (["1234.5", "0.25"], ".", None, None),
        (["12", "7"], ".", None, None),
        (["05.03.2024", "1,5"], ",", None, "dd.mm.yyyy"),
        (["2024-03-05T10:00:00+01:00", "2024-03-06"], ".", None, "yyyy-mm-dd"),
    ],
)
def test_number_and_date_formats_are_detected_from_cells(
    tmp_path: Path, cells: list[str], decimal: str, thousands: str | None, date_format: str | None
) -> None:
    text = "Kolumna;Druga\n" + "".join(f"{cell};x\n" for cell in cells)
    sheet = _only_sheet(_write(tmp_path, "a.csv", text.encode()))

    detection = sheet.detection
    assert (detection.decimal, detection.thousands, detection.date_format) == (
        decimal, thousands, date_format
    )


def test_ambiguous_dotted_numbers_are_read_as_decimals_and_noted(tmp_path: Path) -> None:
    sheet = _only_sheet(_write(tmp_path, "a.csv", b"Kwota;Nazwa\n1.500;a\n2.750;b\n"))

    assert sheet.detection.decimal == "."
    assert parse_number("1.500", sheet.detection) == 1.5
    assert any("odczytano z kropką dziesiętną" in note for note in sheet.notes)


def test_mixed_decimal_marks_are_noted_and_the_minority_refused(tmp_path: Path) -> None:
    text = "Kwota;Nazwa\n11040,00;a\n2400,00;b\n4500.00;c\n"
    sheet = _only_sheet(_write(tmp_path, "a.csv", text.encode()))

    assert sheet.detection.decimal == ","
    assert any("przyjęto przecinek" in note for note in sheet.notes)
    with pytest.raises(ValueError, match="kropka w liczbie, a plik ma przecinek dziesiętny"):
        parse_number("4500.00", sheet.detection)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 234,50", 1234.5),
        ("1\u00a0234\u00a0567,8", 1234567.8),
        ("1\u202f234,5", 1234.5),
        ("-14 655,20", -14655.2),
        ("\u22125,5", -5.5),
        ("+3", 3.0),
        ("12 345,50 zł", 12345.5),
        ("980 PLN", 980.0),
        ("  7  ", 7.0),
        ("0,25", 0.25),
    ],
)
def test_parse_number_reads_polish_spreadsheet_numbers(text: str, expected: float) -> None:
    assert parse_number(text, POLISH_EXCEL) == expected


@pytest.mark.parametrize(
    ("text", "detection", "reason"),
    [
        ("", POLISH_EXCEL, "pusta komórka"),
        ("ok. 9 tys.", POLISH_EXCEL, "nie jest liczbą"),
        ("=HYPERLINK(\"x\";\"5\")", POLISH_EXCEL, "formuła"),
        ("#DZIEL/0!", POLISH_EXCEL, "błąd Excela"),
        ("45%", POLISH_EXCEL, "znak %"),
        ("1,2,3", POLISH_EXCEL, "więcej niż raz"),
        ("1.5", POLISH_EXCEL, "kropka w liczbie"),
        ("1.234", POLISH_EXCEL, "kropka w liczbie"),
        ("1,5", PLAIN, "przecinek w liczbie"),
        ("12 34", POLISH_EXCEL, "grupy tysięcy"),
        ("nan", PLAIN, "nie jest liczbą"),
        ("1e5", PLAIN, "nie jest liczbą"),
    ],
)
def test_parse_number_refuses_with_a_polish_reason(
    text: str, detection: Detection, reason: str
) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_number(text, detection)


def test_dot_thousands_only_when_the_file_uses_them() -> None:
    dotted = Detection("utf-8", ";", ",", ".", None)
    assert parse_number("1.234.567,5", dotted) == 1234567.5
    with pytest.raises(ValueError):
        parse_number("1.234.567,5", POLISH_EXCEL)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05.03.2024", datetime.date(2024, 3, 5)),
        ("5.3.2024", datetime.date(2024, 3, 5)),
        ("2024-03-05", datetime.date(2024, 3, 5)),
        ("2023-10-02T09:12:44.120+02:00", datetime.date(2023, 10, 2)),
        ("2023-11-14 10:21:07", datetime.date(2023, 11, 14)),
    ],
)
def test_parse_date_reads_both_unambiguous_formats(text: str, expected: datetime.date) -> None:
    assert parse_date(text, POLISH_EXCEL) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("03/05/2024", "niejednoznaczna data"),
        ("05.03.24", "rok ma dwie cyfry"),
        ("31.02.2024", "nie ma takiej daty"),
        ("wczoraj", "nie jest datą"),
        ("45123", "nie jest datą"),
    ],
)
def test_parse_date_refuses_with_a_polish_reason(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_date(text, POLISH_EXCEL)


def _grouped(digits: str, separator: str) -> str:
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)]
    return separator.join(groups)


FORMATS = [
    (decimal, thousands)
    for decimal in (",", ".")
    for thousands in (None, " ", "\u00a0", ".")
    if thousands != decimal
]


@settings(max_examples=300, deadline=None)
@given(
    cents=st.integers(min_value=-(10**13), max_value=10**13),
    places=st.integers(min_value=0, max_value=3),
    style=st.sampled_from(FORMATS),
)
def test_formatted_numbers_round_trip(
    cents: int, places: int, style: tuple[str, str | None]
) -> None:
    decimal, thousands = style
    value = Decimal(cents).scaleb(-places)
    whole, _, fraction = f"{abs(value):f}".partition(".")
    text = _grouped(whole, thousands) if thousands else whole
    if fraction:
        text = f"{text}{decimal}{fraction}"
    if value < 0:
        text = f"-{text}"
    detection = Detection("utf-8", ";", decimal, thousands, None)

    assert parse_number(text, detection) == float(value)


@settings(max_examples=200, deadline=None)
@given(day=st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31)))
def test_formatted_dates_round_trip(day: datetime.date) -> None:
    assert parse_date(day.strftime("%d.%m.%Y"), POLISH_EXCEL) == day
    assert parse_date(day.isoformat(), POLISH_EXCEL) == day


POLISH_TEXT = st.text(
    alphabet="aąbcćdeęfghijklłmnńoóprsśtuwyzźżAĄCĆEĘŁŃÓŚŹŻ0123456789 ,;.\"-/\\",
    min_size=1,
    max_size=12,
).map(str.strip).filter(bool)


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(st.lists(POLISH_TEXT, min_size=3, max_size=3), min_size=1, max_size=8),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1250", "iso-8859-2"]),
)
def test_any_polish_text_survives_a_csv_round_trip(
    tmp_path_factory: pytest.TempPathFactory, rows: list[list[str]], encoding: str
) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(
        [["Nazwa", "Opis", "Kwota"], *rows]
    )
    data = buffer.getvalue().encode(encoding)
    # Bytes that are valid UTF-8 are read as UTF-8 by rule (a short Windows-1250 text such
    # as „ÓŁ” can be, by accident; the reader then says so in a note, tested separately).
    assume(encoding.startswith("utf") or not _valid_utf8(data) or data.isascii())
    path = tmp_path_factory.mktemp("csv") / "dane.csv"
    path.write_bytes(data)

    sheet = _only_sheet(path)

    assert sheet.headers == ("Nazwa", "Opis", "Kwota")
    assert sheet.rows.to_numpy().tolist() == rows
    assert list(sheet.rows.index) == list(range(2, len(rows) + 2))


# ---------------------------------------------------------------- XLSX


def test_xlsx_merged_two_row_header_becomes_one_header(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Koszty"
    sheet.append(["Numer umowy", "Koszt [zł]", None])
    sheet.append([None, "planowany", "poniesiony"])
    sheet.append(["2002063/sport/2023", 1200.5, 1100])
    sheet.merge_cells("A1:A2")
    sheet.merge_cells("B1:C1")
    path = tmp_path / "koszty.xlsx"
    workbook.save(path)

    raw = _only_sheet(path)

    assert raw.headers == ("Numer umowy", "Koszt [zł] planowany", "Koszt [zł] poniesiony")
    assert raw.rows.loc[3].tolist() == ["2002063/sport/2023", "1200.5", "1100"]
    assert raw.detection == Detection(None, None, ".", None, None)
    assert raw.detection.describe() == "plik Excel (XLSX)"


def test_xlsx_formula_is_never_executed(tmp_path: Path) -> None:
    path = _xlsx(tmp_path, "wklad.xlsx", {"Wkład": [
        ["Kod", "Wartość", "Link"], ["A", "=2*3", '=HYPERLINK("http://example.org","x")'],
    ]})

    raw = _only_sheet(path)

    # openpyxl saves no computed value: the cells are empty, and the note says why.
    assert raw.rows.loc[2].tolist() == ["A", None, None]
    assert any("formuły bez zapisanej wartości w komórkach B2, C2" in note for note in raw.notes)


def test_xlsx_formula_reads_the_value_excel_saved(tmp_path: Path) -> None:
    path = _xlsx(tmp_path, "wklad.xlsx", {"Wkład": [["Kod", "Wartość"], ["A", "=2*3"]]})
    saved = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(saved, "w") as target:
        for info in source.infolist():
            payload = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                payload = payload.replace(b"<f>2*3</f><v></v>", b"<f>2*3</f><v>6</v>")
                assert b"<v>6</v>" in payload
            target.writestr(info, payload)
    path.write_bytes(saved.getvalue())

    raw = _only_sheet(path)

    assert raw.rows.loc[2].tolist() == ["A", "6"]
    assert any("komórka B2 zawiera formułę – wczytano zapisaną wartość" in n for n in raw.notes)


def test_xlsx_skips_instruction_hidden_and_empty_sheets_with_notes(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    workbook.active.title = "Instrukcja"
    workbook.active.append(["Jak wypełnić"])
    workbook.create_sheet("Pusty")
    data = workbook.create_sheet("Dane")
    data.append(["Kod TERYT gminy", "Rok", "Data kontroli"])
    data.append([201011, 2023.0, datetime.datetime(2023, 5, 4)])
    lists = workbook.create_sheet("Słowniki")
    lists.append(["a"])
    hidden = workbook.create_sheet("Pomocniczy")
    hidden.append(["x", "y"])
    hidden.sheet_state = "hidden"
    path = tmp_path / "dane.xlsx"
    workbook.save(path)

    raw, hidden_sheet = read_file(path)

    assert raw.sheet == "Dane" and not raw.hidden
    assert raw.rows.loc[2].tolist() == ["201011", "2023", "2023-05-04"]
    assert raw.detection.date_format == "yyyy-mm-dd"
    notes = " ".join(raw.notes)
    for fragment in ("„Instrukcja” pominięty", "„Pusty” jest pusty", "„Słowniki” pominięty"):
        assert fragment in notes
    # A hidden sheet with data is handed on, marked, for the mapper to name (never imported).
    assert hidden_sheet.sheet == "Pomocniczy" and hidden_sheet.hidden
    assert hidden_sheet.headers == ("x", "y")


def test_xlsx_with_only_empty_sheets_is_refused(tmp_path: Path) -> None:
    path = _xlsx(tmp_path, "pusty.xlsx", {"Arkusz1": [], "Instrukcja": [["tekst"]]})

    with pytest.raises(InputError, match="nie ma arkusza z danymi"):
        read_file(path)


def test_xlsx_numbers_typed_as_text_set_the_decimal_mark(tmp_path: Path) -> None:
    path = _xlsx(tmp_path, "a.xlsx", {"Dane": [["Kwota", "Stawka"], ["1 204,5", 0.1], [880, 2.5]]})

    raw = _only_sheet(path)

    assert raw.detection.decimal == ","
    assert raw.rows.loc[2].tolist() == ["1 204,5", "0,1"]
    assert [parse_number(v, raw.detection) for v in raw.rows[1]] == [0.1, 2.5]


def test_every_sheet_with_data_is_returned(tmp_path: Path) -> None:
    sheets: dict[str, list[list[object]]] = {"Umowy": [["A", "B"], [1, 2]], "Koszty": [["C", "D"]]}
    path = _xlsx(tmp_path, "a.xlsx", sheets)

    assert [raw.sheet for raw in read_file(path)] == ["Umowy", "Koszty"]


def test_opendocument_spreadsheet_is_refused_with_a_hint(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        package.writestr("content.xml", "<office:document-content/>")
    path = _write(tmp_path, "dane.ods", buffer.getvalue())

    with pytest.raises(InputError, match="OpenDocument"):
        read_file(path)


def test_medium_file_is_read_whole(tmp_path: Path) -> None:
    lines = [HEADER] + [
        f"2002063;pomoc_spoleczna;2023;{n};1 {n % 1000:03d},50" for n in range(1, 50_001)
    ]
    path = _write(tmp_path, "duzo.csv", "\r\n".join(lines).encode("cp1250"))

    raw = _only_sheet(path)

    assert len(raw.rows) == 50_000
    assert raw.rows.index[-1] == 50_001
    assert parse_number(raw.rows.iloc[-1, 4], raw.detection) == 1000.5


@settings(max_examples=150, deadline=None)
@given(
    text=st.text(alphabet='ab ;,\t"\r\n=ł1', max_size=60),
    separator=st.sampled_from([";", ",", "\t"]),
)
def test_fast_csv_path_agrees_with_the_csv_module(text: str, separator: str) -> None:
    # The C-parser shortcut must give exactly the table the csv module gives, or step aside.
    try:
        reference = readers._table(readers._split_records(text, separator, "a.csv"))
    except InputError:
        return
    fast = readers._split_records_fast(text, separator)

    if fast is not None:
        assert fast.to_numpy().tolist() == reference.to_numpy().tolist()
        assert list(fast.index) == list(reference.index)


def test_xlsx_is_limited_by_its_unpacked_size(tmp_path: Path) -> None:
    rows: list[list[object]] = [["Kod", "Opis"]] + [[n, "tekst " * 20] for n in range(2000)]
    path = _xlsx(tmp_path, "duzy.xlsx", {"Dane": rows})
    assert path.stat().st_size < 100_000

    with pytest.raises(InputError, match="po rozpakowaniu"):
        read_file(path, max_bytes=100_000)


@settings(max_examples=200, deadline=None)
@given(
    payload=st.one_of(
        st.binary(max_size=300),
        st.text(alphabet='ab1,5 ;\t"\r\n=ąś€\x00\x1a', max_size=200).map(
            lambda text: text.encode("utf-8")
        ),
        st.text(alphabet="ab1,5 ;\"\n=ąśźĄŚŹ–„”", max_size=200).map(
            lambda text: text.encode("cp1250")
        ),
        st.binary(max_size=200).map(lambda tail: b"PK\x03\x04" + tail),
    ),
    suffix=st.sampled_from([".csv", ".xlsx", ".txt"]),
)
def test_any_bytes_give_a_table_or_an_input_error(
    tmp_path_factory: pytest.TempPathFactory, payload: bytes, suffix: str
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / f"plik{suffix}"
    path.write_bytes(payload)

    try:
        sheets = read_file(path)
    except InputError as error:
        assert error.file == path.name
        return
    for sheet in sheets:
        assert len(sheet.headers) == sheet.rows.shape[1]
        assert all(isinstance(v, str) or v is None for v in sheet.rows.to_numpy().ravel())
        assert sheet.detection.describe()


def test_excel_sep_line_names_the_separator_and_is_not_a_row(tmp_path: Path) -> None:
    text = "sep=,\r\nNazwa,Kwota;brutto\r\nA,5\r\n"
    sheet = _only_sheet(_write(tmp_path, "a.csv", text.encode()))

    assert sheet.detection.separator == ","
    assert sheet.headers == ("Nazwa", "Kwota;brutto")
    assert list(sheet.rows.index) == [2]
    assert any("sep=" in note for note in sheet.notes)


# ---------------------------------------------------------------- never a silent guess

SURVEY_HEADER = "Numer umowy;Kod TERYT gminy;Tytuł zadania publicznego;Rok"


def _contract_lines(count: int) -> list[str]:
    return [f"U-{n};2002063;Zajęcia {n};2023" for n in range(count)]


def test_quote_open_to_the_end_swallows_nothing_and_names_where_it_opened(
    tmp_path: Path,
) -> None:
    # 32 rows, the second opens a quote never closed: before, 31 rows became one title.
    lines = [SURVEY_HEADER, 'U-x;2002063;"Zajęcia otwarte;2023', *_contract_lines(31)]
    path = _write(tmp_path, "umowy.csv", "\r\n".join(lines).encode())

    with pytest.raises(InputError) as caught:
        read_file(path)

    error = caught.value
    assert "cudzysłów otwarty w linii 2 nie jest zamknięty do końca pliku" in error.problem
    assert "32 linie" in error.problem
    assert (error.file, error.row) == ("umowy.csv", 2)
    assert ("(wiersz 2, kolumna „Tytuł zadania publicznego”, początek komórki: "
            "„Zajęcia otwarte;2023”)") in error.problem
    assert "linii 2" in error.hint and '""' in error.hint


def test_quote_closed_rows_later_by_a_stray_quote_is_refused(tmp_path: Path) -> None:
    lines = [SURVEY_HEADER, 'U-x;2002063;"Zajęcia otwarte;2023', *_contract_lines(5),
             'U-y;2002063;"Klub";2023']
    path = _write(tmp_path, "umowy.csv", "\n".join(lines).encode())

    with pytest.raises(InputError, match="cudzysłów otwarty w linii 2") as caught:
        read_file(path)

    assert "całe wiersze tabeli" in caught.value.problem
    assert caught.value.row == 2


def test_quote_open_on_the_last_line_is_refused(tmp_path: Path) -> None:
    lines = [SURVEY_HEADER, *_contract_lines(2), 'U-x;2002063;"Zajęcia;2023']
    path = _write(tmp_path, "umowy.csv", "\n".join(lines).encode())

    with pytest.raises(InputError, match="cudzysłów otwarty w linii 4") as caught:
        read_file(path)

    assert caught.value.row == 4


@pytest.mark.parametrize(
    "record",
    ['U-x;2002063;"Zajęcia\nw dwóch liniach; dla seniorów";2023',
     '"U-x\ndruga linia";2002063;Zajęcia;2023'],
)
def test_line_break_inside_a_quoted_cell_is_text(tmp_path: Path, record: str) -> None:
    text = "\n".join([SURVEY_HEADER, record, *_contract_lines(3)]) + "\n"
    sheet = _only_sheet(_write(tmp_path, "umowy.csv", text.encode()))

    assert list(sheet.rows.index) == [2, 3, 4, 5]
    assert "\n" in "".join(sheet.rows.loc[2].dropna())
    assert sheet.rows.loc[3].tolist() == ["U-0", "2002063", "Zajęcia 0", "2023"]


def test_respondent_id_in_an_open_quote_is_not_echoed(tmp_path: Path) -> None:
    lines = ["Kod TERYT gminy;Identyfikator respondenta;Kod pytania",
             '2002063;"K-1;k_sat1', "2002063;K-2;k_sat1"]
    path = _write(tmp_path, "ankieta.csv", "\n".join(lines).encode())

    with pytest.raises(InputError) as caught:
        read_file(path)

    assert "(wiersz 2, kolumna „Identyfikator respondenta”)" in caught.value.problem
    assert "K-1" not in str(caught.value)


def test_valid_utf8_with_cyrillic_and_arrow_stays_utf8(tmp_path: Path) -> None:
    lines = [SURVEY_HEADER, "U-1;2002063;Zajęcia dla seniorów → klub Żak;2023",
             "U-2;2002063;Spotkania z Олександр Шевченко;2023"]
    path = _write(tmp_path, "umowy.csv", "\n".join(lines).encode("utf-8"))

    sheet = _only_sheet(path)

    assert sheet.detection.encoding == "utf-8"
    assert sheet.rows[2].tolist() == ["Zajęcia dla seniorów → klub Żak",
                                      "Spotkania z Олександр Шевченко"]
    assert not any("UTF-8" in note for note in sheet.notes)


@pytest.mark.parametrize(("bom", "newline"), [(b"", "\n"), (codecs.BOM_UTF8, "\r\n"),
                                             (b"", "\r")])
def test_file_mixing_utf8_and_windows_1250_lines_is_refused_naming_the_line(
    tmp_path: Path, bom: bytes, newline: str
) -> None:
    data = (bom + f"{SURVEY_HEADER}{newline}U-1;2002063;Zajęcia świetlicowe;2023{newline}"
            .encode()
            + f"U-2;2002063;Opieka wytchnieniowa źródło;2023{newline}".encode("cp1250")
            + f"U-3;2002063;Żłobek;2023{newline}".encode())
    path = _write(tmp_path, "umowy.csv", data)

    with pytest.raises(InputError, match="łączy dwa kodowania") as caught:
        read_file(path)

    assert caught.value.row == 3
    assert "linia 3 nie (wygląda na Windows-1250)" in caught.value.problem
    assert caught.value.value is None  # a line may hold a respondent's identifier
    assert "w linii 3" in caught.value.hint


def test_windows_1250_file_valid_as_utf8_by_accident_is_named_in_a_note(
    tmp_path: Path,
) -> None:
    # „ÓŁ” in Windows-1250 is D3 A3: a valid UTF-8 sequence (a Cyrillic letter).
    path = _write(tmp_path, "a.csv", "Numer;Obszar\n1;WSPÓŁPRACA Z NGO\n".encode("cp1250"))

    sheet = _only_sheet(path)

    assert sheet.detection.encoding == "utf-8"  # valid UTF-8 is UTF-8: never a silent guess
    note = next(note for note in sheet.notes if "odczytano jako UTF-8" in note)
    assert "w linii 2 jest „WSPӣPRACA” – jeśli miało być „WSPÓŁPRACA” (Windows-1250)" in note
    assert "NGO" not in note  # only the word, never the whole line


def test_byte_and_line_numbers_count_the_byte_order_mark() -> None:
    body = "Gmina\tRok\r\nŁapy\t2023\r\n".encode("utf-16-le")
    raw = codecs.BOM_UTF16_LE + body + b"\x00\xd8" + "x\r\n".encode("utf-16-le")

    with pytest.raises(InputError) as caught:
        readers._decode(raw, "utf-16", "a.txt")

    assert caught.value.row == 3
    assert f"(bajt {2 + len(body) + 1} pliku)" in caught.value.problem


def test_decode_strips_the_byte_order_mark_once() -> None:
    assert readers._decode(codecs.BOM_UTF8 + "\ufeffa".encode(), "utf-8-sig", "a") == "\ufeffa"
    assert readers._decode(codecs.BOM_UTF16_BE + "Łapy".encode("utf-16-be"), "utf-16",
                           "a") == "Łapy"
