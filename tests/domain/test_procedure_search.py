"""Procedure search finds what clerks type: codes and parts of codes, no diacritics, ký/kí, short names and
abbreviations (the centre's too), typos, words run together; the plain procedure first; nothing for nonsense."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from motcua.bench.search_bench import merged_catalog
from motcua.domain.catalog_io.json_format import load_catalog_json
from motcua.domain.procedure_search import Indexed, ProcedureIndex
from motcua.domain.procedures import Procedure
from motcua.domain.search_terms import (
    SearchTermsError,
    current_search_terms,
    load_search_terms,
)
from motcua.domain.text import fold, search_words, spelling_key
from motcua.paths import resource_path

BIRTH = "1.001193"  # Thủ tục đăng ký khai sinh
BIRTH_AGAIN = "1.004884"  # Thủ tục đăng ký lại khai sinh
BIRTH_WITH_PARENT = "1.000689"  # … khai sinh kết hợp đăng ký nhận cha, mẹ, con
BIRTH_ADULT = "1.004772"  # … khai sinh cho người đã có hồ sơ, giấy tờ cá nhân
MARITAL_STATUS = "1.004873"  # Thủ tục cấp Giấy xác nhận tình trạng hôn nhân
NEW_BUILDING_PERMIT = "1.013225"  # Cấp giấy phép xây dựng mới đối với công trình cấp III, cấp IV và nhà ở riêng lẻ
RESIDENCE_CONFIRMATION = "1.010041"  # Xác nhận thông tin về cư trú


@pytest.fixture(autouse=True)
def _own_kiosk_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No centre aliases unless a test writes them (the repository's kiosk_config is not the test's business)."""
    folder = tmp_path / "kiosk_config"
    folder.mkdir()
    monkeypatch.setenv("MOTCUA_KIOSK_CONFIG", str(folder))
    return folder


def _sample() -> list[Procedure]:
    return load_catalog_json(resource_path("catalog", "sample_catalog.json").read_bytes())


def _index(procedures: list[Procedure]) -> ProcedureIndex:
    return ProcedureIndex([Indexed(p.code, p.name, p.sector) for p in procedures if p.active], current_search_terms())


@pytest.fixture(scope="module")
def with_distractors() -> list[Procedure]:
    """The sample merged into the synthetic 2,199 catalog, whose names are made of the same words (as the
    benchmark merges them: without the synthetic twins of a sample name, which no typing tells apart)."""
    return merged_catalog()[0]


def test_i_and_y_are_one_spelling_after_a_consonant_only() -> None:
    assert [spelling_key(w) for w in ("ky", "ki", "ly", "my", "quy", "sy", "tay", "huy", "y")] == [
        "ki",
        "ki",
        "li",
        "mi",
        "qui",
        "si",
        "tay",
        "huy",
        "y",
    ]
    assert search_words("Đăng ký Kĩ thuật, Y tế") == ["dang", "ki", "ki", "thuat", "y", "te"]


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("dang ki khai sinh", BIRTH),  # i for y
        ("đăng ký khai sinh", BIRTH),
        ("DANG KY KHAI SINH", BIRTH),
        ("1.001193", BIRTH),  # the code
        ("001193", BIRTH),  # the six digits that tell codes apart
        ("1001193", BIRTH),  # the code without its dot
        ("dang ky khia sinh", BIRTH),  # one typo
        ("dagn ky khia sinh", BIRTH),  # two
        ("khaisinh", BIRTH),  # run together
        ("dang ky khai s", BIRTH),  # still typing
        ("lam giay khai sinh", BIRTH),  # the words around it
        ("GPXD", NEW_BUILDING_PERMIT),  # an abbreviation
        ("xac nhan doc than", MARITAL_STATUS),  # what people call it
        ("giay doc than", MARITAL_STATUS),
        ("ct07", RESIDENCE_CONFIRMATION),  # the name of its form
        ("cap lai giay khai sinh", BIRTH_AGAIN),
    ],
)
def test_what_clerks_type_finds_the_procedure_first(typed: str, meant: str) -> None:
    assert _index(_sample()).search(typed, limit=5)[0] == meant


