"""Dossier codes ``{agency id}-{yyMMdd}-{NNNN}`` and agency identifiers (QĐ 20/2020, QCVN 102:2016)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from motcua.domain.errors import ValidationError
from motcua.i18n import tr

AGENCY_ID = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$")
DOSSIER_CODE = re.compile(r"^(?P<agency>\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2})-(?P<day>\d{6})-(?P<seq>\d{4,6})$")
MAX_SEQUENCE = 9999  # four digits as printed nationally; the format widens only if a centre ever needs it


def check_agency_id(agency_id: str) -> str:
    a = agency_id.strip().upper()
    if not AGENCY_ID.match(a):
        raise ValidationError(
            tr("Mã định danh cơ quan không hợp lệ: {value} (dạng 000.00.00.H38)", value=agency_id), "agency_id"
        )
    return a


def format_dossier_code(agency_id: str, day: date, seq: int) -> str:
    if not 1 <= seq <= MAX_SEQUENCE:
        raise ValidationError(tr("Số thứ tự hồ sơ trong ngày vượt giới hạn {max}", max=MAX_SEQUENCE))
    return f"{check_agency_id(agency_id)}-{day:%y%m%d}-{seq:04d}"


@dataclass(frozen=True, slots=True)
class DossierCode:
    agency_id: str
    day: date
    seq: int

    def __str__(self) -> str:
        return format_dossier_code(self.agency_id, self.day, self.seq)


def parse_dossier_code(text: str) -> DossierCode:
    """Parse a code typed or scanned (a Code 39 reader may add ``*`` guards, a wedge may add spaces)."""
    t = text.strip().strip("*").strip().upper()
    m = DOSSIER_CODE.match(t)
    if not m:
        raise ValidationError(tr("Không phải mã hồ sơ hợp lệ: {value}", value=text), "code")
    d = m["day"]
    try:
        day = date(2000 + int(d[:2]), int(d[2:4]), int(d[4:]))
    except ValueError:
        raise ValidationError(tr("Không phải mã hồ sơ hợp lệ: {value}", value=text), "code") from None
    return DossierCode(m["agency"], day, int(m["seq"]))


def looks_like_dossier_code(text: str) -> bool:
    return DOSSIER_CODE.match(text.strip().strip("*").strip().upper()) is not None
