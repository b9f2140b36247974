"""Catalog import/export: round trips, the shipped sample, all-or-nothing errors, spreadsheet quirks, synthetic data."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from pathlib import Path

import pytest

from motcua.domain.catalog_io.csv_format import CSV_COLUMNS, dump_catalog_csv, load_catalog_csv
from motcua.domain.catalog_io.files import load_catalog_file
from motcua.domain.catalog_io.json_format import dump_catalog_json, load_catalog_json
from motcua.domain.catalog_io.records import procedure_from_dict, procedure_to_dict
from motcua.domain.catalog_io.synthetic import generate_synthetic_catalog
from motcua.domain.catalog_io.validation import CatalogImportError
from motcua.domain.errors import ValidationError
from motcua.domain.procedures import (
    PROCEDURE_CODE,
    Channel,
    Component,
    Fee,
    FeeBasis,
    Level,
    Procedure,
    ProcessingTime,
    Territory,
    TimeUnit,
)
from motcua.domain.text import fold
from motcua.paths import resource_path

SAMPLE = resource_path("catalog", "sample_catalog.json")


def _awkward() -> Procedure:
    """Every separator the compact CSV cells use, inside names, notes and extra values."""
    return Procedure(
        code="2.000815.000.00.00.H38",
        name='Chứng thực bản sao; "bản chính", giấy tờ | văn bản: loại A=B \\ C',
        sector="Chứng thực",
        level=Level.COMMUNE,
        agency="Ủy ban nhân dân cấp xã",
        statutory_time=ProcessingTime(0, TimeUnit.SAME_DAY, "15:00"),
        local_time=ProcessingTime(0, TimeUnit.SAME_DAY, ""),
        fees=(
            Fee(
                "Phí: chứng thực; bản sao",
                2_000,
                "đồng/trang; từ trang 3: 1.000 đồng",
                FeeBasis.PAGE,
                1_000,
                3,
                200_000,
            ),
            Fee("Lệ phí khác", 0),
        ),
        components=(
            Component("TP1", "Bản chính | bản sao; có chứng thực", 1, 0, 1, True, False),
            Component("TP|2", "Giấy tờ khác (nếu có)", 0, 1, 0, False, True),
        ),
        channels=(Channel.DIRECT, Channel.POSTAL),
        service_level=3,
        territory=Territory.LOCATION,
        payment_pauses_clock=True,
        active=False,
        extra={"note": "unverified", "a=b": "c;d|e:f\\g"},
    )


def _timed(code: str, statutory: ProcessingTime, local: ProcessingTime | None = None) -> Procedure:
    return Procedure(code, f"Thủ tục {code}", "Hộ tịch", Level.PROVINCE, "Sở Tư pháp", statutory, local)


@pytest.fixture(scope="module")
def synthetic() -> list[Procedure]:
    return generate_synthetic_catalog()


@pytest.fixture(scope="module")
def sample() -> list[Procedure]:
    return load_catalog_file(SAMPLE)


# --------------------------------------------------------------------------------------------- round trips


def test_json_round_trip_keeps_every_field(synthetic: list[Procedure], sample: list[Procedure]) -> None:
    procs = [*sample, *synthetic[:300], _awkward(), _timed("1.000001", ProcessingTime(0.5, TimeUnit.WORKING_DAYS))]
    assert load_catalog_json(dump_catalog_json(procs)) == procs


def test_csv_round_trip_keeps_every_field(synthetic: list[Procedure], sample: list[Procedure]) -> None:
    procs = [
        *sample,
        *synthetic[:300],
        _awkward(),
        _timed("1.000001", ProcessingTime(0.5, TimeUnit.WORKING_DAYS)),
        # Local cut-off and holiday rule differing from the statutory ones must survive the flat columns.
        _timed(
            "1.000002",
            ProcessingTime(30, TimeUnit.CALENDAR_DAYS, "16:00", skip_holidays=False),
            ProcessingTime(20, TimeUnit.CALENDAR_DAYS, "", skip_holidays=True),
        ),
    ]
    text = dump_catalog_csv(procs)
    assert text.splitlines()[0] == ",".join(CSV_COLUMNS)
    assert load_catalog_csv(text) == procs
    assert load_catalog_csv(text.encode("utf-8")) == procs


def test_dict_shape_is_json_friendly() -> None:
    d = procedure_to_dict(_awkward())
    assert d["level"] == "commune"
    assert d["statutory_time"] == {"amount": 0, "unit": "same_day", "cutoff": "15:00", "skip_holidays": True}
    assert d["channels"] == ["1", "3"]
    assert d["components"][1]["certified_copies"] == 1
    assert json.loads(json.dumps(d)) == d
    assert procedure_from_dict(d) == _awkward()


def test_dict_may_leave_optional_keys_out() -> None:
    p = procedure_from_dict({"code": "1.001193", "name": "Đăng ký khai sinh", "statutory_time": {"unit": "same_day"}})
    assert p.channels == (Channel.DIRECT,)
    assert p.statutory_time == ProcessingTime(0, TimeUnit.SAME_DAY, "")
    assert (p.fees, p.components, p.local_time, p.service_level) == ((), (), None, 2)


# --------------------------------------------------------------------------------------------- the shipped sample


def test_sample_catalog_has_forty_real_valid_procedures(sample: list[Procedure]) -> None:
    assert len(sample) >= 40
    codes = [p.code for p in sample]
    assert len(codes) == len(set(codes))
    for p in sample:
        p.validate()
        assert p.components, p.code
        assert len({c.code for c in p.components}) == len(p.components)
        if p.extra.get("note") == "unverified":
            # The marker must say which values are guesses, by field name.
            flagged = set(p.extra["unverified"].split(","))
            assert flagged <= {"name", "statutory_time", "local_time", "fees", "agency"}, p.code
    expected = {
        "1.001193", "2.000635", "2.000815", "2.000884", "2.001019", "2.000908", "2.001263", "2.000806",
        "1.013227", "2.000286.000.00.00.H38", "1.011442.000.00.00.H38",
    }  # fmt: skip
    assert expected <= set(codes)
    assert {PROCEDURE_CODE.match(c) is not None for c in codes} == {True}


def test_sample_catalog_carries_the_reference_rules(sample: list[Procedure]) -> None:
    by_code = {p.code: p for p in sample}
    birth = by_code["1.001193"]
    assert birth.name == "Thủ tục đăng ký khai sinh"
    assert birth.processing_time == ProcessingTime(0, TimeUnit.SAME_DAY, "15:00")
    copy = by_code["2.000815"]
    assert copy.processing_time.unit is TimeUnit.SAME_DAY
    assert copy.fees[0].amount_vnd == 2_000 and "200.000" in copy.fees[0].note
    permit = by_code["1.013225"]
    assert permit.statutory_time.amount == 15 and permit.processing_time.amount == 10
    assert permit.total_fee_vnd == 70_000
    social = by_code["2.000286.000.00.00.H38"]
    assert social.service_level == 4 and social.sector == "Bảo trợ xã hội"
    assert by_code["1.011442.000.00.00.H38"].level is Level.PROVINCE
    units = {p.processing_time.unit for p in sample}
    assert units == set(TimeUnit)


def test_sample_file_is_nfc_utf8_with_the_documented_header() -> None:
    raw = SAMPLE.read_bytes()
    text = raw.decode("utf-8")
    assert unicodedata.is_normalized("NFC", text)
    doc = json.loads(text)
    assert (doc["format"], doc["version"]) == ("motcua-catalog", 1)
    assert "Đăng ký" in text  # not \u-escaped


# --------------------------------------------------------------------------------------------- errors


def _small_csv() -> list[str]:
    procs = [_timed(f"1.00000{i}", ProcessingTime(i, TimeUnit.WORKING_DAYS)) for i in range(1, 6)]
    return dump_catalog_csv(procs).splitlines()


def test_csv_with_two_bad_rows_reports_both_and_imports_nothing(tmp_path: Path) -> None:
    lines = _small_csv()
    lines[2] = lines[2].replace("1.000002", "X", 1)  # row 3 (the header is row 1)
    lines[4] = lines[4].replace("working_days", "tuần", 1)  # row 5
    path = tmp_path / "catalog.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")

    with pytest.raises(CatalogImportError) as info:
        load_catalog_file(path)
    err = info.value
    assert [row for row, _ in err.problems] == [3, 5]
    assert err.problems[0][1] == "Mã thủ tục không hợp lệ: X"
    assert str(err).startswith("Tệp danh mục có 2 dòng lỗi; không nhập gì:\n")
    assert "\n  dòng 3: Mã thủ tục không hợp lệ: X\n" in str(err)
    assert "dòng 5: Đơn vị thời gian không hợp lệ: tuần" in str(err)
    assert isinstance(err, ValidationError)


def test_duplicate_codes_are_errors_at_the_second_occurrence() -> None:
    lines = _small_csv()
    lines[4] = lines[4].replace("1.000004", "1.000002", 1)
    with pytest.raises(CatalogImportError) as info:
        load_catalog_csv("\n".join(lines))
    assert info.value.problems == [(5, "Mã thủ tục 1.000002 bị trùng (đã có ở dòng 3)")]

    doc = json.loads(dump_catalog_json([_timed("1.000001", ProcessingTime(1, TimeUnit.WORKING_DAYS))] * 3))
    with pytest.raises(CatalogImportError) as info:
        load_catalog_json(json.dumps(doc))
    assert [row for row, _ in info.value.problems] == [2, 3]


def test_json_rows_are_positions_in_the_procedure_list() -> None:
    doc = json.loads(
        dump_catalog_json([_timed(f"1.00000{i}", ProcessingTime(i, TimeUnit.WORKING_DAYS)) for i in (1, 2, 3)])
    )
    doc["procedures"][1]["statutory_time"]["unit"] = "weeks"
    doc["procedures"][2]["colour"] = "red"
    doc["procedures"][0]["statutory_time"]["amount"] = True  # a bool is not a number
    with pytest.raises(CatalogImportError) as info:
        load_catalog_json(json.dumps(doc, ensure_ascii=False))
    assert [row for row, _ in info.value.problems] == [1, 2, 3]
    assert "colour" in info.value.problems[2][1]


def test_bare_list_is_accepted_and_wrong_documents_are_refused() -> None:
    procs = [_awkward()]
    bare = json.dumps([procedure_to_dict(p) for p in procs], ensure_ascii=False)
    assert load_catalog_json(bare) == procs
    for bad in ("{", '{"format": "other", "procedures": []}', '"text"', '{"format": "motcua-catalog"}'):
        with pytest.raises(ValidationError):
            load_catalog_json(bad)
    newer = json.dumps({"format": "motcua-catalog", "version": 2, "procedures": []})
    with pytest.raises(ValidationError, match="phiên bản 2"):
        load_catalog_json(newer)


def test_csv_header_problems_are_row_one() -> None:
    with pytest.raises(CatalogImportError) as info:
        load_catalog_csv("code,name,statuory_unit\n1.001193,Khai sinh,same_day\n")
    (row, message), *_ = info.value.problems
    assert row == 1
    assert "statutory_unit" in message and "statuory_unit" in message


def test_other_extensions_and_bad_encodings_are_refused(tmp_path: Path) -> None:
    xlsx = tmp_path / "catalog.xlsx"
    xlsx.write_bytes(b"PK")
    with pytest.raises(ValidationError, match=r"\.xlsx"):
        load_catalog_file(xlsx)
    with pytest.raises(ValidationError):
        load_catalog_file(tmp_path / "missing.json")
    # "Đăng ký" as Excel's plain "CSV" writes it on Vietnamese Windows (cp1258: ă precomposed, tone combining).
    cp1258 = b"code,name,statutory_unit\n1.001193,\xd0\xe3ng ky\xec khai sinh,same_day\n"
    assert unicodedata.normalize("NFC", cp1258.decode("cp1258")).startswith(
        "code,name,statutory_unit\n1.001193,Đăng ký"
    )
    with pytest.raises(ValidationError, match="UTF-8"):
        load_catalog_csv(cp1258)


# --------------------------------------------------------------------------------------------- spreadsheet quirks


def test_excel_bom_semicolons_and_vietnamese_spellings_are_accepted() -> None:
    text = (
        "\ufeffcode;name;level;statutory_amount;statutory_unit;local_amount;local_unit;fees;components;channels\r\n"
        "1.013225;Cấp giấy phép xây dựng mới, nhà ở riêng lẻ;xã;15;ngày làm việc;0,5;ngày làm việc;"
        'Lệ phí cấp phép:70.000;"TP1|Đơn đề nghị;TP2|Bản vẽ|2||";1,2,3\r\n'
        "1.001193;Đăng ký khai sinh;Cấp tỉnh;;trong ngày;;;;;\r\n"
        ";;;;;;;;;\r\n"  # the empty rows Excel leaves behind
    )
    procs = load_catalog_csv(text.encode("utf-8"))
    assert len(procs) == 2
    permit, birth = procs
    assert permit.level is Level.COMMUNE
    assert permit.statutory_time == ProcessingTime(15, TimeUnit.WORKING_DAYS)
    assert permit.local_time == ProcessingTime(0.5, TimeUnit.WORKING_DAYS)
    assert permit.fees == (Fee("Lệ phí cấp phép", 70_000),)
    assert permit.components == (Component("TP1", "Đơn đề nghị"), Component("TP2", "Bản vẽ", originals=2))
    assert permit.channels == (Channel.DIRECT, Channel.ONLINE, Channel.POSTAL)
    assert birth.level is Level.PROVINCE
    assert birth.statutory_time == ProcessingTime(0, TimeUnit.SAME_DAY)
    assert birth.channels == (Channel.DIRECT,)


def _redelimit(text: str, delimiter: str) -> str:
    """Our CSV rewritten with another delimiter, as a spreadsheet saves it back."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    writer.writerows(csv.reader(io.StringIO(text, newline="")))
    return buf.getvalue()