def test_plain_khai_sinh_comes_before_its_rarer_variants(with_distractors: list[Procedure]) -> None:
    sample = _index(_sample()).search("khai sinh")
    assert sample[:1] == [BIRTH]
    assert {BIRTH_AGAIN, BIRTH_WITH_PARENT, BIRTH_ADULT} <= set(sample[1:])
    # Among 2,199 procedures made of the same words ("Xác nhận khai sinh", "Đăng ký khai sinh lần đầu", …) too.
    assert _index(with_distractors).search("khai sinh")[0] == BIRTH
    assert _index(with_distractors).search("ket hon")[0] == "1.000894"


def test_a_typo_reads_as_a_word_only_beside_a_word_typed_right() -> None:
    index = _index(_sample())
    assert index.search("dang ky kte hon")[0] == "1.000894"
    # "ngan" is one letter from "nhan", "hang" from "hanh"/"dang": two guesses side by side are nonsense.
    assert index.search("ngân hàng") == []


@pytest.mark.parametrize("typed", ["qwerty", "asdfgh", "zzz", "xyz 987", "ngân hàng", "bánh mì", "!!!"])
def test_nonsense_finds_nothing(typed: str, with_distractors: list[Procedure]) -> None:
    assert _index(with_distractors).search(typed) == []


def test_blank_lists_every_active_procedure_and_a_sector_narrows() -> None:
    sample = _sample()
    index = _index(sample)
    assert len(index.search("   ", limit=1000)) == sum(p.active for p in sample)
    construction = index.search("cap", sector="hoat dong xay dung")
    assert construction and all(c.startswith("1.0132") for c in construction)


def test_a_code_prefix_lists_those_codes_first() -> None:
    found = _index(_sample()).search("1.0132")
    assert found[:5] == ["1.013225", "1.013227", "1.013228", "1.013229", "1.013232"]


def test_a_later_meaning_of_a_term_ranks_after_the_first() -> None:
    # "công chứng" is what people say for the photocopy certification, and for any "chứng thực" after it.
    found = _index(_sample()).search("cong chung")
    assert found[0] == "2.000815"
    assert "2.001019" in found[1:]  # Chứng thực di chúc


def test_a_centre_adds_its_own_terms_and_codes(_own_kiosk_config: Path) -> None:
    (_own_kiosk_config / "search_aliases.json").write_text(
        json.dumps(
            {
                "version": 1,
                "aliases": [
                    {"terms": ["giấy chào đời"], "means": ["đăng ký khai sinh"]},
                    {"terms": ["hồ sơ ông bà"], "codes": [RESIDENCE_CONFIRMATION]},
                    {"terms": ["gpxd"], "means": ["gia hạn giấy phép xây dựng"]},  # a centre may mean otherwise
                ],
            },
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    index = _index(_sample())
    assert index.search("giay chao doi")[0] == BIRTH
    assert index.search("ho so ong ba") == [RESIDENCE_CONFIRMATION]
    assert index.search("gpxd")[0] == "1.013227"
    assert index.search("sổ đỏ thế chấp")  # the shipped terms still apply


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('{"version": 1, "aliases": [', "không phải JSON hợp lệ"),
        ('{"version": 1, "aliases": [{"terms": ["gpxd"]}]}', "aliases[0]: cần có 'means' (nghĩa) hoặc 'codes'"),
        ('{"version": 1, "aliases": [{"terms": [], "means": ["x"]}]}', "aliases[0].terms: không được để trống"),
        ('{"version": 1, "aliases": [{"term": ["x"], "means": ["y"]}]}', "aliases[0].term: mục không được biết đến"),
        ('{"version": 2, "aliases": []}', "version: phiên bản không được hỗ trợ"),
        ('{"version": 1, "aliases": [{"terms": ["x"], "codes": ["12345"]}]}', "mã thủ tục không hợp lệ: 12345"),
        ('{"version": 1, "aliases": [{"terms": ["!!"], "means": ["y"]}]}', "cần ít nhất một chữ"),
    ],
)
def test_a_bad_centre_file_is_a_clear_error_naming_the_file_and_entry(
    _own_kiosk_config: Path, text: str, says: str
) -> None:
    bad = _own_kiosk_config / "search_aliases.json"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(SearchTermsError) as err:
        load_search_terms()
    assert str(bad) in str(err.value)
    assert says in str(err.value)
    assert err.value.field == "search_aliases"


def test_a_bad_centre_file_does_not_stop_the_counter_finding_procedures(_own_kiosk_config: Path) -> None:
    (_own_kiosk_config / "search_aliases.json").write_text('{"aliases": [{"terms": ["x"]}]}', encoding="utf-8")
    terms = current_search_terms()
    assert "search_aliases.json" in terms.problem
    index = ProcedureIndex([Indexed(p.code, p.name, p.sector) for p in _sample()], terms)
    assert index.search("GPXD")[0] == NEW_BUILDING_PERMIT  # the shipped terms still work


