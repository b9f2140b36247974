"""Settings: one typed, declarative schema with defaults, loaded once from TOML and validated.

The centre's settings live in ``kiosk_config/centre.toml`` (or the file given by ``--config``); every key
has a default so that a fresh install runs as a one-PC demo centre. Window geometry and other UI state
belong in QSettings, not here.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field, fields, is_dataclass, replace
from datetime import time
from pathlib import Path
from typing import Any, get_type_hints

from motcua.i18n import tr

SCHEMA_VERSION = 1


class ConfigError(Exception):
    """A configuration file that cannot be used; the message is translated."""


@dataclass(frozen=True, slots=True)
class CentreSettings:
    """Who we are: printed on every form."""

    agency_id: str = "000.25.38.H38"  # mã định danh of the receiving unit
    name: str = "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG XÃ BẢO THẮNG"
    parent_name: str = "UBND XÃ BẢO THẮNG"
    place: str = "Bảo Thắng"  # "<Địa danh>, ngày … tháng … năm …"
    province: str = "Lào Cai"
    phone: str = ""
    tracking_url: str = "https://dichvucong.laocai.gov.vn/tra-cuu?mahs={code}"


@dataclass(frozen=True, slots=True)
class CalendarSettings:
    morning_start: str = "07:00"
    morning_end: str = "11:30"
    afternoon_start: str = "13:30"
    afternoon_end: str = "17:00"
    same_day_cutoff: str = "15:00"
    country: str = "VN"
    # Admin overrides on top of the statutory calendar (ISO dates).
    extra_days_off: list[str] = field(default_factory=list)
    extra_working_days: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class SyncSettings:
    """Where this PC's changes go, and how often.

    A workstation of a multi-PC centre names its centre server (``centre_url``, with the device token made by
    ``motcua queue token add <station_id> --role counter``); empty means this PC is the centre (one-PC commune).
    The centre (``motcua server --role center``, or the one inside a one-PC app) names the province
    (``province_url``, with the credential made by ``motcua province centre add``). ``province_protocol`` is
    "motcua" (our exchange protocol) or "dvc" (the national portal's DongBoHoSoMC format, for a provincial system
    that speaks only that).
    """

    centre_url: str = ""
    centre_token: str = ""
    province_url: str = ""
    province_token: str = ""
    province_protocol: str = "motcua"
    tls_ca_file: str = ""  # verify the province's https certificate with this CA (or self-signed certificate)
    tls_pin_sha256: str = ""  # or trust exactly the certificate with this SHA-256 fingerprint
    # The centre server's certificate (``motcua server --tls self-signed`` prints it): an https centre_url (and the
    # queue's [client] server_url) is trusted by this fingerprint.
    centre_tls_pin_sha256: str = ""
    interval_s: float = 15.0  # a round this often even when nothing announced a change
    max_backoff_s: float = 300.0  # the longest wait between tries while the link is down
    probe_s: float = 5.0  # while down, check the link this often and try at once when it is back
    timeout_s: float = 20.0  # one request's longest wait for an answer (a batch, a page, a file chunk)
    dvc_username: str = ""
    dvc_password: str = ""
    dvc_madonvi: str = ""
    dvc_auth_path: str = "/api/v1/dvc/auth"
    dvc_integration_path: str = "/api/v1/dvc/integration"
    # The portal codes the reference leaves unconfirmed (sync/dvc.py DvcOptions), e.g. id_kind_passport = "5".
    dvc_codes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CounterSettings:
    station_id: str = "Q01"  # this workstation, unique in the centre
    clerk: str = "Cán bộ tiếp nhận"
    counter_number: int = 1
    code_block_size: int = 100  # dossier numbers leased per day in advance
    lease_days_ahead: int = 5
    # Centre side: the most numbers one request may lease, and one workstation may hold, per agency and day.
    lease_max_block: int = 500
    lease_max_per_station_day: int = 2000


@dataclass(frozen=True, slots=True)
class PrinterSettings:
    """The 80 mm receipt printer: ``kind`` is none, file, usb, network or serial."""

    kind: str = "none"
    path: str = ""  # file printer / serial device
    host: str = ""
    port: int = 9100
    usb_vendor: int = 0
    usb_product: int = 0
    baudrate: int = 9600
    width_px: int = 576  # 80 mm paper at 203 dpi
    copies_a4: int = 2
    # The printer's python-escpos profile ("TM-T20II", "CT-S651"…): one with a Vietnamese code page gets a text
    # receipt, a tenth of the picture's bytes. Empty: the picture, which every printer prints.
    profile: str = ""
    # The system printer for A4 forms, to print without asking each time ("" : Qt's print dialog every time).
    a4_printer: str = ""


@dataclass(frozen=True, slots=True)
class CameraSettings:
    """The counter's camera: a device index ("0") or a video/image file (demo, tests)."""

    source: str = "0"
    width: int = 1920
    height: int = 1080


