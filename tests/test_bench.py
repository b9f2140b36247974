"""Every benchmark still runs (in its quick form); the figures themselves are read by people, not asserted."""

from __future__ import annotations

from pathlib import Path

import pytest

from motcua.bench import run_benchmark


def test_reception_benchmark_runs_end_to_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOTCUA_DATA_DIR", str(tmp_path))
    result = run_benchmark("reception", quick=True)
    assert result["dossiers"] == 10 and result["search_rows"] == 5000
    assert result["search_misses"] == 0 and result["search_wrong"] == 0
    assert result["search_cold_ms_p95"] > 0 and result["comparisons"][0]["against"] == "search p95, warm"
    assert result["cold_start_s_min"] > 0


def test_unknown_benchmark_is_a_clear_error() -> None:
    from motcua.domain.errors import ValidationError

    with pytest.raises(ValidationError, match="reception"):
        run_benchmark("nope")


def test_fixture_benchmarks_fall_back_to_the_test_data_without_the_shared_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from motcua.bench import decode_bench, scan_bench

    data = Path(__file__).resolve().parent / "data"
    monkeypatch.setattr(decode_bench, "DEFAULT_FIXTURES", tmp_path / "shared" / "fixtures" / "barcodes")
    monkeypatch.setattr(scan_bench, "DEFAULT_FIXTURES", tmp_path / "shared" / "fixtures" / "scan_scenes")
    decode = run_benchmark("decode", quick=True)
    assert decode["fixtures"] == str(data / "barcodes") and decode["images"] > 0 and "missing" not in decode
    scan = run_benchmark("scan", quick=True)
    assert scan["fixtures"] == str(data / "scan_scenes") and scan["frames"] == 3


def test_search_benchmark_runs_both_catalogs_and_reports_each_half(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOTCUA_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("MOTCUA_KIOSK_CONFIG", str(tmp_path / "no_kiosk_config"))
    result = run_benchmark("search", quick=True)
    assert result["query_set"]["tune"] > 0 and result["query_set"]["holdout"] > 0
    assert result["sample"]["procedures"] == 51 and result["merged"]["procedures"] > 2100
    for catalog in ("sample", "merged"):
        figures = result[catalog]
        assert {"tune", "holdout", "all", "by_kind", "misses"} <= set(figures)
        assert figures["all"]["queries"] == result["query_set"]["queries"]
        assert 0 < figures["all"]["top1"] <= figures["all"]["top5"] <= 1
        assert figures["ms_p95"] > 0 and figures["first_run_ms_p95"] > 0


def test_report_benchmark_builds_a_history_and_times_every_report() -> None:
    result = run_benchmark("report", quick=True)
    assert result["dossiers"] > 300 and result["tickets"] > 500 and result["ratings"] > 100
    for key in ("daily_pdf_ms", "year_pdf_ms", "year_xlsx_ms", "dashboard_ms"):
        assert result[key]["median"] > 0, key
    # the figures it timed are the history's: every dossier of the range counted once
    assert result["check"]["year_total"] == result["dossiers"]
    assert result["check"]["today_ratings"] > 0


def test_load_options_reach_only_benchmarks_that_take_them() -> None:
    from motcua.domain.errors import ValidationError

    with pytest.raises(ValidationError, match="--clerks"):
        run_benchmark("decode", quick=True, clerks=10)


def test_comparisons_print_each_figure_beside_its_yardstick_and_the_ratio() -> None:
    from motcua.bench.stats import comparison
    from motcua.cli.bench import comparison_table

    row = comparison("qr frame p95 1080p", 30.0, "zxing-cpp alone p95", 20.0, goal="≤ 66 ms")
    assert row["ratio"] == 1.5
    table = comparison_table([row]).splitlines()
    assert len(table) == 2
    assert "qr frame p95 1080p" in table[1] and "30.0 ms" in table[1] and "20.0 ms" in table[1] and "1.5×" in table[1]


def test_start_benchmark_shows_the_counter_window_and_times_one_shot_commands() -> None:
    result = run_benchmark("start", quick=True)
    assert result["counter_shown_s"] > 0 and result["counter_peak_mib"] > result["empty_window_peak_mib"] > 0
    assert set(result["commands_s"]) == {"version", "dossier_show", "catalog_search"}
    figures = {row["figure"] for row in result["comparisons"]}
    assert {"counter window shown", "counter window peak", "motcua dossier show"} <= figures


def test_a_simulated_display_reads_the_calls_of_an_answer_without_decoding_its_board() -> None:
    import json

    from motcua.bench.queue_load import changes_head

    events = [{"seq": 7, "kind": "called", "ticket_id": 3, "display": "A003", "counter": 2}]
    with_board = {"seq": 7, "snapshot": False, "events": events, "board": {"counters": [{"number": 2}]}}
    without = {"seq": 7, "snapshot": False, "events": events, "board": None}
    for answer, board in ((with_board, True), (without, None)):
        text = json.dumps(answer, ensure_ascii=False).encode()  # the server's own order and separators
        assert changes_head(text) == {"seq": 7, "snapshot": False, "events": events, "board": board}
    assert changes_head(b'{"seq": 1, "events": []}') == {"seq": 1, "events": []}  # no board key: all decoded