def test_shipped_terms_name_real_words_of_the_sample_catalog() -> None:
    """Every meaning of the shipped list finds something in the sample: a term that leads nowhere is a typo."""
    index = _index(_sample())
    terms = load_search_terms()
    for alias in terms.aliases:
        for meaning in alias.means:
            assert index.search(" ".join(meaning)), meaning


# -- through the service, on a real workstation database


def test_service_search_finds_code_and_says_nothing_for_nonsense(ctx) -> None:
    from motcua.services.catalog import CatalogService

    svc = CatalogService(ctx)
    assert [p.code for p in svc.search("001193")][:1] == [BIRTH]
    assert [p.code for p in svc.search("dang ki khai sinh")][:1] == [BIRTH]
    assert svc.search("qwerty asdf") == []
    found = svc.search("GPXD", limit=2)
    assert len(found) == 2 and found[0].name.startswith("Cấp giấy phép xây dựng mới")


def test_service_search_follows_a_new_import_even_at_the_same_instant(ctx) -> None:
    """The index lives in memory; an import (same clock, same count of procedures) must show at once."""
    from motcua.services.catalog import CatalogService

    svc = CatalogService(ctx)
    assert svc.search("ho tro nong dan") == []
    before = svc.get(BIRTH)
    renamed = replace(before, name="Hỗ trợ nông dân khai hoang")
    svc.import_procedures([renamed])
    assert [p.code for p in svc.search("ho tro nong dan")] == [BIRTH]
    assert svc.search("ho tro nong dan")[0].name == "Hỗ trợ nông dân khai hoang"  # the procedure, not a stale copy
    svc.import_procedures([replace(renamed, active=False)])
    assert svc.search("ho tro nong dan") == []
    assert BIRTH not in [p.code for p in svc.search("", limit=1000)]


def test_service_search_sees_an_import_by_another_process(ctx, tmp_path: Path) -> None:
    """A CLI import beside the running app writes through its own connection: the revision triggers tell."""
    from motcua.services.catalog import CatalogService
    from motcua.store import catalog as repo
    from motcua.store.db import Store

    svc = CatalogService(ctx)
    assert svc.search("khai sinh")[0].code == BIRTH
    other = Store(ctx.store.path)
    try:
        with other.write() as db:
            repo.upsert_all(db, [replace(svc.get(BIRTH), name="Đăng ký khai sinh lưu động")], ctx.clock())
    finally:
        other.close()
    assert [p.code for p in svc.search("luu dong")] == [BIRTH]


def test_fold_keeps_its_meaning_for_other_callers() -> None:
    assert fold("Đăng Ký") == "dang ky"  # search_words is the one that reads ký as kí


def test_the_benchmark_query_set_is_large_split_and_names_real_procedures() -> None:
    from motcua.bench.search_bench import load_queries

    queries = load_queries()
    codes = {p.code for p in _sample()}
    assert len(queries) >= 100
    assert {q["set"] for q in queries} == {"tune", "holdout"}
    assert all(q["code"] in codes and q["q"].strip() and q["kind"] for q in queries)
    assert len({q["q"] for q in queries}) == len(queries)


def test_a_validated_file_is_read_back_from_the_cache_and_a_changed_one_validated_again(
    _own_kiosk_config: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from motcua.domain import search_terms

    own = _own_kiosk_config / "search_aliases.json"
    own.write_text('{"version": 1, "aliases": [{"terms": ["giấy chào đời"], "means": ["đăng ký khai sinh"]}]}',
                   encoding="utf-8")  # fmt: skip
    first = load_search_terms()
    parsed: list[str] = []
    real = search_terms.parse_search_terms
    monkeypatch.setattr(
        search_terms, "parse_search_terms", lambda data, source: parsed.append(source) or real(data, source)
    )
    assert load_search_terms() == first and parsed == []  # both files from the cache, nothing validated again
    own.write_text('{"version": 1, "aliases": [{"terms": ["gpxd"]}]}', encoding="utf-8")  # now broken
    with pytest.raises(SearchTermsError, match="means"):
        load_search_terms()
    with pytest.raises(SearchTermsError, match="means"):  # a refused file is never kept: refused every time
        load_search_terms()
    assert parsed == [str(own), str(own)]
