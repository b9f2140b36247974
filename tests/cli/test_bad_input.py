"""Bad input to every command group: one clear "Lỗi: …" line and status 2, never a traceback, nothing half-written.

The commands run as a clerk's script runs them (``python -m motcua.cli`` in a subprocess), all of the table at once
on a thread pool against one seeded data folder, which must come out of it unchanged. Full disks are simulated
in-process (``os.write``/``os.fsync`` raising ENOSPC); the parsers get arbitrary input from Hypothesis.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import random
import shutil
import socket
import sqlite3
import struct
import subprocess
import sys
import zlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.cli import main
from motcua.cli.common import parse_date
from motcua.cli.dossier import parse_component_counts
from motcua.devices.images import MAX_IMAGE_PIXELS, ImageFileError, image_size, load_image
from motcua.documents.scan.pdf_import import PdfImportError, render_pdf_pages
from motcua.domain.catalog_io.csv_format import load_catalog_csv
from motcua.domain.catalog_io.json_format import dump_catalog_json, load_catalog_json
from motcua.domain.catalog_io.records import procedure_to_dict
from motcua.domain.errors import ValidationError
from motcua.domain.procedures import Procedure
from motcua.store import atomic
from motcua.store.atomic import replacing, write_atomic

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources/catalog/sample_catalog.json"
QR = "051084009698|212163684|Đặng Hồng Bảo|02081984|Nam|Thôn Tân Tiến, Xã Bảo Thắng, Lào Cai|23092024||||"


def run_cli(data: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {"MOTCUA_DATA_DIR": str(data), "PATH": "/usr/bin:/bin", "MOTCUA_LANG": "vi", "HOME": str(data.parent)}
    return subprocess.run(
        [sys.executable, "-m", "motcua.cli", "--data-dir", str(data), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )


# -- the bad inputs ------------------------------------------------------------------------------------------
def _png(width: int, height: int, idat: bytes = b"") -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat or zlib.compress(b"\0" * 64))


def _absurd_catalog() -> str:
    """Seven procedures, each wrong in one way a typo makes; the error must name every one of their rows."""
    base = procedure_to_dict(_sample_procedure())
    variants = []
    changes: tuple[dict[str, Any], ...] = (
        {"fees": [{"name": "Lệ phí", "amount_vnd": 5_000_000_000, "note": ""}]},
        {"fees": [{"name": "Lệ phí", "amount_vnd": -1, "note": ""}]},
        {"statutory_time": {"amount": 0, "unit": "working_days"}},
        {"statutory_time": {"amount": 400, "unit": "working_days"}},
        {"name": "Thủ tục " + "rất dài " * 400},
        {"fees": [{"name": "Phí", "amount_vnd": 1000, "per": "page", "tier_from": 10**9, "note": ""}]},
        {"fees": [{"name": "Phí", "amount_vnd": 1000, "per": "copy", "cap_vnd": 10**12, "note": ""}]},
    )
    for i, change in enumerate(changes):
        item = {**base, "code": f"9.{900001 + i}", "local_time": None, **change}
        variants.append(item)
    return json.dumps({"format": "motcua-catalog", "version": 1, "procedures": variants}, ensure_ascii=False)


def _sample_procedure() -> Procedure:
    return load_catalog_json(SAMPLE.read_bytes())[0]


@dataclass(frozen=True)
class Case:
    name: str
    args: tuple[str, ...]
    data: str = "shared"  # which data folder: the shared seeded one, or a case's own
    rows: int = 0  # a catalog error lists this many rows under its "Lỗi:" line
    codes: tuple[int, ...] = (2,)
    mentions: str = ""  # a word the message must contain (what to fix)


@dataclass
class World:
    base: Path
    data: Path
    inputs: Path
    out: Path
    code: str
    cases: list[Case]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    base = tmp_path_factory.mktemp("bad")
    data, inputs, out = base / "data", base / "in", base / "out"
    inputs.mkdir()
    out.mkdir()
    assert run_cli(data, "catalog", "import", str(SAMPLE)).returncode == 0
    got = run_cli(data, "dossier", "receive", "--procedure", "1.001193", "--qr", QR, "--json")
    assert got.returncode == 0, got.stderr
    code = json.loads(got.stdout)["code"]
    rnd = random.Random(9)

    def put(name: str, content: bytes | str) -> str:
        path = inputs / name
        path.write_bytes(content.encode() if isinstance(content, str) else content)
        return str(path)

    # catalog files
    empty_json, empty_csv = put("empty.json", b""), put("empty.csv", b"")
    junk_json, junk_csv = put("junk.json", rnd.randbytes(4096)), put("junk.csv", rnd.randbytes(4096))
    nested = put("nested.json", "[" * 200_000 + "]" * 200_000)
    nested_obj = put("nested_obj.json", '{"a":' * 100_000 + "1" + "}" * 100_000)
    huge = inputs / "huge.json"
    with open(huge, "wb") as fh:  # sparse: 50 MB on paper, nothing on the disk
        fh.truncate(50 * 1024 * 1024)
    wrong_types = put(
        "wrong_types.json",
        json.dumps(
            {
                "format": "motcua-catalog",
                "version": 1,
                "procedures": [{"code": 1, "name": ["x"], "statutory_time": "15 ngày"}, {"code": "2.000001"}],
            }
        ),
    )
    not_catalog = put("not_catalog.json", '{"a": 1}')
    list_of_ints = put("ints.json", "[1, 2, 3]")
    huge_int = put("huge_int.json", "[" + "9" * 20_000 + "]")
    version_str = put("version.json", '{"format": "motcua-catalog", "version": "1", "procedures": []}')
    nul_csv = put("nul.csv", "code,name,statutory_amount,statutory_unit\n1.000001,Thủ tục\x00 có NUL,5,working_days\n")
    utf16_odd = put("odd.csv", b"\xff\xfe" + b"c\x00o\x00d")
    cp1258 = put("cp1258.csv", "code,name\n1.000001,Thủ tục\n".encode("cp1258", errors="replace") + b"\xd2\xe0")
    big_fee_csv = put("big_fee.csv", "code,name,fees\n1.000001,Thủ tục,Lệ phí:" + "9" * 6000 + "\n")
    (inputs / "folder.json").mkdir()
    folder_json = str(inputs / "folder.json")
    txt = put("catalog.txt", "code,name\n")
    absurd = put("absurd.json", _absurd_catalog())

    # images
    zero = put("zero.png", b"")
    ok, jpg = cv2.imencode(".jpg", (np.random.default_rng(1).random((400, 300, 3)) * 255).astype(np.uint8))
    assert ok
    truncated_jpg = put("truncated.jpg", jpg.tobytes()[: len(jpg) // 2])
    ok, png = cv2.imencode(".png", (np.random.default_rng(2).random((300, 200)) * 255).astype(np.uint8))
    truncated_png = put("truncated.png", png.tobytes()[: len(png) * 2 // 3])
    bomb = put("bomb.png", _png(30_000, 30_000))
    just_over = put("over.png", _png(10_001, 10_000))
    text_png = put("text.png", "Đây không phải ảnh\n")
    (inputs / "folder.png").mkdir()
    folder_png = str(inputs / "folder.png")
    good_image = ROOT / "tests/data/barcodes"
    some_image = str(next(p for p in sorted(good_image.glob("*")) if p.suffix.lower() in (".png", ".jpg")))

    # outputs
    a_file = put("a_file", "x")
    to_folder = str(out)
    missing_folder = str(out / "missing" / "x.pdf")
    under_file = str(Path(a_file) / "x.pdf")

    # configuration and databases
    not_toml = put("not_toml.toml", "[centre\nname = 'x\n")
    binary_toml = put("binary.toml", rnd.randbytes(512))
    bad_url_config = put(
        "bad_url.toml",
        (ROOT / "kiosk_config/centre.toml")
        .read_text(encoding="utf-8")
        .replace('centre_url = ""', 'centre_url = "htp:/khong-phai-dia-chi:99999"'),
    )
    unreachable_config = put(
        "unreachable.toml",
        (ROOT / "kiosk_config/centre.toml")
        .read_text(encoding="utf-8")
        .replace('centre_url = ""', 'centre_url = "http://127.0.0.1:9"'),
    )
    corrupt = base / "corrupt"
    corrupt.mkdir(mode=0o700)  # as the app makes its data folder: private (else a warning precedes the error)
    (corrupt / "workstation.sqlite").write_bytes(rnd.randbytes(8192))
    (corrupt / "centre.sqlite").write_bytes(b"SQLite format 2\0" + rnd.randbytes(8192))
    for f in corrupt.iterdir():
        f.chmod(0o600)
    corrupt_db = str(corrupt / "centre.sqlite")
    data_is_file = put("data_is_file", "x")

    cat, dec, scan, pdf = ("catalog", "import"), ("decode",), ("scan", "detect"), ("scan", "pdf")
    cases = [
        # catalog import, and what it is given
        Case("catalog empty json", (*cat, empty_json)),
        Case("catalog empty csv", (*cat, empty_csv), rows=1),
        Case("catalog binary junk json", (*cat, junk_json)),
        Case("catalog binary junk csv", (*cat, junk_csv)),
        Case("catalog nested json", (*cat, nested), mentions="sâu"),
        Case("catalog nested object json", (*cat, nested_obj), mentions="sâu"),
        Case("catalog 50 MB", (*cat, str(huge)), mentions="quá lớn"),
        Case("catalog wrong types", (*cat, wrong_types), rows=2),
        Case("catalog not a catalog", (*cat, not_catalog)),
        Case("catalog list of numbers", (*cat, list_of_ints), rows=3),
        Case("catalog 20000-digit number", (*cat, huge_int)),
        Case("catalog version as text", (*cat, version_str)),
        Case("catalog csv with NUL", (*cat, nul_csv), rows=1, mentions="điều khiển"),
        Case("catalog utf-16 odd bytes", (*cat, utf16_odd)),
        Case("catalog not utf-8", (*cat, cp1258)),
        Case("catalog fee of 6000 digits", (*cat, big_fee_csv), rows=1),
        Case("catalog folder", (*cat, folder_json), mentions="thư mục"),
        Case("catalog .txt", (*cat, txt)),
        Case("catalog missing file", (*cat, str(inputs / "none.json"))),
        Case("catalog absurd values", (*cat, absurd), rows=7),
        Case("catalog import without file", ("catalog", "import")),
        Case("catalog export to folder", ("catalog", "export", to_folder), mentions="thư mục"),
        Case("catalog export missing folder", ("catalog", "export", str(out / "missing" / "c.json"))),
        Case("catalog export .xlsx", ("catalog", "export", str(out / "c.xlsx"))),
        Case("catalog synthetic negative", ("catalog", "synthetic", "--count", "-5")),
        Case("catalog synthetic billion", ("catalog", "synthetic", "--count", "1000000000")),
        Case("catalog synthetic not a number", ("catalog", "synthetic", "--count", "nhiều")),
        # decode and scan of bad images
        # Every image goes through motcua.devices.images: each bad file once for decode, a few for scan.
        *(
            Case(f"decode {label}", (*dec, path))
            for label, path in (
                ("zero-byte image", zero),
                ("truncated jpeg", truncated_jpg),
                ("truncated png", truncated_png),
                ("30000x30000 png", bomb),
                ("text named .png", text_png),
                ("folder", folder_png),
                ("missing", str(inputs / "none.png")),
            )
        ),
        Case("decode a good image then a bad one", (*dec, some_image, bomb)),
        Case("scan detect 30000x30000 png", (*scan, bomb), mentions="quá lớn"),
        Case("scan detect truncated png", (*scan, truncated_png)),
        Case("scan detect zero-byte image", (*scan, zero)),
        Case("scan pdf 30000x30000 png", (*pdf, some_image, bomb, "--out", str(out / "s.pdf")), mentions="quá lớn"),
        Case("scan pdf text named .png", (*pdf, text_png, "--out", str(out / "s.pdf"))),
        Case("decode just over the pixel limit", (*dec, just_over), mentions="quá lớn"),
        Case("scan pdf dpi 0", (*pdf, some_image, "--out", str(out / "s.pdf"), "--dpi", "0")),
        Case("scan pdf dpi 100000", (*pdf, some_image, "--out", str(out / "s.pdf"), "--dpi", "100000")),
        Case("scan pdf dpi negative", (*pdf, some_image, "--out", str(out / "s.pdf"), "--dpi", "-300")),
        Case("scan pdf dpi text", (*pdf, some_image, "--out", str(out / "s.pdf"), "--dpi", "cao")),
        Case("scan pdf to folder", (*pdf, some_image, "--out", to_folder), mentions="thư mục"),
        Case("scan pdf missing folder", (*pdf, some_image, "--out", missing_folder)),
        Case("scan pdf under a file", (*pdf, some_image, "--out", under_file)),
        # print
        Case("print receipt to folder", ("print", "receipt", code, "--out", to_folder)),
        Case("print receipt missing folder", ("print", "receipt", code, "--out", missing_folder)),
        Case("print receipt under a file", ("print", "receipt", code, "--out", under_file)),
        Case(
            "print thermal to folder", ("print", "receipt", code, "--out", str(out / "r.pdf"), "--thermal", to_folder)
        ),
        Case("print unknown dossier", ("print", "receipt", "000.25.38.H38-261123-9999", "--out", str(out / "r.pdf"))),
        Case(
            "print book 2026-02-30",
            ("print", "book", "--from", "2026-02-30", "--to", "2026-03-31", "--out", str(out / "b.pdf")),
        ),
        Case(
            "print book reversed",
            ("print", "book", "--from", "2026-03-01", "--to", "2026-02-01", "--out", str(out / "b.pdf")),
        ),
        Case(
            "print book year 1",
            ("print", "book", "--from", "0001-01-01", "--to", "2026-02-01", "--out", str(out / "b.pdf")),
        ),
        Case(
            "print book to folder", ("print", "book", "--from", "2026-01-01", "--to", "2026-02-01", "--out", to_folder)
        ),
        # calendar
        Case("calendar list year 99999", ("calendar", "list", "99999")),
        Case("calendar list year -1", ("calendar", "list", "-1")),
        Case("calendar list 5000 digits", ("calendar", "list", "9" * 5000)),
        Case("calendar off 2026-02-30", ("calendar", "off", "2026-02-30"), mentions="2026-02-30"),
        Case("calendar work not a date", ("calendar", "work", "thứ hai")),
        # dossier
        Case("dossier search limit -1", ("dossier", "search", "a", "--limit", "-1")),
        Case("dossier search limit 10^12", ("dossier", "search", "a", "--limit", "1000000000000")),
        Case(
            "dossier receive copies -3", ("dossier", "receive", "--procedure", "1.001193", "--qr", QR, "--copies", "-3")
        ),
        Case("dossier receive pages 0", ("dossier", "receive", "--procedure", "1.001193", "--qr", QR, "--pages", "0")),
        Case(
            "dossier receive sets 10^6",
            ("dossier", "receive", "--procedure", "1.001193", "--qr", QR, "--sets", "1000000"),
        ),
        Case(
            "dossier receive component x",
            ("dossier", "receive", "--procedure", "1.001193", "--qr", QR, "--component", "TP1=1,0,x"),
        ),
        Case(
            "dossier receive component superscript",
            ("dossier", "receive", "--procedure", "1.001193", "--qr", QR, "--component", "TP1=²,0,0"),
        ),
        Case(
            "dossier receive component 99999",
            ("dossier", "receive", "--procedure", "1.001193", "--qr", QR, "--component", "TP1=99999,0,0"),
        ),
        Case(
            "dossier receive birth 2026-02-30",
            (
                "dossier",
                "receive",
                "--procedure",
                "1.001193",
                "--name",
                "A",
                "--id",
                "001084009698",
                "--birth",
                "2026-02-30",
            ),
        ),
        Case("dossier pay negative", ("dossier", "pay", code, "--method", "cash", "--amount", "-5")),
        Case("dossier pay 10^15", ("dossier", "pay", code, "--method", "cash", "--amount", "1000000000000000")),
        # queue
        Case("queue call not a number", ("queue", "call", "ba")),
        Case("queue call 0", ("queue", "call", "0")),
        Case("queue token counter -1", ("queue", "token", "add", "K9", "--role", "counter", "--counter", "-1")),
        Case("queue token bad device name", ("queue", "token", "add", "K9; rm -rf /", "--role", "kiosk")),
        Case(
            "queue token display with counter", ("queue", "token", "add", "TV1", "--role", "display", "--counter", "2")
        ),
        Case("queue board bad url", ("queue", "board", "--server", "không phải địa chỉ")),
        Case("queue board port 99999", ("queue", "board", "--server", "http://127.0.0.1:99999")),
        Case("queue board nobody listening", ("queue", "board", "--server", "http://127.0.0.1:9")),
        Case("queue board corrupt db", ("queue", "--db", corrupt_db, "board")),
        Case("queue token corrupt db", ("queue", "--db", corrupt_db, "token", "list")),
        # sync
        Case("sync bad centre url", ("--config", bad_url_config, "sync", "status")),
        Case("sync run nobody listening", ("--config", unreachable_config, "sync", "run", "--once")),
        Case("sync timeout -1", ("sync", "run", "--timeout", "-1")),
        Case("sync timeout nan", ("sync", "run", "--timeout", "nan")),
        Case("sync status corrupt", ("sync", "status"), data="corrupt"),
        Case("sync centre corrupt", ("sync", "status", "--role", "center"), data="corrupt"),
        # settings and data folder
        Case("config not toml", ("--config", not_toml, "dossier", "show", code)),
        Case("config binary", ("--config", binary_toml, "calendar", "list", "2026")),
        Case("config folder", ("--config", str(inputs), "calendar", "list", "2026")),
        Case("corrupt workstation db", ("dossier", "show", code), data="corrupt", mentions="cơ sở dữ liệu"),
        Case("data folder is a file", ("dossier", "show", code), data=data_is_file),
        # province
        Case("province corrupt database", ("province", "--database", corrupt_db, "status")),
        Case("province publish junk catalog", ("province", "catalog", "publish", junk_json), data="own"),
        Case("province publish nested calendar", ("province", "calendar", "publish", nested), data="own"),
        # server and bench
        Case("bench unknown", ("bench", "khong-co")),
        Case("run unknown mode", ("run", "--mode", "counter,quầy")),
        Case("unknown option", ("dossier", "search", "a", "--khong-co")),
    ]
    yield World(base, data, inputs, out, code, cases)


def _data_for(world: World, case: Case) -> Path:
    if case.data == "shared":
        return world.data
    if case.data == "corrupt":
        return world.base / "corrupt"
    if case.data == "own":
        path = world.base / ("own-" + str(abs(hash(case.name))))
        return path
    return Path(case.data)


def _problems(case: Case, out: subprocess.CompletedProcess[str]) -> list[str]:
    problems = []
    lines = out.stderr.rstrip("\n").splitlines()
    if out.returncode not in case.codes:
        problems.append(f"exit {out.returncode}")
    if "Traceback" in out.stderr:
        problems.append("traceback")
    if not lines or not lines[0].startswith("Lỗi: "):
        problems.append("first line not 'Lỗi: …'")
    extra = lines[1:]
    if case.rows:
        # A catalog's bad rows are listed under the error, one indented line each.
        if not all(line.startswith("  ") for line in extra) or len(extra) < case.rows:
            problems.append(f"expected {case.rows} indented row lines")
    elif extra:
        problems.append(f"{len(lines)} lines")
    if case.mentions and case.mentions not in out.stderr:
        problems.append(f"does not say {case.mentions!r}")
    return problems


def run_many(world: World, cases: list[Case]) -> list[subprocess.CompletedProcess[str]]:
    """Every case as its own process, forked from one interpreter that imported motcua.cli once (_fork_cli.py)."""
    jobs = []
    for i, case in enumerate(cases):
        folder = world.base / "runs" / str(i)
        folder.mkdir(parents=True)
        jobs.append({"args": ["--data-dir", str(_data_for(world, case)), *case.args], "dir": str(folder)})
    env = {"PATH": "/usr/bin:/bin", "MOTCUA_LANG": "vi", "HOME": str(world.base)}
    driver = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("_fork_cli.py"))],
        input=json.dumps(jobs),
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert driver.returncode == 0, driver.stderr
    return [
        subprocess.CompletedProcess(job["args"], r["returncode"], r["stdout"], r["stderr"])
        for job, r in zip(jobs, json.loads(driver.stdout), strict=True)
    ]


def test_every_bad_input_is_one_clear_line_and_changes_nothing(world: World) -> None:
    before = run_cli(world.data, "catalog", "search", "", "--json").stdout
    files_before = sorted(p.relative_to(world.base) for p in world.base.rglob("*") if "data" not in p.parts)
    # The first case of each command group also runs as a clerk's script runs it (python -m motcua.cli), to show
    # the forked runs behave as the real entry point does.
    groups: dict[str, Case] = {}
    for case in world.cases:
        groups.setdefault(case.name.split()[0], case)
    with ThreadPoolExecutor(max_workers=2) as pool:
        real = pool.map(lambda c: run_cli(_data_for(world, c), *c.args), groups.values())
        results = list(zip(world.cases, run_many(world, world.cases), strict=True))
        real_results = list(real)
    failures = []
    for case, out in results:
        problems = _problems(case, out)
        if problems:
            tail = out.stderr.strip().splitlines()[-1:] or [""]
            failures.append(f"{case.name}: {', '.join(problems)}: {tail[0][:200]}")
    assert not failures, f"{len(failures)} of {len(results)} bad inputs:\n" + "\n".join(failures)
    forked = {case.name: out for case, out in results}
    for case, out in zip(groups.values(), real_results, strict=True):
        assert (out.returncode, out.stderr) == (forked[case.name].returncode, forked[case.name].stderr), case.name

    # Nothing half-written: no output file, no temporary file, the catalog as it was.
    assert sorted(world.out.rglob("*")) == []
    files_after = sorted(
        p.relative_to(world.base) for p in world.base.rglob("*") if "data" not in p.parts and "runs" not in p.parts
    )
    new = [str(p) for p in files_after if p not in files_before and not str(p).startswith("own-")]
    assert new == []
    assert run_cli(world.data, "catalog", "search", "", "--json").stdout == before
    assert not list(world.data.rglob("*.part*"))


def test_catalog_errors_name_every_absurd_row(world: World) -> None:
    out = run_cli(world.data, "catalog", "import", str(world.inputs / "absurd.json"))
    assert out.returncode == 2
    for row in range(1, 8):
        assert f"dòng {row}:" in out.stderr, out.stderr
    assert "1.000.000.000" in out.stderr and "365" in out.stderr and "2000" in out.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder")
def test_read_only_output_folder(world: World, tmp_path: Path) -> None:
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        out = run_cli(world.data, "print", "receipt", world.code, "--out", str(ro / "r.pdf"))
        assert out.returncode == 2 and out.stderr.startswith("Lỗi: ") and len(out.stderr.splitlines()) == 1
        assert list(ro.iterdir()) == []
    finally:
        ro.chmod(0o755)


def test_no_permission_is_one_line_even_as_root(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Root writes anywhere, so the refusal is simulated: first as the early check sees it, then as the OS says it
    in the middle of writing (a folder whose rights changed after the check)."""
    from motcua.cli import common

    args = ["--data-dir", str(world.data), "print", "book", "--from", "2026-01-01", "--to", "2026-01-31"]
    monkeypatch.setattr(common.os, "access", lambda *_a, **_k: False)
    assert main([*args, "--out", str(tmp_path / "b.pdf")]) == 2
    assert capsys.readouterr().err.startswith("Lỗi: Không có quyền ghi vào")
    monkeypatch.undo()

    def refused(path: Path, _data: bytes) -> Path:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))

    monkeypatch.setattr(atomic, "write_atomic", refused)  # the command imports it when it runs
    assert main([*args, "--out", str(tmp_path / "b.pdf")]) == 2
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [f"Lỗi: không có quyền truy cập {tmp_path / 'b.pdf'}"]
    assert list(tmp_path.iterdir()) == []