def test_our_csv_saved_back_by_excel_loads(sample: list[Procedure]) -> None:
    assert load_catalog_csv(dump_catalog_csv(sample, bom=True).encode("utf-8")) == sample
    # Excel with Vietnamese regional settings writes ";" (names keep their commas, channels "1,2,3").
    semicolons = "\ufeff" + _redelimit(dump_catalog_csv(sample), ";")
    assert load_catalog_csv(semicolons.encode("utf-8")) == sample
    # "Unicode Text": UTF-16 with a BOM, tab-separated.
    assert load_catalog_csv(_redelimit(dump_catalog_csv(sample), "\t").encode("utf-16")) == sample


# --------------------------------------------------------------------------------------------- NFC


def test_nfd_input_is_stored_nfc_after_a_round_trip() -> None:
    original = _awkward()
    nfd_json = unicodedata.normalize("NFD", dump_catalog_json([original]))
    assert not unicodedata.is_normalized("NFC", nfd_json)
    (from_json,) = load_catalog_json(nfd_json.encode("utf-8"))
    nfd_csv = unicodedata.normalize("NFD", dump_catalog_csv([original]))
    (from_csv,) = load_catalog_csv(nfd_csv)
    for p in (from_json, from_csv):
        assert p == original
        for text in (p.name, p.sector, p.agency, *(c.name for c in p.components), *(f.note for f in p.fees)):
            assert unicodedata.is_normalized("NFC", text)
    assert unicodedata.is_normalized("NFC", dump_catalog_json([from_json]))


