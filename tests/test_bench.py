"""Every benchmark still runs (in its quick form); the figures themselves are read by people, not asserted."""

from __future__ import annotations

from pathlib import Path

import pytest

from motcua.bench import run_benchmark


def test_reception_benchmark_runs_end_to_end(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MOTCUA_DATA_DIR", str(tmp_path))
    result = run_benchmark("reception", quick=True)
    assert result["dossiers"] == 10 and result["search_rows"] == 5000
    assert result["search_misses"] == 0
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
