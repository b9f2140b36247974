"""The national sync shapes (Cổng DVCQG / provincial one-stop systems), validated with pydantic.

Field names are exactly the portal's (``MaHoSo``, ``TrangThaiHoSo``, …), hence the PascalCase attributes. The
same models check what this centre sends (:mod:`motcua.sync.dvc`) and what a province server receives
(:mod:`motcua.server.dvc_api`), so both ends agree on one definition.

Conventions, following the portals (OpenCPS, the Thanh Hóa system) rather than guessing stricter ones:

* codes travel as strings (``"2"``); an integer is accepted and turned into its string, because some senders
  serialise numbers;
* dates are ``yyyyMMddHHmmss`` strings (14 digits, a real date); an optional date may be ``""`` or ``null``;
* a required field must be present; free-text fields may be empty (``Email``, ``TenLinhVuc``), identifying ones
  (``MaHoSo``, ``MaTTHC``, ``NgayTiepNhan``, the status and channel codes) may not;
* unknown keys are kept (``extra="allow"``): real portals add fields over time;
* the Decision 766 fields (``NoiNopHoSo``, ``HoSoCoThanhPhanSoHoa``, ``TaiKhoanDuocXacThucVoiVNeID``,
  ``DuocThanhToanTrucTuyen``, ``NgayTuChoi``, ``DinhDanhCHS``, ``NgayNopHoSo``, ``DSKetNoiCSDL``) are optional:
  they came after the OpenCPS list, and older senders leave them out.

Every problem is reported as a readable sentence naming the field (``data[0].NgayTiepNhan: …``), because the
province server sends it back to whoever posted the record.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, Final, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError

from motcua.domain.codes import DOSSIER_CODE, parse_dossier_code
from motcua.domain.errors import ValidationError
from motcua.i18n import tr

SERVICE_DOSSIERS: Final = "DongBoHoSoMC"
SERVICE_PROGRESS: Final = "CapNhatTienDoHoSoMC"

# Answer codes of the province server (motcua.server.dvc_api); 0 is the portals' "OK", the others are ours.
ERROR_OK = 0
ERROR_INVALID = 1  # the request or a record does not validate
ERROR_REFUSED = 2  # valid, but the province refused it (accept() raised)
ERROR_LOGIN = 3  # wrong user name or password
ERROR_SESSION = 401  # session unknown or expired: log in again

DATE_FORMAT = "%Y%m%d%H%M%S"
MAX_LISTED_PROBLEMS = 10

_M = TypeVar("_M", bound=BaseModel)


# -- field types -----------------------------------------------------------------------------------------
def _code_text(value: Any) -> Any:
    """Integers become strings (some senders serialise codes as numbers); strings lose surrounding spaces."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        return value.strip()
    return value


def _none_to_empty(value: Any) -> Any:
    return "" if value is None else value


def _none_to_list(value: Any) -> Any:
    return [] if value is None else value


def _non_empty(value: str) -> str:
    if not value.strip():
        raise ValueError(tr("không được để trống"))
    return value


def _date(value: str) -> str:
    if not value:
        raise ValueError(tr("không được để trống"))
    return _optional_date(value) or value


def _optional_date(value: str | None) -> str | None:
    if not value:
        return value
    bad = tr("không phải ngày giờ dạng yyyyMMddHHmmss: {value}", value=value[:40])
    if len(value) != 14 or not value.isdigit():
        raise ValueError(bad)
    try:
        datetime.strptime(value, DATE_FORMAT)
    except ValueError:
        raise ValueError(bad) from None
    return value


def _in_range(low: int, high: int, message: Callable[[str], str]) -> Callable[[str], str]:
    """A check that a code is a whole number in [low, high]; ``message(value)`` explains a refusal."""

    def check(value: str) -> str:
        if not value.isdigit() or not low <= int(value) <= high:
            raise ValueError(message(value[:20]))
        return value

    return check


def _dossier_code(value: str) -> str:
    bad = tr("không đúng dạng mã hồ sơ 000.00.00.H38-yyMMdd-NNNN: {value}", value=value[:60])
    if not DOSSIER_CODE.match(value):
        raise ValueError(bad)
    try:
        parse_dossier_code(value)  # also checks that yyMMdd is a real day
    except ValidationError:
        raise ValueError(bad) from None
    return value


