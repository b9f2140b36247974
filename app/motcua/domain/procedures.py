"""The administrative-procedure catalog (thủ tục hành chính) as the counter needs it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from motcua.domain.errors import ValidationError
from motcua.i18n import tr

# National code "1.001193"; localised "2.000286.000.00.00.H38"; online variants add ".02".
PROCEDURE_CODE = re.compile(r"^\d\.\d{6}(\.\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}(\.\d{2})?)?$")


class Level(StrEnum):
    PROVINCE = "province"
    COMMUNE = "commune"
    CENTRAL = "central"


class TimeUnit(StrEnum):
    WORKING_DAYS = "working_days"
    HOURS = "working_hours"
    SAME_DAY = "same_day"  # done the same day; received after the cut-off → next working day
    CALENDAR_DAYS = "calendar_days"


class Channel(StrEnum):
    """KenhThucHien in the national sync format: 1 direct, 2 online, 3 public postal service."""

    DIRECT = "1"
    ONLINE = "2"
    POSTAL = "3"


@dataclass(frozen=True, slots=True)
class Component:
    """A document component (thành phần hồ sơ) and how many copies of each kind are expected."""

    code: str
    name: str
    originals: int = 0
    certified_copies: int = 0
    photocopies: int = 0
    required: bool = True
    must_digitize: bool = False


class FeeBasis(StrEnum):
    """What a fee is counted on."""

    DOSSIER = "dossier"  # once per dossier
    COPY = "copy"  # per copy (bản) requested
    PAGE = "page"  # per page of each copy (chứng thực: per page, a lower rate from some page on, a cap per copy)


@dataclass(frozen=True, slots=True)
class Fee:
    """A fee or charge (phí, lệ phí) of a procedure.

    Attributes:
        amount_vnd: the amount per dossier, copy or page (``per``).
        next_amount_vnd, tier_from: from page ``tier_from`` on, each page costs ``next_amount_vnd`` instead
            (0 / 0: no second tier).
        cap_vnd: the most one copy may cost (0: no cap).
    """

    name: str
    amount_vnd: int
    note: str = ""
    per: FeeBasis = FeeBasis.DOSSIER
    next_amount_vnd: int = 0
    tier_from: int = 0
    cap_vnd: int = 0


class Territory(StrEnum):
    """What, if anything, decides which agency is competent (reception itself is never territorial since 2025).

    The clerk records the place (``place``); the address on the citizen's ID card is never a reason to refuse.
    """

    NONE = ""  # no place matters
    RESIDENCE = "residence"  # the (new) place of residence: thường trú, tạm trú
    LOCATION = "location"  # where the land or the works are
    APPLICANT_RESIDENCE = "applicant_residence"  # the applicant's residence, where the law says so

    @property
    def label(self) -> str:
        return tr(
            {
                "": "Không phụ thuộc địa bàn",
                "residence": "Nơi cư trú (mới) của người đăng ký",
                "location": "Nơi có đất, công trình",
                "applicant_residence": "Nơi cư trú của người nộp hồ sơ",
            }[self.value]
        )


@dataclass(frozen=True, slots=True)
class ProcessingTime:
    """How long the procedure may take. ``amount`` is in ``unit``; ``cutoff`` applies to SAME_DAY."""

    amount: float
    unit: TimeUnit
    cutoff: str = ""  # empty: the centre's default cut-off (calendar setting same_day_cutoff)
    skip_holidays: bool = True  # for CALENDAR_DAYS: whether holidays are skipped too

    def describe(self) -> str:
        """The phrase printed on Mẫu 01: "05 ngày làm việc", "Trong ngày (sau 15:00 trả ngày làm việc tiếp theo)"."""
        n = f"{self.amount:g}" if self.amount != int(self.amount) else f"{int(self.amount):02d}"
        if self.unit is TimeUnit.WORKING_DAYS:
            return tr("{n} ngày làm việc", n=n)
        if self.unit is TimeUnit.HOURS:
            return tr("{n} giờ làm việc", n=n)
        if self.unit is TimeUnit.CALENDAR_DAYS:
            return tr("{n} ngày", n=n)
        return tr("Trong ngày (nhận sau {cutoff} trả vào ngày làm việc tiếp theo)", cutoff=self.cutoff or "15:00")


@dataclass(frozen=True, slots=True)
class Procedure:
    code: str
    name: str
    sector: str
    level: Level
    agency: str
    statutory_time: ProcessingTime
    local_time: ProcessingTime | None = None
    fees: tuple[Fee, ...] = ()
    components: tuple[Component, ...] = ()
    channels: tuple[Channel, ...] = (Channel.DIRECT,)
    service_level: int = 2  # MucDo: 2 information only, 3 partly online, 4 fully online
    territory: Territory = Territory.NONE
    payment_pauses_clock: bool = False  # waiting for the citizen to pay stops the processing clock
    active: bool = True
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def processing_time(self) -> ProcessingTime:
        """The time the citizen is promised: the locally reduced time where one is published."""
        return self.local_time or self.statutory_time

    @property
    def total_fee_vnd(self) -> int:
        """The fees of one dossier of one copy of one page (the catalog's headline figure)."""
        return sum(f.amount_vnd for f in self.fees)

    @property
    def any_territory(self) -> bool:
        return self.territory is Territory.NONE

    def validate(self) -> None:
        if not PROCEDURE_CODE.match(self.code):
            raise ValidationError(tr("Mã thủ tục không hợp lệ: {code}", code=self.code), "code")
        if not self.name.strip():
            raise ValidationError(tr("Thiếu tên thủ tục"), "name")
        for t in (self.statutory_time, self.local_time):
            if t is not None and t.amount < 0:
                raise ValidationError(tr("Thời gian giải quyết không được âm"), "statutory_time")
        if self.local_time and _days(self.local_time) > _days(self.statutory_time):
            raise ValidationError(
                tr("Thời gian cắt giảm dài hơn thời gian theo quy định ({code})", code=self.code),
                "local_time",
            )
        names = [c.code for c in self.components]
        if len(names) != len(set(names)):
            raise ValidationError(tr("Trùng mã thành phần hồ sơ ({code})", code=self.code), "components")


def _days(t: ProcessingTime) -> float:
    if t.unit is TimeUnit.HOURS:
        return t.amount / 8
    if t.unit is TimeUnit.SAME_DAY:
        return 0
    return t.amount