def test_port_in_use_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        out = run_cli(
            tmp_path / "data", "server", "--role", "center", "--host", "127.0.0.1", "--port", str(port), timeout=30
        )
    assert out.returncode in (1, 2), out.stderr
    assert "Traceback" not in out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Lỗi: ") and "cổng" in lines[0], lines


def test_server_port_out_of_range(tmp_path: Path) -> None:
    out = run_cli(tmp_path / "data", "server", "--role", "center", "--port", "99999", timeout=30)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1 and out.stderr.startswith("Lỗi: ")


@pytest.mark.parametrize(("workers", "said"), [("0", "từ 1 đến 16"), ("70000", "từ 1 đến 16"), ("hai", "số nguyên")])
def test_server_workers_out_of_range(tmp_path: Path, workers: str, said: str) -> None:
    out = run_cli(tmp_path / "data", "server", "--role", "center", "--port", "0", "--workers", workers, timeout=30)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Lỗi: ") and said in lines[0], lines
    assert not (tmp_path / "data" / "centre.sqlite").exists()  # refused before anything was made


# -- a full disk, in process ---------------------------------------------------------------------------------
@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Writes and fsyncs fail as on a full disk (no root needed, unlike a tiny tmpfs)."""

    def no_space(*_args: object) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(atomic.os, "write", no_space)
    monkeypatch.setattr(atomic.os, "fsync", no_space)


def test_write_atomic_on_a_full_disk_keeps_the_old_file(tmp_path: Path, full_disk: None) -> None:
    target = tmp_path / "receipt.pdf"
    target.write_bytes(b"%PDF old")
    with pytest.raises(OSError) as err:
        write_atomic(target, b"%PDF new" * 1000)
    assert err.value.errno == errno.ENOSPC
    assert target.read_bytes() == b"%PDF old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["receipt.pdf"]


def test_replacing_on_a_full_disk_leaves_no_file(tmp_path: Path, full_disk: None) -> None:
    target = tmp_path / "catalog.json"
    with pytest.raises(OSError), replacing(target) as tmp:
        tmp.write_text("{}", encoding="utf-8")  # the fsync before the rename fails
    assert list(tmp_path.iterdir()) == []


def test_full_disk_through_the_command_is_one_clear_line(
    world: World, tmp_path: Path, full_disk: None, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "book.pdf"
    target.write_bytes(b"old")
    args = ["--data-dir", str(world.data), "print", "book", "--from", "2026-01-01", "--to", "2026-12-31"]
    code = main([*args, "--out", str(target)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.strip().splitlines() == [err.strip()] and err.startswith("Lỗi: ổ đĩa đã đầy"), err
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.pdf"]


def test_write_atomic_replaces_whole_and_keeps_usual_permissions(tmp_path: Path) -> None:
    target = tmp_path / "r.bin"
    write_atomic(target, b"abc")
    write_atomic(target, b"\x1dv0" * 10)
    assert target.read_bytes() == b"\x1dv0" * 10
    umask = os.umask(0o022)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask
    with pytest.raises(IsADirectoryError):
        write_atomic(tmp_path, b"x")


def test_a_corrupt_database_is_one_line_in_process(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "workstation.sqlite").write_bytes(b"\0" * 100 + b"not sqlite" * 500)
    assert main(["--data-dir", str(data), "dossier", "search", "a"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("Lỗi: ") and len(err.strip().splitlines()) == 1 and "cơ sở dữ liệu" in err
    with pytest.raises(sqlite3.DatabaseError):
        sqlite3.connect(data / "workstation.sqlite").execute("SELECT 1 FROM sqlite_master").fetchall()


# -- images --------------------------------------------------------------------------------------------------
def test_pixel_limit_is_checked_from_the_header(tmp_path: Path) -> None:
    side = int(MAX_IMAGE_PIXELS**0.5) + 1
    path = tmp_path / "big.png"
    path.write_bytes(_png(side, side))
    with pytest.raises(ImageFileError, match="quá lớn"):
        image_size(path)
    with pytest.raises(ImageFileError, match="quá lớn"):
        load_image(path)
    assert os.environ["OPENCV_IO_MAX_IMAGE_PIXELS"] == str(MAX_IMAGE_PIXELS)
    _, png = cv2.imencode(".png", np.zeros((30, 40), np.uint8))
    small = tmp_path / "ảnh nhỏ.png"
    small.write_bytes(png.tobytes())
    assert image_size(small) == (40, 30)
    assert load_image(small).shape == (30, 40, 3)
    assert load_image(small, grayscale=True).shape == (30, 40)


def _pdf(width_pt: int, height_pt: int) -> bytes:
    return (
        f"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
        f"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 {width_pt} {height_pt}]>>endobj\n"
        "trailer<</Root 1 0 R>>\n%%EOF\n"
    ).encode()


@pytest.mark.skipif(not shutil.which("pdfinfo") or not shutil.which("pdftoppm"), reason="poppler-utils")
def test_a_pdf_page_too_large_to_render_is_refused_before_rendering(tmp_path: Path) -> None:
    huge = tmp_path / "huge.pdf"
    huge.write_bytes(_pdf(14_400, 14_400))  # 200 inches square: 1.6 gigapixels at 200 dpi
    with pytest.raises(PdfImportError, match="quá lớn"):
        render_pdf_pages(huge, 200)
    a4 = tmp_path / "a4.pdf"
    a4.write_bytes(_pdf(595, 842))
    (page,) = render_pdf_pages(a4, 100)
    assert abs(page.shape[0] - 1170) <= 2 and abs(page.shape[1] - 827) <= 2  # A4 at 100 dpi


# -- parsers, with arbitrary input ---------------------------------------------------------------------------
# Arbitrary bytes, and bytes behind each byte-order mark the decoder treats specially.
_catalog_bytes = st.one_of(
    st.binary(max_size=2048),
    st.tuples(st.sampled_from([b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf"]), st.binary(max_size=64)).map(
        lambda t: t[0] + t[1]
    ),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_catalog_bytes)
def test_catalog_bytes_raise_only_validation_errors(data: bytes) -> None:
    for load in (load_catalog_json, load_catalog_csv):
        with contextlib.suppress(ValidationError):
            load(data)


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=30,
)
_keys = st.sampled_from(
    [
        "code",
        "name",
        "statutory_time",
        "local_time",
        "fees",
        "components",
        "channels",
        "amount",
        "unit",
        "amount_vnd",
        "per",
        "tier_from",
        "cap_vnd",
        "originals",
        "territory",
        "extra",
        "service_level",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.dictionaries(_keys, _json_values, max_size=8), max_size=3))
def test_catalog_json_shapes_raise_only_validation_errors(items: list[dict[str, object]]) -> None:
    doc = {"format": "motcua-catalog", "version": 1, "procedures": items}
    with contextlib.suppress(ValidationError):
        load_catalog_json(json.dumps(doc, ensure_ascii=False))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_catalog_csv_text_raises_only_validation_errors(text: str) -> None:
    with contextlib.suppress(ValidationError):
        load_catalog_csv("code,name,fees,components,statutory_amount,statutory_unit\n" + text)


# Counts as typed: numbers of any size and sign, digits of other scripts ("٣", "²"), anything at all.
_count = st.one_of(
    st.sampled_from(["²", "٣", "１", " 1 ", "", "-1", "+1", "1_0", "9" * 12]),
    st.integers(-5, 10**12).map(str),
    st.text(alphabet=st.characters(categories=["Nd", "No"]), min_size=1, max_size=3),
    st.text(max_size=4),
)
_component_value = st.one_of(
    st.tuples(st.sampled_from(["TP1", " TP2 ", "", "="]), st.lists(_count, min_size=1, max_size=4)).map(
        lambda t: f"{t[0]}={','.join(t[1])}"
    ),
    st.text(max_size=20),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_component_value, max_size=4))
def test_component_counts_raise_only_validation_errors(values: list[str]) -> None:
    try:
        counts = parse_component_counts(values)
    except ValidationError:
        return
    for originals, certified, photocopies in counts.values():
        assert min(originals, certified, photocopies) >= 0 and max(originals, certified, photocopies) <= 1000


@given(st.integers(0, 1000), st.integers(0, 1000), st.integers(0, 1000))
def test_component_counts_round_trip(originals: int, certified: int, photocopies: int) -> None:
    assert parse_component_counts([f"TP1={originals},{certified},{photocopies}"]) == {
        "TP1": (originals, certified, photocopies)
    }


@settings(max_examples=300)
@given(st.text(max_size=30))
def test_dates_raise_only_validation_errors(text: str) -> None:
    try:
        day = parse_date(text, "--from")
    except ValidationError:
        return
    assert 1900 <= day.year <= 2199


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2199, 12, 31)))
def test_real_dates_parse(day: date) -> None:
    assert parse_date(day.isoformat(), "--from") == day


def test_round_trip_of_the_sample_still_imports() -> None:
    procedures = load_catalog_json(SAMPLE.read_bytes())
    assert load_catalog_json(dump_catalog_json(procedures)) == procedures
