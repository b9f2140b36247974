"""``motcua dossier receive`` records the counts the catalog expects, or the ones given per component."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

CATALOG = Path(__file__).resolve().parents[2] / "resources/catalog/sample_catalog.json"
# Đăng ký lại kết hôn: TP1 one original, TP2 one photocopy (optional), TP3 two originals.
PROCEDURE = "1.004746"


def motcua(data: Path, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    env = {"MOTCUA_DATA_DIR": str(data), "PATH": "/usr/bin:/bin", "MOTCUA_LANG": "vi"}
    out = subprocess.run(
        [sys.executable, "-m", "motcua.cli", "--data-dir", str(data), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    if ok:
        assert out.returncode == 0, out.stderr
    return out


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli") / "data"
    motcua(folder, "catalog", "import", str(CATALOG))
    return folder


def counts(out: subprocess.CompletedProcess[str]) -> dict[str, tuple[int, int, int]]:
    parts = json.loads(out.stdout)["components"]
    return {c["code"]: (c["originals"], c["certified_copies"], c["photocopies"]) for c in parts}


def test_counts_come_from_the_catalog(data: Path) -> None:
    out = motcua(data, "dossier", "receive", "--procedure", PROCEDURE, "--name", "Đặng Hồng Bảo", "--json")
    # Not a photocopy added to every component: what the procedure asks for.
    assert counts(out) == {"TP1": (1, 0, 0), "TP2": (0, 0, 1), "TP3": (2, 0, 0)}


def test_counts_given_per_component_win(data: Path) -> None:
    out = motcua(
        data,
        "dossier",
        "receive",
        "--procedure",
        PROCEDURE,
        "--name",
        "Đặng Hồng Bảo",
        "--component",
        "TP3=1,1,0",
        "--component",
        "TP2=0,0,0",  # not handed over
        "--json",
    )
    assert counts(out) == {"TP1": (1, 0, 0), "TP3": (1, 1, 0)}


def test_a_subset_of_components_keeps_the_catalog_counts(data: Path) -> None:
    out = motcua(
        data,
        "dossier",
        "receive",
        "--procedure",
        PROCEDURE,
        "--name",
        "Đặng Hồng Bảo",
        "--components",
        "TP1,TP3",
        "--json",
    )
    assert counts(out) == {"TP1": (1, 0, 0), "TP3": (2, 0, 0)}


@pytest.mark.parametrize(
    ("value", "words"),
    [("TP3=1,x,0", "TP1=1,0,2"), ("TP3=1,0", "MÃ=bản chính"), ("TP9=1,0,0", "không thuộc thủ tục: TP9")],
)
def test_bad_component_counts_are_one_clear_line(data: Path, value: str, words: str) -> None:
    out = motcua(data, "dossier", "receive", "--procedure", PROCEDURE, "--name", "A", "--component", value, ok=False)
    assert out.returncode == 2
    assert words in out.stderr and len(out.stderr.strip().splitlines()) == 1


def test_print_receipt_text_for_a_vietnamese_printer_and_none_for_a_refused_dossier(data: Path) -> None:
    out = motcua(data, "dossier", "receive", "--procedure", PROCEDURE, "--name", "Đặng Hồng Bảo", "--json")
    code = json.loads(out.stdout)["code"]
    text, picture = data.parent / "text.bin", data.parent / "picture.bin"
    motcua(data, "print", "receipt", code, "--out", str(data.parent / "r.pdf"), "--thermal", str(picture))
    motcua(
        data, "print", "receipt", code, "--out", str(data.parent / "r.pdf"), "--thermal", str(text),
        "--printer-profile", "TM-T20II",
    )  # fmt: skip
    assert b"\x1bt\x34" in text.read_bytes()  # ESC t 52: CP1258 on an Epson TM-T20II
    assert picture.read_bytes().startswith(b"\x1b@\x1dv0")  # no profile given: the picture, in bands
    assert len(text.read_bytes()) < len(picture.read_bytes()) / 3
    motcua(data, "dossier", "act", code, "refuse", "--note", "Không thuộc thẩm quyền")
    refused = motcua(data, "print", "receipt", code, "--out", str(data.parent / "x.pdf"), ok=False)
    assert refused.returncode == 2 and "Mẫu 03" in refused.stderr
    assert not (data.parent / "x.pdf").exists()


def test_place_submitter_fees_payment_and_undo_from_the_command_line(data: Path) -> None:
    base = ("dossier", "receive", "--name", "Đặng Hồng Bảo", "--json")
    missing = motcua(data, *base, "--procedure", "1.004222", ok=False)  # thường trú: the new residence decides
    assert missing.returncode != 0 and "xác định cơ quan giải quyết" in missing.stderr
    out = motcua(
        data, *base, "--procedure", "1.004222", "--place-commune", "Phường Cam Đường", "--place-province", "Lào Cai",
        "--submitter-name", "Nguyễn Thị Lan", "--submitter-id", "001190012345",
    )  # fmt: skip
    d = json.loads(out.stdout)
    assert d["place"]["commune"] == "Phường Cam Đường" and d["submitter"]["name"] == "Nguyễn Thị Lan"
    assert d["fee_vnd"] == 20_000 and not d.get("payment")
    paid = json.loads(
        motcua(data, "dossier", "pay", d["code"], "--method", "transfer", "--ref", "FT1", "--json").stdout
    )
    assert paid["payment"] == {"method": "transfer", "amount_vnd": 20_000, "reference": "FT1"}
    copies = json.loads(
        motcua(data, *base, "--procedure", "2.000815", "--pages", "5", "--copies", "2", "--pay", "cash").stdout
    )
    assert copies["fee_vnd"] == 14_000 and copies["payment"]["amount_vnd"] == 14_000
    motcua(data, "dossier", "act", d["code"], "start")
    back = json.loads(motcua(data, "dossier", "undo", d["code"], "start", "--json").stdout)
    assert back["status"] == 2
    refused = motcua(data, "dossier", "undo", d["code"], "start", ok=False)  # nothing left to take back
    assert refused.returncode != 0 and "Không hoàn tác được" in refused.stderr
