"""Pushing dossiers to a provincial system / the National Public Service Portal in the ``DongBoHoSoMC`` format.

Two halves:

* :func:`dossier_to_dvc` and :func:`dossier_progress` map the centre's own dossier dict (the upstream shape of
  :func:`motcua.store.serialize.dossier_to_dict` with ``labels=False``, events included) to the national
  records ``HoSoDongBoDVC`` and ``QuaTrinhXuLyDongBoDVC``; the output is checked against
  :mod:`motcua.sync.dvc_models` before it is returned.
* :class:`DvcClient` speaks the portal transport as OpenCPS implements it: ``POST {auth}`` with user name and
  password gives a session; ``POST {integration}`` carries ``{"session", "madonvi", "service", "isUpdating",
  "data"}`` and answers ``{"error_code", "message"}``.

Moving from the built-in province server to a real provincial adapter is then configuration: base URL, the two
paths, credentials, ``madonvi``, extra headers (a gateway's ``dstcode`` or bearer token), and, for the codes
whose meaning is not published, :class:`DvcOptions`.

Payload bytes never depend on the clerk's screen language: the Vietnamese labels are always used.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any, TypeVar

from pydantic import ValidationError as PydanticValidationError

from motcua.domain.applicant import ApplicantKind
from motcua.domain.errors import MotcuaError
from motcua.domain.procedures import Channel
from motcua.domain.status import Action
from motcua.domain.text import digits, fold
from motcua.i18n import language, tr
from motcua.sync.dvc_models import (
    DATE_FORMAT,
    ERROR_SESSION,
    SERVICE_DOSSIERS,
    SERVICE_PROGRESS,
    DvcAuthResponse,
    DvcFormatError,
    DvcResponse,
    validate_dossier_record,
    validate_progress_record,
)
from motcua.sync.http import HttpPool, Tls, TransportError

log = logging.getLogger(__name__)
_R = TypeVar("_R", bound=DvcResponse)

SUMMARY_MAX = 1000  # TrichYeuHoSo: the Thanh Hóa system cuts at 1000 characters before pushing
HANDLER_MAX = 50  # NguoiXuLy: likewise at 50


@dataclass(frozen=True, slots=True)
class DvcOptions:
    """Codes whose meaning the reference does not confirm ([U]), each with its documented default.

    Attributes:
        organisation_kind: LoaiDoiTuong for an organisation applicant. Our applicants are persons or
            organisations; the national list splits organisations into 2 enterprise, 3 state agency, 4 other.
            Default "2" (OpenCPS maps every business applicant to 2).
        id_kind_citizen: DinhDanhCHS.LoaiDinhDanh for a 12-digit personal identification number ("1", as TD).
        id_kind_old_id: LoaiDinhDanh for a 9-digit CMND ("2", as TD).
        id_kind_tax_code: LoaiDinhDanh for an organisation's tax code; "" (default) leaves the organisation's
            identifier out of DinhDanhCHS, since no system we know of publishes a code for it.
        id_kind_passport: LoaiDinhDanh for a passport number; "" (default) leaves it out, for the same reason.
        id_kind_foreign_id: LoaiDinhDanh for a foreign identity paper; "" (default) leaves it out.
        submission_place: NoiNopHoSo. "2" is what TD sends for every dossier of the provincial system.
        online_payment: DuocThanhToanTrucTuyen: "0" not paid online (1 DVCQG payment, 2 provincial gateway).
        database_codes: DSKetNoiCSDL[].MaCSDL; TD always sends "7", whose meaning is not published, so the
            default sends none.
        fee_collection: LePhi.HinhThucThu ("1", as TD; the list of values is not published).
        fee_kind: LePhi.LoaiPhiLePhi ("1", as TD).
        fee_name: TenPhiLePhi when only the dossier's total fee is known.
        supplement_pending: HoSoBoSung.TrangThaiBoSung while the citizen has not supplied ("0").
        supplement_received: TrangThaiBoSung once supplied ("1").
        counter_staff: NguoiXuLy when an event has no clerk (TD: "Cán bộ một cửa").
        handler_title: QuaTrinhXuLyDongBoDVC.ChucDanh ("" : optional, and our events do not record it).
        file_url_template: DuongDanTaiTepTin for a digitized file, formatted with ``sha256``, ``dossier`` and
            ``component``; "" sends no link (766 counts a file only with a link the portal can open, so a
            centre that publishes its files sets this, e.g. "https://hcc.example.gov.vn/files/{sha256}.pdf").
        component_counts: add our counts to each TaiLieuNop item (SoBanChinh, SoBanChungThuc, SoBanPhoTo,
            SoTrang). Not national fields: portals keep unknown keys, but a strict one can be served with False.
    """

    organisation_kind: str = "2"
    id_kind_citizen: str = "1"
    id_kind_old_id: str = "2"
    id_kind_tax_code: str = ""
    id_kind_passport: str = ""
    id_kind_foreign_id: str = ""
    submission_place: str = "2"
    online_payment: str = "0"
    database_codes: tuple[str, ...] = ()
    fee_collection: str = "1"
    fee_kind: str = "1"
    fee_name: str = "Phí, lệ phí"
    supplement_pending: str = "0"
    supplement_received: str = "1"
    counter_staff: str = "Cán bộ một cửa"
    handler_title: str = ""
    file_url_template: str = ""
    component_counts: bool = True
    extra: Mapping[str, Any] = field(default_factory=dict)  # added verbatim to every record (portal-specific)


DEFAULT_OPTIONS = DvcOptions()


def dvc_options(codes: Mapping[str, Any]) -> DvcOptions:
    """The options a centre's ``[sync] dvc_codes`` table sets (the others keep their defaults).

    Raises:
        MotcuaError: an unknown key or a value of the wrong type, named for the administrator.
    """
    defaults = {f.name: getattr(DEFAULT_OPTIONS, f.name) for f in fields(DvcOptions)}
    values: dict[str, Any] = {}
    for key, value in codes.items():
        if key not in defaults:
            raise MotcuaError(tr("Cấu hình: sync.dvc_codes không có khóa {key}", key=key))
        default = defaults[key]
        if isinstance(default, tuple) and isinstance(value, list) and all(isinstance(v, str) for v in value):
            value = tuple(value)
        elif isinstance(default, Mapping) and isinstance(value, dict):
            value = dict(value)
        elif type(value) is not type(default):
            raise MotcuaError(tr("Cấu hình: sync.dvc_codes.{key} phải có kiểu {type}", key=key,
                                 type=type(default).__name__))  # fmt: skip
        values[key] = value
    return DvcOptions(**values)


# -- mapping ---------------------------------------------------------------------------------------------
def dvc_time(value: str | datetime | None) -> str:
    """``"2026-11-23 09:30:00"`` (or a datetime) → ``"20261123093000"``; ``None`` → ``""``."""
    if value is None or value == "":
        return ""
    dt = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return dt.strftime(DATE_FORMAT)


def _events(dossier: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return list(dossier.get("events") or ())


def _first_time(events: Iterable[Mapping[str, Any]], *actions: Action) -> str:
    """The time of the first event among ``actions``, in the order the actions are given (a preference)."""
    events = list(events)
    for action in actions:
        for e in events:
            if e.get("action") == action.value:
                return dvc_time(e.get("at"))
    return ""


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _action_text(event: Mapping[str, Any]) -> str:
    """What the step did, in Vietnamese whatever the screen language (the record is national data)."""
    try:
        action = Action(event.get("action", ""))
    except ValueError:
        return str(event.get("action", ""))
    with language("vi"):
        text = action.label
    if action is Action.TRANSFER and event.get("agency"):
        text += f" ({event['agency']})"
    if event.get("note"):
        text += f": {event['note']}"
    return text


def _identities(applicant: Mapping[str, Any], options: DvcOptions) -> list[dict[str, str]]:
    """DinhDanhCHS: the 12-digit number, the old 9-digit CMND, and a tax code, passport or foreign paper when
    its code is configured."""
    out: list[dict[str, str]] = []
    number = str(applicant.get("id_number") or "")
    said = str(applicant.get("id_kind") or "")
    organisation = applicant.get("kind") == ApplicantKind.ORGANISATION.value
    if organisation:
        said = said or "tax_code"
    papers = {
        "tax_code": options.id_kind_tax_code,
        "passport": options.id_kind_passport,
        "foreign_id": options.id_kind_foreign_id,
    }
    if said in papers:
        if number and papers[said]:
            out.append({"LoaiDinhDanh": papers[said], "SoDinhDanh": number})
        numbers = [] if organisation else [str(applicant.get("old_id_number") or "")]
    else:
        numbers = [number, str(applicant.get("old_id_number") or "")]
    for n in numbers:
        if not n or digits(n) != n:
            continue
        kind = {12: options.id_kind_citizen, 9: options.id_kind_old_id}.get(len(n))
        if kind and all(x["SoDinhDanh"] != n for x in out):
            out.append({"LoaiDinhDanh": kind, "SoDinhDanh": n})
    return out


def _supplements(code: str, events: Sequence[Mapping[str, Any]], options: DvcOptions) -> list[dict[str, Any]]:
    """One HoSoBoSung per supplement request, completed by the SUPPLY that answered it."""
    out: list[dict[str, Any]] = []
    open_item: dict[str, Any] | None = None
    due = ""
    for e in events:
        action = e.get("action")
        if action == Action.REQUEST_SUPPLEMENT.value:
            open_item = {
                "HoSoBoSungId": f"{code}-BS{len(out) + 1}",
                "NguoiYeuCauBoSung": e.get("clerk") or options.counter_staff,
                "NoiDungBoSung": e.get("note") or "",
                "NgayBoSung": dvc_time(e.get("at")),
                "NguoiTiepNhanBoSung": "",
                "ThongTinTiepNhan": "",
                "NgayTiepNhanBoSung": "",
                "TrangThaiBoSung": options.supplement_pending,
                "DanhSachGiayToBoSung": "",
                "DanhSachLePhiBoSung": "",
                "NgayHenTraTruoc": due or dvc_time(e.get("due_after")),
                "NgayHenTraMoi": "",
            }
            out.append(open_item)
        elif action == Action.SUPPLY.value and open_item is not None:
            open_item.update(
                NguoiTiepNhanBoSung=e.get("clerk") or options.counter_staff,
                ThongTinTiepNhan=e.get("note") or "",
                NgayTiepNhanBoSung=dvc_time(e.get("at")),
                TrangThaiBoSung=options.supplement_received,
                NgayHenTraMoi=dvc_time(e.get("due_after")),  # the clock was paused: the promise moved
            )
            open_item = None
        if e.get("due_after"):
            due = dvc_time(e.get("due_after"))
    return out


def _fees(dossier: Mapping[str, Any], fees: Sequence[Mapping[str, Any]], options: DvcOptions) -> list[dict[str, Any]]:
    # The lines charged at the counter (their quantities applied) come before the catalog's list.
    charged = dossier.get("fees") or fees
    items = [f for f in charged if int(f.get("amount_vnd", 0) or 0) > 0]
    if not items and int(dossier.get("fee_vnd") or 0) > 0:
        items = [{"name": options.fee_name, "amount_vnd": int(dossier["fee_vnd"])}]
    return [
        {
            "TenPhiLePhi": str(f.get("name") or options.fee_name),
            "MaPhiLePhi": str(f.get("code") or i),
            "HinhThucThu": options.fee_collection,
            "Gia": int(f["amount_vnd"]),
            "LoaiPhiLePhi": str(f.get("kind") or options.fee_kind),
        }
        for i, f in enumerate(items, start=1)
    ]


def _doc_component(doc: Mapping[str, Any]) -> str:
    return str(doc.get("component") or doc.get("component_code") or "")


def _doc_url(code: str, doc: Mapping[str, Any], options: DvcOptions) -> str:
    if doc.get("url"):
        return str(doc["url"])
    if not options.file_url_template:
        return ""
    return options.file_url_template.format(sha256=doc.get("sha256", ""), dossier=code, component=_doc_component(doc))


def _submitted_files(
    code: str, components: Sequence[Mapping[str, Any]], documents: Sequence[Mapping[str, Any]], options: DvcOptions
) -> list[dict[str, Any]]:
    """TaiLieuNop: one item per digitized file, and one per received component that has no file yet."""
    by_component: dict[str, list[Mapping[str, Any]]] = {}
    for doc in documents:
        by_component.setdefault(_doc_component(doc), []).append(doc)
    names = {str(c.get("code")): str(c.get("name") or "") for c in components}
    out: list[dict[str, Any]] = []

    def item(comp_code: str, name: str, doc: Mapping[str, Any] | None, counts: Mapping[str, Any]) -> dict[str, Any]:
        reused = doc is not None and bool(doc.get("reused_from") or doc.get("reused_from_sha256"))
        entry: dict[str, Any] = {
            "TepDinhKemId": str(doc.get("sha256") or "") if doc is not None else comp_code,
            "TenTepDinhKem": name or comp_code,
            "IsDeleted": "0",
            "MaThanhPhanHoSo": comp_code,
            "DuongDanTaiTepTin": _doc_url(code, doc, options) if doc is not None else "",
            "DuocSoHoa": "1" if doc is not None else "0",
            "DuocTaiSuDung": "1" if reused else "0",
            "DuocLayTuKhoDMQG": "0",  # files come from the counter's scanner, never from the national store
            "MaKetQuaThayThe": "",
        }
        if options.component_counts:
            entry["SoBanChinh"] = int(counts.get("originals") or 0)
            entry["SoBanChungThuc"] = int(counts.get("certified_copies") or 0)
            entry["SoBanPhoTo"] = int(counts.get("photocopies") or 0)
            if doc is not None:
                entry["SoTrang"] = int(doc.get("pages") or 0)
        return entry

    for c in components:
        comp_code = str(c.get("code") or "")
        docs = by_component.pop(comp_code, [])
        name = str(c.get("name") or "")
        if docs:
            out.extend(item(comp_code, name, d, c) for d in docs)
        else:
            out.append(item(comp_code, name, None, c))
    for comp_code, docs in by_component.items():  # files on a component not listed as received
        for d in docs:
            out.append(item(comp_code, str(d.get("component_name") or names.get(comp_code) or ""), d, {}))
    return out


def _result_files(code: str, documents: Sequence[Mapping[str, Any]], options: DvcOptions) -> list[dict[str, Any]]:
    return [
        {
            "TenGiayTo": str(d.get("name") or d.get("component_name") or "Kết quả giải quyết"),
            "MaThanhPhanHoSo": _doc_component(d),
            "GiayToId": str(d.get("sha256") or ""),
            "DuongDanTepTinKetQua": _doc_url(code, d, options),
            "MaGiayToKetQua": str(d.get("result_code") or ""),
        }
        for d in documents
    ]


def _by_post(result_delivery: str) -> bool:
    return "buu" in fold(result_delivery).split()  # "bưu chính", "bưu điện"


def dossier_to_dvc(
    dossier: Mapping[str, Any],
    *,
    sector_code: str = "",
    sector_name: str = "",
    documents: Sequence[Mapping[str, Any]] = (),
    submitted_online: bool = False,
    unit_name: str = "",
    fees: Sequence[Mapping[str, Any]] = (),
    applicant_account: str = "",
    vneid_verified: bool = False,
    result_by_post: bool | None = None,
    options: DvcOptions = DEFAULT_OPTIONS,
) -> dict[str, Any]:
    """Map one dossier to a ``HoSoDongBoDVC`` record.

    Args:
        dossier: ``dossier_to_dict(d, labels=False)`` (its ``events`` give the end, return, refusal and
            supplement times).
        sector_code, sector_name: MaLinhVuc / TenLinhVuc from the national catalog (our catalog keeps only a
            sector name).
        documents: the dossier's digitized files, as the ``attachment.added`` outbox payload or
            ``dataclasses.asdict(Attachment)``: ``component`` (or ``component_code``), ``sha256``, ``pages``,
            optionally ``reused_from``/``reused_from_sha256``, ``url``; ``"result": True`` marks a result file
            (DanhSachGiayToKetQua), the others are submitted components (TaiLieuNop).
        submitted_online: the citizen filed the dossier on an online portal (even if it was completed at the
            counter): KenhThucHien is then "2" whatever ``channel`` says, and the portal account is kept.
        unit_name: DonViXuLy when the dossier was not transferred to another agency (the centre's name).
        fees: the procedure's fees (``name``, ``amount_vnd``, optional ``code``/``kind``); without them the
            dossier's total ``fee_vnd`` is sent as one item.
        applicant_account: MaDoiTuong, the citizen's portal account id; sent only for online dossiers (as TD).
        vneid_verified: TaiKhoanDuocXacThucVoiVNeID (766 indicator 4.5); a chip-card QR read is not a VNeID
            account check, so the counter leaves it False.
        result_by_post: HinhThuc "1" (result sent by post) or "0" (at the counter); default: guessed from
            ``result_delivery`` mentioning "bưu".
        options: the codes whose meaning is unconfirmed.

    Returns:
        The record as a JSON-ready dict (codes as strings, dates ``yyyyMMddHHmmss``).

    Raises:
        DvcFormatError: the dossier cannot make a valid record (e.g. a code that is not a dossier code).
    """
    code = str(dossier.get("code") or "")
    applicant: Mapping[str, Any] = dossier.get("applicant") or {}
    events = _events(dossier)
    channel = str(dossier.get("channel") or Channel.DIRECT.value)
    online = submitted_online or channel == Channel.ONLINE.value
    kind = str(applicant.get("kind") or ApplicantKind.PERSON.value)
    transfers = [e for e in events if e.get("action") == Action.TRANSFER.value and e.get("agency")]
    delivery = str(dossier.get("result_delivery") or "")
    by_post = _by_post(delivery) if result_by_post is None else result_by_post
    results = [d for d in documents if d.get("result")]
    submitted = [d for d in documents if not d.get("result")]
    id_number = str(applicant.get("id_number") or applicant.get("old_id_number") or "")
    note = str(dossier.get("note") or "")
    record: dict[str, Any] = {
        "MaHoSo": code,
        "MaTTHC": str(dossier.get("procedure_code") or ""),
        "TenTTHC": str(dossier.get("procedure_name") or ""),
        "MaLinhVuc": sector_code,
        "TenLinhVuc": sector_name,
        "KenhThucHien": Channel.ONLINE.value if submitted_online else channel,
        "SoGiayToChuHoSo": id_number,
        "ChuHoSo": str(applicant.get("name") or ""),
        "LoaiDoiTuong": options.organisation_kind if kind == ApplicantKind.ORGANISATION.value else "1",
        "MaDoiTuong": applicant_account if online else "",
        "ThongTinKhac": "",
        "Email": str(applicant.get("email") or ""),
        "Fax": "",
        "SoDienThoai": str(applicant.get("phone") or ""),
        "TrichYeuHoSo": _cut(str(dossier.get("procedure_name") or ""), SUMMARY_MAX),
        "NgayTiepNhan": dvc_time(dossier.get("received_at")),
        "NgayHenTra": dvc_time(dossier.get("due_at")),
        "TrangThaiHoSo": str(int(dossier.get("status") or 0)),  # our Status values are the national codes
        "NgayTra": _first_time(events, Action.RETURN_RESULT),
        "ThongTinTra": delivery,
        "HinhThuc": "1" if by_post else "0",
        # The end of processing: the result is ready; a stopped dossier ends when it is stopped.
        "NgayKetThucXuLy": _first_time(events, Action.RESOLVE, Action.STOP),
        "DonViXuLy": str(transfers[-1]["agency"]) if transfers else (unit_name or str(dossier.get("agency_id") or "")),
        "GhiChu": note,
        "TaiLieuNop": _submitted_files(code, dossier.get("components") or (), submitted, options),
        "DanhSachLePhi": _fees(dossier, fees, options),
        "DanhSachTepDinhKemKhac": [],
        "DanhSachHoSoBoSung": _supplements(code, events, options),
        "DanhSachGiayToKetQua": _result_files(code, results, options),
        "NoiNopHoSo": options.submission_place,
        "HoSoCoThanhPhanSoHoa": "1" if submitted else "0",
        "TaiKhoanDuocXacThucVoiVNeID": "1" if vneid_verified else "0",
        "DuocThanhToanTrucTuyen": options.online_payment,
        "NgayTuChoi": _first_time(events, Action.REFUSE),
        "DinhDanhCHS": _identities(applicant, options),
        "NgayNopHoSo": dvc_time(dossier.get("received_at")),
        "DSKetNoiCSDL": [{"MaCSDL": c} for c in options.database_codes],
        **options.extra,
    }
    validate_dossier_record(record, f"[{code}]")
    return record


def dossier_progress(
    dossier: Mapping[str, Any], *, unit_name: str = "", options: DvcOptions = DEFAULT_OPTIONS
) -> list[dict[str, Any]]:
    """One ``QuaTrinhXuLyDongBoDVC`` per event of the dossier, oldest first.

    Args:
        dossier: ``dossier_to_dict(d, labels=False)`` with its ``events``.
        unit_name: PhongBanXuLy, the department that acted (the centre's one-stop desk).
        options: ``counter_staff`` for events without a clerk, ``handler_title`` for ChucDanh.
    """
    code = str(dossier.get("code") or "")
    out: list[dict[str, Any]] = []
    for i, e in enumerate(_events(dossier)):
        record = {
            "MaHoSo": code,
            "NguoiXuLy": _cut(str(e.get("clerk") or options.counter_staff), HANDLER_MAX),
            "ChucDanh": options.handler_title,
            "ThoiDiemXuLy": dvc_time(e.get("at")),
            "PhongBanXuLy": unit_name,
            "NoiDungXuLy": _action_text(e),
            "TrangThai": str(int(e.get("status_after") or 0)),
            "NgayBatDau": dvc_time(e.get("at")),
            "NgayKetThucTheoQuyDinh": dvc_time(e.get("due_after")),  # the promise in force after this step
        }
        validate_progress_record(record, f"[{code}][{i}]")
        out.append(record)
    return out


# -- transport -------------------------------------------------------------------------------------------
class DvcRejected(MotcuaError):
    """The portal answered and refused (error_code ≠ 0): sending the same data again will not help.

    Attributes:
        error_code: the portal's code, as a string.
        service: the service called ("login" for the login itself).
    """

    def __init__(self, message: str, error_code: str, service: str) -> None:
        super().__init__(message)
        self.error_code = error_code
        self.service = service


_SESSION_WORDS = ("session", "phien")
_EXPIRED_WORDS = ("het han", "khong hop le", "expired", "invalid")


class DvcClient:
    """The portal transport: log in once, push records, log in again once if the session has expired.

    Args:
        base_url: the adapter URL, "https://api.province.gov.vn" or "http://10.0.0.5:8765" (a path prefix is kept).
        auth_path: the login endpoint, e.g. "/api/v1/dvc/auth".
        integration_path: the integration endpoint, e.g. "/api/v1/dvc/integration".
        username, password: the account the province issued.
        madonvi: this unit's code as the portal knows it (usually its mã định danh, "000.25.38.H38").
        timeout: seconds to connect and for each read.
        headers: extra headers on every request (a gateway's ``dstcode``, ``Authorization: Bearer …``).
        tls: how to trust an https portal (default: the system's CAs; a CA file or a pinned certificate).
        session_error_codes: error codes meaning "log in again" (besides HTTP 401/403 and a message saying the
            session expired); "401" is what :mod:`motcua.server.dvc_api` answers.

    Raises (from every call):
        ConnectionError: no complete answer, an HTTP 5xx or an unreadable answer — retry later.
        DvcRejected: the portal refused (wrong login, invalid record, unknown procedure) — do not retry as is.
        DvcFormatError: a record failed the national format before anything was sent.
    """

    def __init__(
        self,
        base_url: str,
        *,
        auth_path: str,
        integration_path: str,
        username: str,
        password: str,
        madonvi: str,
        timeout: float = 10.0,
        headers: Mapping[str, str] | None = None,
        session_error_codes: Iterable[str] = (str(ERROR_SESSION),),
        tls: Tls | None = None,
    ) -> None:
        self._http = HttpPool(base_url, {"Accept": "application/json", **(headers or {})}, timeout, tls)
        self.auth_path = auth_path
        self.integration_path = integration_path
        self.madonvi = madonvi
        self._username = username
        self._password = password
        self._session_codes = frozenset(session_error_codes)
        self._session: str | None = None
        self._lock = threading.Lock()

    # -- calls ---------------------------------------------------------------------------------------------
    def login(self) -> str:
        """Log in and keep the session; returns it."""
        status, body = self._post(self.auth_path, {"username": self._username, "password": self._password})
        answer = _answer(DvcAuthResponse, body)
        if answer is None or status >= 400 or not answer.ok or not answer.session:
            code = answer.code if answer is not None else f"HTTP {status}"
            log.warning("DVC login refused for unit %s: error_code=%s", self.madonvi, code)
            message = answer.message if answer is not None and answer.message else f"HTTP {status}"
            raise DvcRejected(tr("Cổng dịch vụ công từ chối đăng nhập: {message}", message=message), code, "login")
        with self._lock:
            self._session = answer.session
        return answer.session

    def push_dossiers(self, records: Sequence[Mapping[str, Any]], updating: bool = False) -> DvcResponse:
        """Send ``HoSoDongBoDVC`` records (service DongBoHoSoMC); ``updating`` for records sent before."""
        _check_all(records, validate_dossier_record)
        return self._integrate(SERVICE_DOSSIERS, records, updating)

    def push_progress(self, records: Sequence[Mapping[str, Any]]) -> DvcResponse:
        """Send ``QuaTrinhXuLyDongBoDVC`` records (service CapNhatTienDoHoSoMC)."""
        _check_all(records, validate_progress_record)
        return self._integrate(SERVICE_PROGRESS, records, False)

    def close(self) -> None:
        self._http.close()

    # -- internals -----------------------------------------------------------------------------------------
    def _integrate(self, service: str, records: Sequence[Mapping[str, Any]], updating: bool) -> DvcResponse:
        codes = [str(r.get("MaHoSo", "")) for r in records]  # codes only in logs: never names or ID numbers
        if not records:
            return DvcResponse(error_code=0, message="")
        with self._lock:
            session = self._session
        if session is None:
            session = self.login()
        status, answer = self._send(session, service, records, updating)
        if self._expired(status, answer):
            log.info("DVC session expired for unit %s; logging in again", self.madonvi)
            status, answer = self._send(self.login(), service, records, updating)
        if answer is None or status >= 400 or not answer.ok:
            code = answer.code if answer is not None else f"HTTP {status}"
            log.warning("DVC %s refused %d record(s) %s: error_code=%s", service, len(records), codes, code)
            message = answer.message if answer is not None and answer.message else f"HTTP {status}"
            raise DvcRejected(tr("Cổng dịch vụ công từ chối dữ liệu: {message}", message=message), code, service)
        log.info("DVC %s accepted %d record(s) %s", service, len(records), codes)
        return answer

    def _send(
        self, session: str, service: str, records: Sequence[Mapping[str, Any]], updating: bool
    ) -> tuple[int, DvcResponse | None]:
        body = {
            "session": session,
            "madonvi": self.madonvi,
            "service": service,
            "isUpdating": updating,
            "data": list(records),
        }
        status, raw = self._post(self.integration_path, body)
        return status, _answer(DvcResponse, raw)

    def _expired(self, status: int, answer: DvcResponse | None) -> bool:
        if status in (401, 403):
            return True
        if answer is None or answer.ok:
            return False
        if answer.code in self._session_codes:
            return True
        words = fold(answer.message)
        return any(w in words for w in _SESSION_WORDS) and any(w in words for w in _EXPIRED_WORDS)

    def _post(self, path: str, body: Mapping[str, Any]) -> tuple[int, Any]:
        """POST JSON; transport failures, 5xx and unreadable 2xx answers become ``ConnectionError``."""
        try:
            r = self._http.request("POST", path, body=body)
        except TransportError as exc:
            raise ConnectionError(tr("Không kết nối được cổng dịch vụ công: {error}", error=exc)) from exc
        if r.status >= 500:
            raise ConnectionError(tr("Cổng dịch vụ công đang lỗi (HTTP {status})", status=r.status))
        try:
            data = r.json()
        except (ValueError, UnicodeDecodeError):
            data = None
        if r.status < 300 and not isinstance(data, dict):
            # A gateway's HTML maintenance page or a cut-off body: the portal itself has not answered yet.
            raise ConnectionError(tr("Cổng dịch vụ công trả lời không đọc được (HTTP {status})", status=r.status))
        return r.status, data


def _answer(model: type[_R], raw: Any) -> _R | None:
    """The portal's answer, or None when it is not the documented shape."""
    if not isinstance(raw, dict):
        return None
    try:
        return model.model_validate(raw)
    except PydanticValidationError:
        return None


def _check_all(records: Sequence[Mapping[str, Any]], validate: Callable[[Mapping[str, Any], str], Any]) -> None:
    """Every bad field of every record in one error, before anything is sent."""
    problems: list[str] = []
    for i, r in enumerate(records):
        try:
            validate(r, f"data[{i}]")
        except DvcFormatError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DvcFormatError(problems)
