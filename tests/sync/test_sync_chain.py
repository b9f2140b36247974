"""Province → centre → workstation as a new user runs them: separate processes on loopback, the ``motcua``
commands, the province on PostgreSQL behind https with a pinned certificate, and a dossier received at one centre
for an agency of another (it reaches that centre, and the result comes back to the counter that received it)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from motcua.bench.sync_world import Proc
from motcua.domain.tls_pin import fingerprint

QR = "051084009698|051084000000|Đặng Hồng Bảo|15081984|Nam|Thôn 1, Xã Bảo Thắng, Tỉnh Lào Cai|01012022"
A, B, C = "000.25.38.H38", "000.26.38.H38", "000.27.38.H38"


def motcua(*args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    out = subprocess.run([sys.executable, "-m", "motcua.cli", *args], capture_output=True, text=True, timeout=120)
    if ok:
        assert out.returncode == 0, out.stderr
    return out


def wait_for(check: Callable[[], bool], timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.3)
    return False


def self_signed(dirpath: Path) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "tinh.test")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("tinh.test")]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = dirpath / "cert.pem", dirpath / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


class Province:
    def __init__(self, tmp: Path, dsn: str) -> None:
        self.dir = tmp / "province"
        self.dir.mkdir()
        self.cert, self.key = self_signed(self.dir)
        self.dsn = dsn
        self.proc = Proc(
            ["motcua.server", "--role", "province", "--data-dir", str(self.dir), "--database", dsn,
             "--tls-cert", str(self.cert), "--tls-key", str(self.key)],
            tmp / "province.log",
        ).start()  # fmt: skip

    def admin(self, *args: str) -> str:
        return motcua("--data-dir", str(self.dir), "province", "--database", self.dsn, *args).stdout.strip()


def centre(tmp: Path, agency: str, province: Province, credential: str, pin: str) -> tuple[Proc, Path, Path]:
    d = tmp / f"centre-{agency}"
    d.mkdir()
    config = d / "centre.toml"
    config.write_text(
        f'[centre]\nagency_id = "{agency}"\n[sync]\nprovince_url = "{province.proc.url}"\n'
        f'province_token = "{credential}"\ntls_pin_sha256 = "{pin}"\ninterval_s = 0.5\nprobe_s = 0.5\n'
        "max_backoff_s = 2.0\n",
        encoding="utf-8",
    )
    queue = d / "queue.toml"
    queue.write_text(f'centre_id = "{agency}"\n[[services]]\ncode = "HT"\nname = "Hộ tịch"\nprefix = "A"\n')
    proc = Proc(
        ["motcua.server", "--role", "center", "--data-dir", str(d), "--config", str(config), "--queue-config",
         str(queue)],
        tmp / f"centre-{agency}.log",
    ).start()  # fmt: skip
    return proc, d, config


def workstation(tmp: Path, agency: str, centre_dir: Path, centre_url: str) -> tuple[Path, Path]:
    d = tmp / f"ws-{agency}"
    token = motcua("--data-dir", str(centre_dir), "queue", "token", "add", "Q01", "--role", "counter").stdout.strip()
    config = d / "centre.toml"
    d.mkdir()
    config.write_text(
        f'[centre]\nagency_id = "{agency}"\n[counter]\nstation_id = "Q01"\n'
        f'[sync]\ncentre_url = "{centre_url}"\ncentre_token = "{token}"\n',
        encoding="utf-8",
    )
    return d, config


@pytest.fixture
def chain(tmp_path: Path, postgres_dsn: str) -> Iterator[dict[str, object]]:
    province = Province(tmp_path, postgres_dsn)
    pin = fingerprint(province.cert.read_bytes())
    procs: list[Proc] = [province.proc]
    try:
        creds = {a: province.admin("centre", "add", a, "--name", f"Trung tâm {a}") for a in (A, B, C)}
        world: dict[str, object] = {"province": province}
        for agency in (A, B):
            proc, cdir, cconf = centre(tmp_path, agency, province, creds[agency], pin)
            procs.append(proc)
            world[agency] = (proc, cdir, cconf, *workstation(tmp_path, agency, cdir, proc.url))
        # Centre C was given a certificate fingerprint that is not the province's.
        proc, cdir, cconf = centre(tmp_path, C, province, creds[C], "00" * 32)
        procs.append(proc)
        world[C] = (proc, cdir, cconf)
        yield world
    finally:
        for p in procs:
            p.stop()


def _status(ws: Path, config: Path, role: str = "workstation") -> dict[str, object]:
    args = ["--config", str(config), "--data-dir", str(ws), "sync", "status", "--json", "--role", role]
    result: dict[str, object] = json.loads(motcua(*args).stdout)
    return result


def test_a_dossier_received_for_another_centre_goes_there_and_its_result_comes_back(chain: dict) -> None:
    province: Province = chain["province"]
    _, _, _, ws_a, conf_a = chain[A]
    _, _, _, ws_b, conf_b = chain[B]
    a = ["--config", str(conf_a), "--data-dir", str(ws_a)]
    b = ["--config", str(conf_b), "--data-dir", str(ws_b)]
    out = motcua(*a, "dossier", "receive", "--procedure", "1.001193", "--qr", QR, "--handling-agency", B, "--json")
    code = json.loads(out.stdout)["code"]
    assert code.startswith(A)  # numbered by the centre that received it, from a lease over HTTP
    motcua(*a, "sync", "run", "--once")

    def province_has(status: int) -> bool:
        snap = json.loads(province.admin("status"))
        return bool(snap["dossiers"]) and _province_status(province, code) == status

    assert wait_for(lambda: province_has(2)), "the dossier did not reach the province over https"
    # Centre B holds it now; its counter finds it and handles it.
    assert wait_for(lambda: _synced(b, code)), "the routed dossier did not reach centre B's counter"
    motcua(*b, "dossier", "act", code, "start")
    motcua(*b, "dossier", "act", code, "resolve")
    motcua(*b, "sync", "run", "--once")
    # The decision comes back to A's counter, which hands the result over.
    assert wait_for(lambda: _shows(a, code, 9)), "B's decision did not come back to A"
    motcua(*a, "dossier", "act", code, "return_result")
    motcua(*a, "sync", "run", "--once")
    assert wait_for(lambda: _province_status(province, code) == 10)
    assert wait_for(lambda: _reached_province(a, ws_a, conf_a)), "the counter never heard the province had it all"
    status = _status(ws_a, conf_a)
    assert status["pending"] == 0 and status["parked"] == 0
    # A province decision flows down too.
    out = motcua(*a, "dossier", "receive", "--procedure", "1.001193", "--qr", QR, "--json")
    second = json.loads(out.stdout)["code"]
    motcua(*a, "sync", "run", "--once")
    assert wait_for(lambda: _province_status(province, second) == 2)
    province.admin("act", second, "request_supplement", "--note", "Thiếu giấy chứng sinh")
    assert wait_for(lambda: _shows(a, second, 5))


def test_a_centre_with_the_wrong_certificate_pin_refuses_to_talk(chain: dict) -> None:
    _, cdir, cconf = chain[C]

    def refused() -> bool:
        s = _status(cdir, cconf, role="center")
        return "certificate" in str(s["last_error"] or "") or "SSL" in str(s["last_error"] or "")

    assert wait_for(refused, 30), _status(cdir, cconf, role="center")


def _province_status(province: Province, code: str) -> int | None:
    import psycopg

    with psycopg.connect(province.dsn) as conn:
        row = conn.execute("SELECT status FROM rep_dossiers WHERE code = %s", [code]).fetchone()
    return None if row is None else int(row[0])


def _synced(ws: list[str], code: str) -> bool:
    motcua(*ws, "sync", "run", "--once", ok=False)
    return motcua(*ws, "dossier", "show", code, ok=False).returncode == 0


def _shows(ws: list[str], code: str, status: int) -> bool:
    motcua(*ws, "sync", "run", "--once", ok=False)
    out = motcua(*ws, "dossier", "show", code, "--json", ok=False)
    return out.returncode == 0 and json.loads(out.stdout)["status"] == status


def _reached_province(ws: list[str], data: Path, config: Path) -> bool:
    motcua(*ws, "sync", "run", "--once", ok=False)
    return _status(data, config)["not_at_province"] == 0


def test_a_catalog_published_at_the_province_reaches_the_counters(chain: dict, tmp_path: Path) -> None:
    province: Province = chain["province"]
    _, _, _, ws_a, conf_a = chain[A]
    a = ["--config", str(conf_a), "--data-dir", str(ws_a)]
    exported = tmp_path / "catalog.json"
    motcua(*a, "catalog", "export", str(exported))
    data = json.loads(exported.read_text(encoding="utf-8"))
    data["procedures"][0]["name"] = "Đăng ký khai sinh (bản cập nhật của tỉnh)"
    exported.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    province.admin("catalog", "publish", str(exported))

    def arrived() -> bool:
        motcua(*a, "sync", "run", "--once", ok=False)
        return "cập nhật của tỉnh" in motcua(*a, "catalog", "search", "cap nhat cua tinh").stdout

    assert wait_for(arrived), "the published catalog did not reach the counter"