# --------------------------------------------------------------------------------------------- synthetic


def test_synthetic_catalog_is_full_size_unique_and_valid(synthetic: list[Procedure]) -> None:
    assert len(synthetic) == 2199
    assert len({p.code for p in synthetic}) == 2199
    assert len({p.code.split(".000.")[0] for p in synthetic}) == 2199  # no national code twice
    for p in synthetic:
        p.validate()
        assert 1 <= len(p.components) <= 8
        assert p.extra == {"synthetic": "1"}
    localised = [p.code for p in synthetic if p.code.endswith(".000.00.00.H38")]
    assert 300 < len(localised) < 1500
    assert {p.statutory_time.unit for p in synthetic} == set(TimeUnit)
    assert {p.level for p in synthetic} == set(Level)
    assert any(p.local_time for p in synthetic) and any(p.fees for p in synthetic)


def test_synthetic_catalog_is_deterministic_per_seed(synthetic: list[Procedure]) -> None:
    assert generate_synthetic_catalog() == synthetic
    other = generate_synthetic_catalog(seed=8)
    assert other != synthetic
    assert {p.code.rsplit(".", 1)[-1] for p in generate_synthetic_catalog(50, province="H56")} >= {"H56"}


def test_synthetic_names_have_diacritics_and_fold_search(synthetic: list[Procedure]) -> None:
    names = [p.name for p in synthetic]
    assert len(set(names)) == len(names)
    assert all(unicodedata.is_normalized("NFC", n) for n in names)
    assert sum(1 for n in names if n != fold(n)) == len(names)  # every name carries Vietnamese letters
    assert all(fold(n).isascii() for n in names)

    def search(query: str) -> set[str]:
        q = fold(query)
        return {p.name for p in synthetic if q in fold(p.name)}

    permits = search("giay phep xay dung")
    assert permits and all("giấy phép xây dựng" in n for n in permits)
    assert search("Giấy phép xây dựng") == permits  # typing with or without accents finds the same
    births = search("dang ky khai sinh")
    assert births and all(n.startswith("Đăng ký khai sinh") for n in births)
    assert search("tam tru") >= {n for n in names if "tạm trú" in n}


def test_an_older_catalog_saying_any_territory_false_reads_as_the_applicants_residence() -> None:
    from motcua.domain.catalog_io.csv_format import load_catalog_csv
    from motcua.domain.catalog_io.json_format import load_catalog_json

    old_json = json.dumps(
        {
            "format": "motcua-catalog",
            "version": 1,
            "procedures": [
                {
                    "code": "1.004222",
                    "name": "Đăng ký thường trú",
                    "any_territory": False,
                    "statutory_time": {"amount": 7, "unit": "working_days"},
                },
                {"code": "1.001193", "name": "Đăng ký khai sinh", "statutory_time": {"amount": 0, "unit": "same_day"}},
            ],
        }
    )
    first, second = load_catalog_json(old_json)
    assert first.territory is Territory.APPLICANT_RESIDENCE and second.territory is Territory.NONE
    csv_text = (
        "code,name,statutory_amount,statutory_unit,any_territory\r\n1.004222,Đăng ký thường trú,7,working_days,0\r\n"
    )
    assert load_catalog_csv(csv_text)[0].territory is Territory.APPLICANT_RESIDENCE