Text = Annotated[str, BeforeValidator(_none_to_empty)]
Required = Annotated[str, BeforeValidator(_code_text), AfterValidator(_non_empty)]
Code = Annotated[str, BeforeValidator(_code_text)]
OptCode = Annotated[str | None, BeforeValidator(_code_text)]
Date = Annotated[str, BeforeValidator(_code_text), AfterValidator(_date)]
OptDate = Annotated[str | None, BeforeValidator(_code_text), AfterValidator(_optional_date)]
DossierCode = Annotated[str, BeforeValidator(_code_text), AfterValidator(_dossier_code)]
StatusCode = Annotated[
    str,
    BeforeValidator(_code_text),
    AfterValidator(_in_range(0, 10, lambda v: tr("trạng thái hồ sơ phải từ 0 đến 10: {value}", value=v))),
]
ChannelCode = Annotated[
    str,
    BeforeValidator(_code_text),
    AfterValidator(_in_range(1, 3, lambda v: tr("kênh thực hiện phải là 1, 2 hoặc 3: {value}", value=v))),
]
SubjectCode = Annotated[
    str,
    BeforeValidator(_code_text),
    AfterValidator(_in_range(1, 4, lambda v: tr("loại đối tượng phải từ 1 đến 4: {value}", value=v))),
]
_check_flag = _in_range(0, 1, lambda v: tr("phải là 0 hoặc 1: {value}", value=v))
FlagCode = Annotated[str | None, BeforeValidator(_code_text), AfterValidator(lambda v: _check_flag(v) if v else v)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow")


# -- the dossier record and its lists --------------------------------------------------------------------
class TepDinhKem(_Model):
    """One submitted file (``TaiLieuNop[]``): a digitized component of the dossier."""

    TenTepDinhKem: Text
    TepDinhKemId: OptCode = None
    IsDeleted: OptCode = None
    MaThanhPhanHoSo: OptCode = None
    DuongDanTaiTepTin: str | None = None
    DuocSoHoa: OptCode = None
    DuocTaiSuDung: OptCode = None  # "0"/"1", TD also sends "2"
    DuocLayTuKhoDMQG: OptCode = None
    MaKetQuaThayThe: OptCode = None


class LePhi(_Model):
    """A fee or charge (``DanhSachLePhi[]``)."""

    TenPhiLePhi: Text
    MaPhiLePhi: OptCode = None
    HinhThucThu: OptCode = None
    Gia: float | int = Field(ge=0)  # float first: a bad value then reads "must be a number"
    LoaiPhiLePhi: OptCode = None


class TepDinhKemKhac(_Model):
    """Another paper handed over (``DanhSachTepDinhKemKhac[]``)."""

    TenGiayTo: Text
    SoLuong: int = Field(default=1, ge=0)
    LoaiGiayTo: OptCode = None


class HoSoBoSung(_Model):
    """One supplement request and, once the citizen brought it, its reception (``DanhSachHoSoBoSung[]``)."""

    HoSoBoSungId: Required
    NguoiYeuCauBoSung: str | None = None
    NoiDungBoSung: str | None = None
    NgayBoSung: OptDate = None
    NguoiTiepNhanBoSung: str | None = None
    ThongTinTiepNhan: str | None = None
    NgayTiepNhanBoSung: OptDate = None
    TrangThaiBoSung: OptCode = None
    DanhSachGiayToBoSung: list[Any] | str | None = None  # a list in some systems, a string in others
    DanhSachLePhiBoSung: list[Any] | str | None = None
    NgayHenTraTruoc: OptDate = None
    NgayHenTraMoi: OptDate = None


class GiayToKetQua(_Model):
    """A result document (``DanhSachGiayToKetQua[]``)."""

    TenGiayTo: Text
    MaThanhPhanHoSo: OptCode = None
    GiayToId: OptCode = None
    DuongDanTepTinKetQua: str | None = None
    MaGiayToKetQua: OptCode = None


class DinhDanhCHS(_Model):
    """An identifier of the dossier owner (``DinhDanhCHS[]``); the meaning of ``LoaiDinhDanh`` is not published."""

    LoaiDinhDanh: Required
    SoDinhDanh: Required


class KetNoiCSDL(_Model):
    """A national database the dossier was checked against (``DSKetNoiCSDL[]``); code meanings not published."""

    MaCSDL: Required


# A portal may send ``null`` for an empty list.
TaiLieuNopList = Annotated[list[TepDinhKem], BeforeValidator(_none_to_list)]
LePhiList = Annotated[list[LePhi], BeforeValidator(_none_to_list)]
TepDinhKemKhacList = Annotated[list[TepDinhKemKhac], BeforeValidator(_none_to_list)]
HoSoBoSungList = Annotated[list[HoSoBoSung], BeforeValidator(_none_to_list)]
GiayToKetQuaList = Annotated[list[GiayToKetQua], BeforeValidator(_none_to_list)]
DinhDanhCHSList = Annotated[list[DinhDanhCHS], BeforeValidator(_none_to_list)]
KetNoiCSDLList = Annotated[list[KetNoiCSDL], BeforeValidator(_none_to_list)]


class HoSoDongBoDVC(_Model):
    """One dossier as pushed with service ``DongBoHoSoMC``."""

    MaHoSo: DossierCode
    MaTTHC: Required
    TenTTHC: Text
    MaLinhVuc: Text
    TenLinhVuc: Text
    KenhThucHien: ChannelCode
    SoGiayToChuHoSo: Text
    ChuHoSo: str | None = None
    LoaiDoiTuong: SubjectCode
    MaDoiTuong: str | None = None
    ThongTinKhac: str | None = None
    Email: Text
    Fax: str | None = None
    SoDienThoai: Text
    TrichYeuHoSo: Text
    NgayTiepNhan: Date
    NgayHenTra: OptDate  # present, but empty for a procedure with no fixed time
    TrangThaiHoSo: StatusCode
    NgayTra: OptDate = None
    ThongTinTra: str | None = None
    HinhThuc: Code
    NgayKetThucXuLy: OptDate = None
    DonViXuLy: Text
    GhiChu: str | None = None
    TaiLieuNop: TaiLieuNopList = []
    DanhSachLePhi: LePhiList = []
    DanhSachTepDinhKemKhac: TepDinhKemKhacList = []
    DanhSachHoSoBoSung: HoSoBoSungList = []
    DanhSachGiayToKetQua: GiayToKetQuaList = []
    NoiNopHoSo: OptCode = None
    HoSoCoThanhPhanSoHoa: FlagCode = None
    TaiKhoanDuocXacThucVoiVNeID: FlagCode = None
    DuocThanhToanTrucTuyen: OptCode = None
    NgayTuChoi: OptDate = None
    DinhDanhCHS: DinhDanhCHSList = []
    NgayNopHoSo: OptDate = None
    DSKetNoiCSDL: KetNoiCSDLList = []


class QuaTrinhXuLyDongBoDVC(_Model):
    """One processing step as pushed with service ``CapNhatTienDoHoSoMC`` (OpenCPS marks the last four optional)."""

    MaHoSo: DossierCode
    NguoiXuLy: Required
    ThoiDiemXuLy: Date
    NoiDungXuLy: Text
    TrangThai: StatusCode
    ChucDanh: str | None = None
    PhongBanXuLy: str | None = None
    NgayBatDau: OptDate = None
    NgayKetThucTheoQuyDinh: OptDate = None


# -- transport -------------------------------------------------------------------------------------------
class DvcAuthRequest(_Model):
    username: Required
    password: Required


class DvcResponse(_Model):
    """The portal's answer ``{"error_code", "message"}``; ``0``, ``"0"`` and ``"00"`` all mean success."""

    error_code: int | str  # required: an answer without it is not the portal's (a wrong path, a proxy page)
    message: Text = ""

    @property
    def ok(self) -> bool:
        code = str(self.error_code).strip()
        return code.lstrip("-").isdigit() and int(code) == 0

    @property
    def code(self) -> str:
        return str(self.error_code).strip()


class DvcAuthResponse(DvcResponse):
    session: Text = ""


class DvcIntegrationRequest(_Model):
    """``{"session", "madonvi", "service", "isUpdating", "data": [...]}``; ``data`` is typed by the subclasses."""

    session: Required
    madonvi: Required
    service: Required
    isUpdating: bool = False  # OpenCPS sends a JSON boolean or the strings "True"/"False"; both parse
    data: list[Any] = Field(min_length=1)


class DvcDossierPush(DvcIntegrationRequest):
    service: Literal["DongBoHoSoMC"] = SERVICE_DOSSIERS
    data: list[HoSoDongBoDVC] = Field(min_length=1)


class DvcProgressPush(DvcIntegrationRequest):
    service: Literal["CapNhatTienDoHoSoMC"] = SERVICE_PROGRESS
    data: list[QuaTrinhXuLyDongBoDVC] = Field(min_length=1)


REQUEST_MODELS: dict[str, type[DvcIntegrationRequest]] = {
    SERVICE_DOSSIERS: DvcDossierPush,
    SERVICE_PROGRESS: DvcProgressPush,
}


# -- readable errors -------------------------------------------------------------------------------------
class DvcFormatError(ValidationError):
    """Data that does not follow the national format; ``problems`` lists one ``"field: reason"`` per problem."""

    def __init__(self, problems: list[str]) -> None:
        shown = problems[:MAX_LISTED_PROBLEMS]
        text = "; ".join(shown)
        if len(problems) > len(shown):
            text += " " + tr("(và {count} lỗi khác)", count=len(problems) - len(shown))
        super().__init__(tr("Dữ liệu không đúng định dạng đồng bộ: {problems}", problems=text), "data")
        self.problems = problems


def _reason(error: Any) -> str:
    kind = error.get("type", "")
    if kind in ("value_error", "assertion_error"):
        return str(error.get("ctx", {}).get("error", error.get("msg", "")))
    if kind == "missing":
        return tr("thiếu trường bắt buộc")
    if kind == "string_type":
        return tr("phải là chuỗi ký tự")
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return tr("phải là số nguyên")
    if kind in ("float_type", "float_parsing"):
        return tr("phải là số")
    if kind in ("bool_type", "bool_parsing"):
        return tr("phải là true hoặc false")
    if kind == "list_type":
        return tr("phải là danh sách")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return tr("phải là một đối tượng JSON")
    if kind in ("greater_than_equal", "greater_than"):
        return tr("không được âm")
    if kind == "too_short":
        return tr("không được để trống")
    if kind == "literal_error":
        return tr("giá trị không được chấp nhận: {value}", value=str(error.get("input", ""))[:40])
    if kind == "union_type":  # a value matching no member (e.g. a number where a list or text is expected)
        return tr("kiểu dữ liệu không đúng")
    return str(error.get("msg", kind))


_UNION_MEMBERS = frozenset({"str", "int", "float", "bool", "none"})


def _where(loc: tuple[Any, ...], prefix: str) -> str:
    text = prefix
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif str(part) not in _UNION_MEMBERS and "[" not in str(part):
            # pydantic adds union members (``str``, ``list[any]``, ``function-after[…]``) to the location;
            # field names never contain brackets, so the path the sender knows is what remains
            text += ("." if text else "") + str(part)
    return text or tr("nội dung yêu cầu")


def describe(exc: PydanticValidationError, prefix: str = "") -> list[str]:
    """One readable ``"data[0].NgayTiepNhan: reason"`` per bad field (a union's alternatives give the first)."""
    by_field: dict[str, str] = {}
    for error in exc.errors(include_url=False):
        by_field.setdefault(_where(tuple(error["loc"]), prefix), _reason(error))
    return [f"{where}: {reason}" for where, reason in by_field.items()]


def _validate(model: type[_M], data: Any, prefix: str = "") -> _M:
    try:
        return model.model_validate(data)
    except PydanticValidationError as exc:
        raise DvcFormatError(describe(exc, prefix)) from None


def validate_dossier_record(data: Any, prefix: str = "") -> HoSoDongBoDVC:
    """Check one ``HoSoDongBoDVC``; raises :class:`DvcFormatError` naming every bad field."""
    return _validate(HoSoDongBoDVC, data, prefix)


def validate_progress_record(data: Any, prefix: str = "") -> QuaTrinhXuLyDongBoDVC:
    """Check one ``QuaTrinhXuLyDongBoDVC``; raises :class:`DvcFormatError` naming every bad field."""
    return _validate(QuaTrinhXuLyDongBoDVC, data, prefix)


def parse_auth_request(data: Any) -> DvcAuthRequest:
    return _validate(DvcAuthRequest, data)


def parse_integration_request(data: Any) -> DvcIntegrationRequest:
    """Check an integration request, its ``data`` according to its ``service``.

    Returns:
        A :class:`DvcDossierPush` or a :class:`DvcProgressPush`.

    Raises:
        DvcFormatError: the envelope or a record is invalid, or the service is not one this server takes.
    """
    envelope = _validate(DvcIntegrationRequest, data)
    model = REQUEST_MODELS.get(envelope.service)
    if model is None:
        raise DvcFormatError(
            [
                "service: "
                + tr(
                    "dịch vụ không được hỗ trợ: {value} (chỉ nhận {services})",
                    value=envelope.service[:40],
                    services=", ".join(REQUEST_MODELS),
                )
            ]
        )
    return _validate(model, data)