@dataclass(frozen=True, slots=True)
class PaymentSettings:
    """The centre's account for fees paid by bank transfer: with it, the fee receipt and the counter's screen show a
    VietQR code the citizen scans with any banking app (empty ``account``: cash only, no code)."""

    bank_bin: str = ""  # the bank's 6-digit NAPAS BIN, e.g. 970415 VietinBank, 970405 Agribank
    bank_name: str = ""  # as printed under the code
    account: str = ""
    account_name: str = ""  # the account holder, as the bank shows it (printed so the citizen can check)
    purpose: str = "{code}"  # the transfer's content; {code} is the dossier code (ASCII, at most 25 characters)


# The closed statuses whose dossiers a retention rule may name (the national codes' names, lower case).
RETENTION_STATUSES = ("returned", "refused", "withdrawn", "stopped")
REVOCATION_MODES = ("off", "soft-fail", "hard-fail")  # [signing] revocation


@dataclass(frozen=True, slots=True)
class RetentionSettings:
    """How long this workstation keeps citizens' personal data of closed dossiers (``motcua data retention``).

    The province keeps the record (archives law); a counter PC needs a closed dossier's applicant only for a while.
    ``anonymise_after_days`` maps a status in :data:`RETENTION_STATUSES` to the days after the dossier reached it
    when its applicant's name, ID number, phone, e-mail, address and birth date are erased here; a status left out,
    or 0, is never anonymised. Digitized files of closed dossiers go after ``documents_after_days`` (0: never), and
    visits guided without a reception (Mẫu 02) after ``visits_after_days``. Only what the centre already holds is
    touched: a dossier with changes still waiting to be sent is kept until they have gone.
    """

    anonymise_after_days: dict[str, int] = field(
        default_factory=lambda: {"returned": 365, "refused": 180, "withdrawn": 180, "stopped": 365}
    )
    documents_after_days: int = 730
    visits_after_days: int = 90

    def __post_init__(self) -> None:
        for status, days in self.anonymise_after_days.items():
            if status not in RETENTION_STATUSES:
                raise ConfigError(
                    tr("Cấu hình: [retention] không có trạng thái {status} (chọn trong {names})",
                       status=status, names=", ".join(RETENTION_STATUSES))
                )  # fmt: skip
            if not isinstance(days, int) or isinstance(days, bool) or days < 0:
                raise ConfigError(tr("Cấu hình: retention.{key} phải là số ngày (0: không bao giờ)", key=status))
        for key in ("documents_after_days", "visits_after_days"):
            if getattr(self, key) < 0:
                raise ConfigError(tr("Cấu hình: retention.{key} phải là số ngày (0: không bao giờ)", key=key))


