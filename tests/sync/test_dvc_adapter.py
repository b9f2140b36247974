"""The national sync adapter: mapping a real dossier's life to DongBoHoSoMC records, the format checks, and the
portal transport end to end against a real province server on a loopback port (no HTTP mocks)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI

from motcua.domain.cccd import parse_cccd
from motcua.domain.dossier import ReceivedComponent
from motcua.domain.errors import MotcuaError
from motcua.domain.procedures import Channel
from motcua.domain.status import Action
from motcua.i18n import set_language
from motcua.server.dvc_api import dvc_router
from motcua.server.run import bind
from motcua.services.reception import ReceiveRequest, ReceptionService
from motcua.store.serialize import dossier_to_dict
from motcua.sync.dvc import DvcClient, DvcOptions, DvcRejected, dossier_progress, dossier_to_dvc, dvc_time
from motcua.sync.dvc_models import (
    DvcDossierPush,
    DvcFormatError,
    DvcIntegrationRequest,
    DvcProgressPush,
    HoSoDongBoDVC,
    validate_dossier_record,
    validate_progress_record,
)
from motcua.sync.http import HttpPool

QR = "051084009698|212163684|Đặng Hồng Bảo|02081984|Nam|Thôn Tân Tiến, Xã Bảo Thắng, Lào Cai|23092024||||"
PROCEDURE = "2.000815"  # Chứng thực bản sao: a fee, two components, same-day
UNIT = "Trung tâm Phục vụ hành chính công xã Bảo Thắng"
SHA = "ab" * 32


def _as_dict(d: Any) -> dict[str, Any]:
    return dossier_to_dict(d, labels=False)


def _map(svc: ReceptionService, code: str, **kw: Any) -> dict[str, Any]:
    record = dossier_to_dvc(_as_dict(svc.get(code)), sector_code="G09-TP03", sector_name="Chứng thực", **kw)
    HoSoDongBoDVC.model_validate(record)  # what the portal would check
    return record


@pytest.fixture
def svc(ctx: Any) -> ReceptionService:
    return ReceptionService(ctx)


def _receive(svc: ReceptionService, **kw: Any) -> Any:
    components = (
        ReceivedComponent("TP1", "Bản chính giấy tờ, văn bản làm cơ sở để chứng thực bản sao", originals=1),
        ReceivedComponent("TP2", "Bản sao cần chứng thực", photocopies=3),
    )
    return svc.receive(ReceiveRequest(PROCEDURE, parse_cccd(QR).to_applicant(), components, **kw))


# -- mapping -----------------------------------------------------------------------------------------------
def test_a_dossier_maps_at_every_step_of_its_life(svc: ReceptionService, clock: Any) -> None:
    d = _receive(svc)
    first_due = dvc_time(d.due_at)
    docs = [{"dossier": d.code, "component": "TP1", "sha256": SHA, "pages": 2, "reused_from_sha256": None}]

    r = _map(svc, d.code, documents=docs, unit_name=UNIT)
    assert r["MaHoSo"] == d.code == "000.25.38.H38-261123-0001"
    assert (r["MaTTHC"], r["MaLinhVuc"], r["TenLinhVuc"]) == (PROCEDURE, "G09-TP03", "Chứng thực")
    assert r["TenTTHC"].startswith("Chứng thực bản sao từ bản chính")
    assert (r["TrangThaiHoSo"], r["KenhThucHien"], r["LoaiDoiTuong"]) == ("2", "1", "1")
    assert (r["SoGiayToChuHoSo"], r["ChuHoSo"]) == ("051084009698", "Đặng Hồng Bảo")
    assert r["DinhDanhCHS"] == [
        {"LoaiDinhDanh": "1", "SoDinhDanh": "051084009698"},
        {"LoaiDinhDanh": "2", "SoDinhDanh": "212163684"},
    ]
    assert r["NgayTiepNhan"] == r["NgayNopHoSo"] == "20261123093000"
    assert r["NgayHenTra"] == first_due and len(first_due) == 14
    assert r["NgayTra"] == r["NgayKetThucXuLy"] == r["NgayTuChoi"] == ""
    assert r["DonViXuLy"] == UNIT
    assert (r["HinhThuc"], r["ThongTinTra"]) == ("0", "Bộ phận tiếp nhận và trả kết quả")
    # The line charged at the counter, by its own name.
    assert r["DanhSachLePhi"] == [
        {
            "TenPhiLePhi": "Phí chứng thực bản sao từ bản chính",
            "MaPhiLePhi": "1",
            "HinhThucThu": "1",
            "Gia": 2000,
            "LoaiPhiLePhi": "1",
        }
    ]
    tp1, tp2 = r["TaiLieuNop"]
    assert tp1["MaThanhPhanHoSo"] == "TP1" and tp1["TepDinhKemId"] == SHA and tp1["DuocSoHoa"] == "1"
    assert (tp1["SoBanChinh"], tp1["SoTrang"], tp1["DuocTaiSuDung"]) == (1, 2, "0")
    assert tp2 == {
        "TepDinhKemId": "TP2",
        "TenTepDinhKem": "Bản sao cần chứng thực",
        "IsDeleted": "0",
        "MaThanhPhanHoSo": "TP2",
        "DuongDanTaiTepTin": "",
        "DuocSoHoa": "0",
        "DuocTaiSuDung": "0",
        "DuocLayTuKhoDMQG": "0",
        "MaKetQuaThayThe": "",
        "SoBanChinh": 0,
        "SoBanChungThuc": 0,
        "SoBanPhoTo": 3,
    }
    assert r["HoSoCoThanhPhanSoHoa"] == "1"
    assert r["DanhSachHoSoBoSung"] == [] and r["DanhSachGiayToKetQua"] == []
    assert (r["NoiNopHoSo"], r["TaiKhoanDuocXacThucVoiVNeID"], r["DuocThanhToanTrucTuyen"]) == ("2", "0", "0")
    assert r["DSKetNoiCSDL"] == [] and r["MaDoiTuong"] == ""

    clock.set("2026-11-23 10:00")
    svc.act(d.code, Action.REQUEST_SUPPLEMENT, note="Thiếu bản sao giấy khai sinh")
    r = _map(svc, d.code)
    assert r["TrangThaiHoSo"] == "5"  # the national code as it is, not rewritten to 9
    (bs,) = r["DanhSachHoSoBoSung"]
    assert bs["HoSoBoSungId"] == f"{d.code}-BS1"
    assert (bs["NoiDungBoSung"], bs["NgayBoSung"], bs["TrangThaiBoSung"]) == (
        "Thiếu bản sao giấy khai sinh",
        "20261123100000",
        "0",
    )
    assert bs["NgayHenTraTruoc"] == first_due and bs["NgayTiepNhanBoSung"] == bs["NgayHenTraMoi"] == ""

    clock.set("2026-11-26 10:00")
    supplied = svc.act(d.code, Action.SUPPLY, note="Đã nộp bản sao")
    r = _map(svc, d.code)
    assert r["TrangThaiHoSo"] == "4"
    (bs,) = r["DanhSachHoSoBoSung"]
    assert (bs["NgayTiepNhanBoSung"], bs["TrangThaiBoSung"], bs["ThongTinTiepNhan"]) == (
        "20261126100000",
        "1",
        "Đã nộp bản sao",
    )
    assert bs["NgayHenTraMoi"] == dvc_time(supplied.due_at) == r["NgayHenTra"] > first_due

    clock.set("2026-11-26 11:00")
    svc.act(d.code, Action.RESOLVE)
    r = _map(svc, d.code)
    assert (r["TrangThaiHoSo"], r["NgayKetThucXuLy"], r["NgayTra"]) == ("9", "20261126110000", "")

    clock.set("2026-11-26 11:30")
    svc.return_by_scan(f"*{d.code}*")
    r = _map(svc, d.code, documents=[*docs, {"component": "KQ", "sha256": "cd" * 32, "result": True}])
    assert (r["TrangThaiHoSo"], r["NgayKetThucXuLy"], r["NgayTra"]) == ("10", "20261126110000", "20261126113000")
    assert r["DanhSachGiayToKetQua"] == [
        {
            "TenGiayTo": "Kết quả giải quyết",
            "MaThanhPhanHoSo": "KQ",
            "GiayToId": "cd" * 32,
            "DuongDanTepTinKetQua": "",
            "MaGiayToKetQua": "",
        }
    ]

    progress = dossier_progress(_as_dict(svc.get(d.code)), unit_name=UNIT)
    for i, p in enumerate(progress):
        validate_progress_record(p, f"[{i}]")
    assert [p["TrangThai"] for p in progress] == ["2", "5", "4", "9", "10"]
    assert [p["ThoiDiemXuLy"] for p in progress] == [
        "20261123093000",
        "20261123100000",
        "20261126100000",
        "20261126110000",
        "20261126113000",
    ]
    assert progress[0]["NoiDungXuLy"] == "Tiếp nhận"
    assert progress[1]["NoiDungXuLy"] == "Yêu cầu bổ sung: Thiếu bản sao giấy khai sinh"
    assert all(p["MaHoSo"] == d.code and p["PhongBanXuLy"] == UNIT and p["NguoiXuLy"] for p in progress)
    assert progress[2]["NgayKetThucTheoQuyDinh"] == dvc_time(supplied.due_at)


def test_payload_does_not_depend_on_the_screen_language(svc: ReceptionService) -> None:
    d = _receive(svc)
    vi = dossier_progress(_as_dict(svc.get(d.code)))
    set_language("en")
    assert dossier_progress(_as_dict(svc.get(d.code))) == vi
    assert vi[0]["NoiDungXuLy"] == "Tiếp nhận" and vi[0]["NguoiXuLy"]


def test_online_refused_organisation_and_configurable_codes(svc: ReceptionService, clock: Any) -> None:
    d = _receive(svc, channel=Channel.ONLINE, result_delivery="Nhận qua dịch vụ bưu chính công ích")
    clock.set("2026-11-23 09:45")
    svc.act(d.code, Action.REFUSE, note="Giấy tờ không thuộc thẩm quyền chứng thực")
    data = _as_dict(svc.get(d.code))
    r = dossier_to_dvc(data, applicant_account="dvcqg-123")
    assert (r["TrangThaiHoSo"], r["NgayTuChoi"], r["KenhThucHien"]) == ("3", "20261123094500", "2")
    assert (r["MaDoiTuong"], r["HinhThuc"]) == ("dvcqg-123", "1")
    # A counter dossier filed online first is an online dossier all the same.
    direct = {**data, "channel": Channel.DIRECT.value}
    assert dossier_to_dvc(direct, applicant_account="x")["MaDoiTuong"] == ""
    assert dossier_to_dvc(direct, submitted_online=True)["KenhThucHien"] == "2"

    org = {
        **data,
        "applicant": {**data["applicant"], "kind": "2", "name": "Công ty TNHH Ánh Dương", "id_number": "5300123456"},
    }
    r = dossier_to_dvc(org)
    assert (r["LoaiDoiTuong"], r["SoGiayToChuHoSo"], r["DinhDanhCHS"]) == ("2", "5300123456", [])
    options = DvcOptions(
        organisation_kind="4",
        id_kind_tax_code="3",
        database_codes=("7",),
        file_url_template="https://hcc.example.gov.vn/files/{sha256}.pdf",
        component_counts=False,
        extra={"MaDinhDanhDonVi": "000.25.38.H38"},
    )
    r = dossier_to_dvc(org, options=options, documents=[{"component_code": "TP1", "sha256": SHA, "pages": 1}])
    assert (r["LoaiDoiTuong"], r["DinhDanhCHS"]) == ("4", [{"LoaiDinhDanh": "3", "SoDinhDanh": "5300123456"}])
    assert r["DSKetNoiCSDL"] == [{"MaCSDL": "7"}] and r["MaDinhDanhDonVi"] == "000.25.38.H38"
    assert r["TaiLieuNop"][0]["DuongDanTaiTepTin"] == f"https://hcc.example.gov.vn/files/{SHA}.pdf"
    assert "SoBanChinh" not in r["TaiLieuNop"][0]


def test_passport_holder_and_charged_fee_lines(svc: ReceptionService) -> None:
    data = _as_dict(_receive(svc))
    passport = {**data["applicant"], "id_kind": "passport", "id_number": "C1234567", "old_id_number": ""}
    with_passport = {**data, "applicant": passport}
    # A passport number is no personal identification number: it is the owner's paper, but DinhDanhCHS carries
    # it only once the province says which LoaiDinhDanh means a passport.
    r = dossier_to_dvc(with_passport)
    assert (r["SoGiayToChuHoSo"], r["DinhDanhCHS"]) == ("C1234567", [])
    r = dossier_to_dvc(with_passport, options=DvcOptions(id_kind_passport="5"))
    assert r["DinhDanhCHS"] == [{"LoaiDinhDanh": "5", "SoDinhDanh": "C1234567"}]

    charged = {**data, "fees": [{"name": "Phí chứng thực", "per": "page", "quantity": 3, "amount_vnd": 6000}]}
    catalog = [{"name": "Phí chứng thực", "amount_vnd": 2000}]
    assert [(f["TenPhiLePhi"], f["Gia"]) for f in dossier_to_dvc(charged, fees=catalog)["DanhSachLePhi"]] == [
        ("Phí chứng thực", 6000)
    ]


# -- validation ------------------------------------------------------------------------------------------
@pytest.fixture
def record(svc: ReceptionService) -> dict[str, Any]:
    return _map(svc, _receive(svc).code)


def test_bad_dates_statuses_and_codes_are_refused_with_readable_messages(record: dict[str, Any]) -> None:
    bad = {
        **record,
        "NgayTiepNhan": "20261323093000",  # month 13
        "NgayHenTra": "2026-11-23",
        "TrangThaiHoSo": "11",
        "KenhThucHien": 4,
        "LoaiDoiTuong": "5",
        "MaHoSo": "000.25.38.H38-261323-0001",
    }
    del bad["MaTTHC"]
    with pytest.raises(DvcFormatError) as err:
        validate_dossier_record(bad, "data[0]")
    problems = err.value.problems
    assert "data[0].NgayTiepNhan: không phải ngày giờ dạng yyyyMMddHHmmss: 20261323093000" in problems
    assert "data[0].NgayHenTra: không phải ngày giờ dạng yyyyMMddHHmmss: 2026-11-23" in problems
    assert "data[0].TrangThaiHoSo: trạng thái hồ sơ phải từ 0 đến 10: 11" in problems
    assert "data[0].KenhThucHien: kênh thực hiện phải là 1, 2 hoặc 3: 4" in problems
    assert "data[0].LoaiDoiTuong: loại đối tượng phải từ 1 đến 4: 5" in problems
    assert "data[0].MaTTHC: thiếu trường bắt buộc" in problems
    assert any(p.startswith("data[0].MaHoSo: không đúng dạng mã hồ sơ") for p in problems)
    assert len(problems) == 7
    assert str(err.value).startswith("Dữ liệu không đúng định dạng đồng bộ: data[0].")
    assert isinstance(err.value, MotcuaError)

    with pytest.raises(DvcFormatError, match=r"DanhSachLePhi\[0\]\.Gia: phải là số"):
        validate_dossier_record({**record, "DanhSachLePhi": [{"TenPhiLePhi": "Lệ phí", "Gia": "hai nghìn"}]})


def test_portal_variations_are_accepted_and_unknown_keys_kept(record: dict[str, Any]) -> None:
    loose = {
        **record,
        "TrangThaiHoSo": 10,  # a number instead of a string
        "NgayTra": "",
        "NgayKetThucXuLy": None,
        "DanhSachLePhi": None,
        "ChuHoSo": None,
        "TruongMoiCuaCong": {"x": 1},
    }
    for key in ("NoiNopHoSo", "HoSoCoThanhPhanSoHoa", "DinhDanhCHS", "NgayNopHoSo", "DSKetNoiCSDL"):
        del loose[key]  # the Decision 766 fields older senders do not know
    m = validate_dossier_record(loose)
    assert m.TrangThaiHoSo == "10" and m.DanhSachLePhi == []
    assert m.model_dump()["TruongMoiCuaCong"] == {"x": 1}


# -- transport, end to end -------------------------------------------------------------------------------
class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Province:
    url: str
    clock: _Clock
    logins: list[str] = field(default_factory=list)
    accepted: list[tuple[str, DvcIntegrationRequest]] = field(default_factory=list)
    server: uvicorn.Server | None = None
    thread: threading.Thread | None = None

    def stop(self) -> None:
        assert self.server is not None and self.thread is not None
        self.server.should_exit = True
        self.thread.join(10)


@pytest.fixture
def province() -> Iterator[Province]:
    clock = _Clock()
    sock = bind("127.0.0.1", 0)
    p = Province(f"http://127.0.0.1:{sock.getsockname()[1]}", clock)

    def authenticate(user: str, password: str) -> str | None:
        if (user, password) != ("centre-bt", "mat-khau"):
            return None
        p.logins.append(user)
        return f"session-{len(p.logins)}"

    def accept(madonvi: str, request: DvcIntegrationRequest) -> None:
        if isinstance(request, DvcDossierPush):
            if any(r.MaTTHC == "9.999999" for r in request.data):
                raise MotcuaError("Thủ tục 9.999999 chưa có trong danh mục của tỉnh")
            if any(r.MaTTHC == "0.000500" for r in request.data):
                raise RuntimeError("database down")
        p.accepted.append((madonvi, request))

    app = FastAPI()
    app.include_router(dvc_router(authenticate=authenticate, accept=accept, clock=clock))
    # A portal whose sessions never last: the client must give up after one new login.
    app.include_router(dvc_router(authenticate=authenticate, accept=accept, session_ttl=0, clock=clock), prefix="/x")
    config = uvicorn.Config(app, host="127.0.0.1", log_level="critical", access_log=False, lifespan="off")
    p.server = uvicorn.Server(config)
    p.thread = threading.Thread(target=p.server.run, kwargs={"sockets": [sock]}, daemon=True)
    p.thread.start()
    for _ in range(1000):
        if p.server.started:
            break
        threading.Event().wait(0.01)
    assert p.server.started
    yield p
    if p.thread.is_alive():
        p.stop()
    sock.close()


def _client(url: str, password: str = "mat-khau", prefix: str = "") -> DvcClient:
    return DvcClient(
        url,
        auth_path=f"{prefix}/api/v1/dvc/auth",
        integration_path=f"{prefix}/api/v1/dvc/integration",
        username="centre-bt",
        password=password,
        madonvi="000.25.38.H38",
        timeout=5.0,
        headers={"dstcode": "VN:GOV:000.00.00.H38"},
    )


def test_client_pushes_to_a_real_province_server(province: Province, svc: ReceptionService, clock: Any) -> None:
    d = _receive(svc)
    clock.set("2026-11-23 10:00")
    svc.act(d.code, Action.RESOLVE)
    data = _as_dict(svc.get(d.code))
    record = dossier_to_dvc(data, sector_name="Chứng thực")
    progress = dossier_progress(data, unit_name=UNIT)
    client = _client(province.url)
    try:
        answer = client.push_dossiers([record])
        assert answer.ok and "thành công" in answer.message
        client.push_dossiers([record], updating=True)
        client.push_progress(progress)
        assert province.logins == ["centre-bt"]  # one login for the three calls
        (unit, first), (_, again), (_, steps) = province.accepted
        assert unit == "000.25.38.H38"
        assert isinstance(first, DvcDossierPush) and not first.isUpdating and again.isUpdating
        assert first.data[0].MaHoSo == d.code and first.data[0].TrangThaiHoSo == "9"
        assert first.data[0].model_dump(exclude_none=True)["TaiLieuNop"][0]["SoBanChinh"] == 1  # extras kept
        assert isinstance(steps, DvcProgressPush)
        assert [s.TrangThai for s in steps.data] == ["2", "9"]

        # The session expires on the province: the client logs in again, once, and the push goes through.
        province.clock.now += 3600
        client.push_progress(progress)
        assert province.logins == ["centre-bt", "centre-bt"] and len(province.accepted) == 4

        # The province refuses a record: not retryable, with the province's own words.
        with pytest.raises(DvcRejected, match="chưa có trong danh mục của tỉnh") as err:
            client.push_dossiers([{**record, "MaTTHC": "9.999999"}])
        assert (err.value.error_code, err.value.service) == ("2", "DongBoHoSoMC")

        # A record that breaks the format never leaves the centre.
        with pytest.raises(DvcFormatError, match=r"data\[0\]\.NgayTiepNhan"):
            client.push_dossiers([{**record, "NgayTiepNhan": "23/11/2026"}])
        assert len(province.accepted) == 4

        # A province failure (HTTP 500) is a transport problem: retry later.
        with pytest.raises(ConnectionError):
            client.push_dossiers([{**record, "MaTTHC": "0.000500"}])
    finally:
        client.close()


def test_session_is_renewed_only_once_and_bad_logins_are_refused(province: Province, record: dict[str, Any]) -> None:
    never = _client(province.url, prefix="/x")
    with pytest.raises(DvcRejected) as err:
        never.push_dossiers([record])
    assert err.value.error_code == "401" and len(province.logins) == 2
    never.close()

    wrong = _client(province.url, password="sai")
    with pytest.raises(DvcRejected, match="Sai tên đăng nhập hoặc mật khẩu") as err:
        wrong.push_progress(
            [
                {
                    "MaHoSo": record["MaHoSo"],
                    "NguoiXuLy": "A",
                    "ThoiDiemXuLy": record["NgayTiepNhan"],
                    "NoiDungXuLy": "Tiếp nhận",
                    "TrangThai": "2",
                }
            ]
        )
    assert (err.value.error_code, err.value.service) == ("3", "login")
    wrong.close()
    assert province.accepted == []


def test_province_answers_invalid_requests_in_the_portal_convention(province: Province, record: dict[str, Any]) -> None:
    http = HttpPool(province.url, {}, 5.0)
    try:
        r = http.request("POST", "/api/v1/dvc/integration", body={"session": "forged", "data": []})
        assert r.status == 200 and r.json()["error_code"] == 401
        login = http.request("POST", "/api/v1/dvc/auth", body={"username": "centre-bt", "password": "mat-khau"})
        assert login.json()["error_code"] == 0
        session = login.json()["session"]
        bad = {**record, "NgayTiepNhan": "20261123253000", "TrangThaiHoSo": "12"}
        body = {"session": session, "madonvi": "000.25.38.H38", "service": "DongBoHoSoMC", "data": [bad]}
        answer = http.request("POST", "/api/v1/dvc/integration", body=body).json()
        assert answer["error_code"] == 1
        assert "data[0].NgayTiepNhan: không phải ngày giờ dạng yyyyMMddHHmmss: 20261123253000" in answer["message"]
        assert "data[0].TrangThaiHoSo: trạng thái hồ sơ phải từ 0 đến 10: 12" in answer["message"]
        answer = http.request("POST", "/api/v1/dvc/integration", body={**body, "service": "TraCuuHoSo"}).json()
        assert answer["error_code"] == 1 and "TraCuuHoSo" in answer["message"]
        answer = http.request("POST", "/api/v1/dvc/auth", body=b"not json").json()
        assert answer["error_code"] == 1
        # OpenCPS sends isUpdating as the string "True".
        ok = http.request("POST", "/api/v1/dvc/integration", body={**body, "data": [record], "isUpdating": "True"})
        assert ok.json()["error_code"] == 0 and province.accepted[0][1].isUpdating is True
    finally:
        http.close()


def test_a_stopped_province_is_a_connection_error(province: Province, record: dict[str, Any]) -> None:
    client = _client(province.url)
    try:
        client.push_dossiers([record])
        province.stop()
        with pytest.raises(ConnectionError):
            client.push_dossiers([record])
        with pytest.raises(ConnectionError):
            client.login()
    finally:
        client.close()