@dataclass(frozen=True, slots=True)
class ReportSettings:
    """The supervisor's reports.

    The day's summary is made and archived at ``closing_time`` (HH:MM) by the supervisor's window, and for the
    ``catch_up_days`` working days before when they are missing (the PC was off at closing time). ``index`` changes
    the maximum points and the full-marks ratio of a Decision 766 indicator measured by the centre, where the
    province weighs them otherwise than the defaults: ``index = { "3.3" = { max_points = 4, threshold = 0.5 } }``.
    """

    closing_time: str = "17:30"
    catch_up_days: int = 7
    index: dict[str, dict[str, float]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _check_hhmm(self.closing_time, "reports.closing_time")
        if not 0 <= self.catch_up_days <= 60:
            raise ConfigError(tr("Cấu hình: reports.catch_up_days phải từ 0 đến 60"))
        for code, values in self.index.items():
            if not isinstance(values, dict) or set(values) - {"max_points", "threshold"}:
                raise ConfigError(tr("Cấu hình: reports.index.{code} chỉ nhận max_points và threshold", code=code))
            for key, value in values.items():
                if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0 or value > 100:
                    raise ConfigError(tr("Cấu hình: reports.index.{code}.{key} phải là số dương", code=code, key=key))


def _check_hhmm(value: str, key: str) -> None:
    hour, sep, minute = value.partition(":")
    if not (sep and hour.isdigit() and minute.isdigit() and int(hour) < 24 and int(minute) < 60):
        raise ConfigError(tr("Cấu hình: {key} phải có dạng HH:MM: {value}", key=key, value=value))


def clock_time(text: str) -> time:
    """A checked ``HH:MM`` setting (``[reports] closing_time``, ``[backup] at``) as a time of day."""
    hour, _, minute = text.partition(":")
    return time(int(hour), int(minute))


@dataclass(frozen=True, slots=True)
class BackupSettings:
    """The daily backup of the data folder (``motcua backup``, and by itself once a day at ``at``).

    ``folder`` is where the backups go (empty: a folder ``<data folder>-backups`` beside the data folder; better on
    another disk, a USB drive or a network share); the newest ``keep`` are kept. ``at`` (HH:MM) is when the day's
    backup is made, empty: the reports' closing time; a day missed because the PC was off is made at the next start.
    """

    enabled: bool = True
    folder: str = ""
    keep: int = 14
    at: str = ""

    def __post_init__(self) -> None:
        if self.at:
            _check_hhmm(self.at, "backup.at")
        if not 1 <= self.keep <= 1000:
            raise ConfigError(tr("Cấu hình: backup.keep phải từ 1 đến 1000"))


@dataclass(frozen=True, slots=True)
class UiSettings:
    language: str = "vi"
    font_pt: int = 13
    # The counter locks after this many minutes without input (0: never); the clerk's PIN opens it again.
    lock_after_min: float = 5.0
    # A kiosk, display board or rating pad run alone is locked full screen: the close keys do nothing and only an
    # administrator's PIN leaves it (docs/kiosk-lockdown.md). false: an ordinary window (a technician's test).
    lockdown: bool = True
    # The kiosk goes back to its first screen, in Vietnamese, after this many seconds without a touch.
    kiosk_idle_s: float = 60.0


@dataclass(frozen=True, slots=True)
class ServerSettings:
    """The centre server (``motcua server``): ``tls = "self-signed"`` makes its own certificate in the data folder
    (devices pin its SHA-256); ``insecure_lan = true`` lets it serve the network without TLS (tokens in clear)."""

    tls: str = ""
    insecure_lan: bool = False


@dataclass(frozen=True, slots=True)
class SigningSettings:
    """The one-stop officer's digital signature on PDFs (digitized copies, receipts, results).

    ``kind`` is "none", "pkcs11" (the officer's USB token: its vendor's PKCS#11 library, the token's label and the
    key's label) or "pkcs12" (a .p12/.pfx file). An empty ``pin`` or ``pkcs12_password`` is asked for when signing.
    ``tsa_url`` (optional) is an RFC 3161 timestamp server, whose timestamp proves when the document was signed.
    ``trust_dir`` holds the root CA certificates a signature must chain up to (PEM or DER; relative to the
    kiosk_config folder). The visible box goes on page ``box_page`` (from 1; 0 is the last page), ``box_*_mm`` from
    the page's lower-left corner; the receipt (Mẫu 01) puts it under the receiving officer's heading instead.

    ``revocation`` says how a signature's certificate is checked for revocation when a PDF is verified: "off" (only
    the revocation data the PDF carries: the same verdict offline), "soft-fail" (also ask the CA's CRL/OCSP servers;
    if none answers, accept and say so) or "hard-fail" (if none answers, not trusted). ``long_term`` embeds the
    revocation data fetched while signing (PAdES B-LT), so the papers can be checked offline and for years; with
    the CA unreachable the paper is signed without it.
    """

    kind: str = "none"
    pkcs11_module: str = ""
    token_label: str = ""
    key_label: str = ""
    pin: str = ""
    pkcs12_path: str = ""
    pkcs12_password: str = ""
    tsa_url: str = ""
    trust_dir: str = "trust"
    box_page: int = 0
    box_x_mm: float = 128.0
    box_y_mm: float = 8.0
    box_width_mm: float = 62.0
    box_height_mm: float = 15.0
    revocation: str = "soft-fail"
    long_term: bool = True

    def __post_init__(self) -> None:
        if self.revocation not in REVOCATION_MODES:
            raise ConfigError(
                tr("Cấu hình: signing.revocation phải là một trong {modes}, không phải {value}",
                   modes=", ".join(REVOCATION_MODES), value=self.revocation)
            )  # fmt: skip


@dataclass(frozen=True, slots=True)
class Settings:
    schema_version: int = SCHEMA_VERSION
    centre: CentreSettings = CentreSettings()
    calendar: CalendarSettings = CalendarSettings()
    counter: CounterSettings = CounterSettings()
    printer: PrinterSettings = PrinterSettings()
    camera: CameraSettings = CameraSettings()
    ui: UiSettings = UiSettings()
    sync: SyncSettings = SyncSettings()
    payment: PaymentSettings = PaymentSettings()
    retention: RetentionSettings = RetentionSettings()
    server: ServerSettings = ServerSettings()
    signing: SigningSettings = SigningSettings()
    reports: ReportSettings = ReportSettings()
    backup: BackupSettings = BackupSettings()
    data_dir: str = ""  # empty: the per-user data folder


def _build(cls: type[Any], raw: dict[str, Any], where: str) -> Any:
    hints = get_type_hints(cls)
    names = {f.name for f in fields(cls)}
    unknown = set(raw) - names
    if unknown:
        raise ConfigError(
            tr("Cấu hình: khóa không hợp lệ {keys} trong [{section}]", keys=sorted(unknown), section=where)
        )
    values: dict[str, Any] = {}
    for f in fields(cls):
        if f.name not in raw:
            continue
        value = raw[f.name]
        hint = hints[f.name]
        if is_dataclass(hint):
            if not isinstance(value, dict):
                raise ConfigError(tr("Cấu hình: [{section}] phải là một mục", section=f.name))
            values[f.name] = _build(hint, value, f.name)  # type: ignore[arg-type]
            continue
        expected = getattr(hint, "__origin__", hint)
        if expected is float and isinstance(value, int):
            value = float(value)
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise ConfigError(
                tr(
                    "Cấu hình: {section}.{key} phải có kiểu {type}",
                    section=where,
                    key=f.name,
                    type=getattr(expected, "__name__", str(expected)),
                )
            )
        values[f.name] = value
    return cls(**values)


def _migrate(raw: dict[str, Any]) -> dict[str, Any]:
    version = raw.get("schema_version", SCHEMA_VERSION)
    if not isinstance(version, int) or version > SCHEMA_VERSION:
        raise ConfigError(tr("Cấu hình được tạo bởi phiên bản mới hơn của phần mềm (schema_version={v})", v=version))
    # Future migrations: "if version < 2: raw = _v1_to_v2(raw)".
    raw["schema_version"] = SCHEMA_VERSION
    return raw


def load_settings(path: Path | None) -> Settings:
    """Load and validate settings; a missing file gives the defaults (a one-PC demo centre)."""
    if path is None or not path.exists():
        if path is not None and path.name != "centre.toml":
            raise ConfigError(tr("Không tìm thấy tệp cấu hình: {path}", path=str(path)))
        return Settings()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(tr("Tệp cấu hình {path} bị lỗi: {error}", path=str(path), error=str(exc))) from None
    settings: Settings = _build(Settings, _migrate(raw), "")
    return settings


def with_overrides(settings: Settings, **sections: Any) -> Settings:
    """Return a copy with whole sections replaced (tests, demo mode)."""
    return replace(settings, **sections)
