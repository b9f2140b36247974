"""A procedure as a JSON-friendly dict and back: the shape of one item of a JSON catalog.

Enums are written as their values (``"commune"``, ``"working_days"``, channels ``["1", "2"]``), times as
``{"amount", "unit", "cutoff", "skip_holidays"}``, fees and components as lists of dicts. Unknown keys inside a
procedure are an error (they are typos far more often than data from the future).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from motcua.domain.catalog_io.validation import checked, parse_channel, parse_level, parse_unit
from motcua.domain.errors import ValidationError
from motcua.domain.procedures import (
    Channel,
    Component,
    Fee,
    FeeBasis,
    Level,
    Procedure,
    ProcessingTime,
    Territory,
    TimeUnit,
)
from motcua.domain.text import nfc
from motcua.i18n import tr

_PROCEDURE_KEYS = frozenset(
    {
        "code",
        "name",
        "sector",
        "level",
        "agency",
        "statutory_time",
        "local_time",
        "fees",
        "components",
        "channels",
        "service_level",
        "any_territory",
        "territory",
        "payment_pauses_clock",
        "active",
        "extra",
    }
)
_TIME_KEYS = frozenset({"amount", "unit", "cutoff", "skip_holidays"})
_FEE_KEYS = frozenset({"name", "amount_vnd", "note", "per", "next_amount_vnd", "tier_from", "cap_vnd"})
_COMPONENT_KEYS = frozenset(
    {"code", "name", "originals", "certified_copies", "photocopies", "required", "must_digitize"}
)


def procedure_to_dict(p: Procedure) -> dict[str, Any]:
    """A JSON-friendly dict of ``p``: enums as values, strings in NFC, every field written out.

    Args:
        p: the procedure.

    Returns:
        A dict that :func:`procedure_from_dict` turns back into an equal procedure.
    """
    return {
        "code": nfc(p.code),
        "name": nfc(p.name),
        "sector": nfc(p.sector),
        "level": p.level.value,
        "agency": nfc(p.agency),
        "statutory_time": _time_to_dict(p.statutory_time),
        "local_time": _time_to_dict(p.local_time) if p.local_time is not None else None,
        "fees": [_fee_to_dict(f) for f in p.fees],
        "components": [
            {
                "code": nfc(c.code),
                "name": nfc(c.name),
                "originals": c.originals,
                "certified_copies": c.certified_copies,
                "photocopies": c.photocopies,
                "required": c.required,
                "must_digitize": c.must_digitize,
            }
            for c in p.components
        ],
        "channels": [c.value for c in p.channels],
        "service_level": p.service_level,
        "territory": p.territory.value,
        "payment_pauses_clock": p.payment_pauses_clock,
        "active": p.active,
        "extra": {nfc(k): nfc(v) for k, v in p.extra.items()},
    }


def procedure_from_dict(d: Mapping[str, Any]) -> Procedure:
    """Build and check a procedure from a dict in the :func:`procedure_to_dict` shape.

    Optional keys may be left out (fees, components, local time, …) and take the dataclass defaults.
    Every string is NFC-normalised; the procedure code is upper-cased.

    Args:
        d: the dict, typically one item of a JSON catalog.

    Returns:
        A procedure that passed :meth:`Procedure.validate` and the catalog checks.

    Raises:
        ValidationError: a missing or mistyped key, an unknown key, or a procedure that fails validation.
    """
    if not isinstance(d, Mapping):
        raise ValidationError(tr("Mục danh mục phải là một đối tượng JSON"))
    _reject_unknown(d, _PROCEDURE_KEYS)
    local = d.get("local_time")
    channels_raw = _get(d, "channels", list, tr("danh sách"), default=None)
    proc = Procedure(
        code=nfc(_get(d, "code", str, tr("chuỗi"))).upper(),
        name=nfc(_get(d, "name", str, tr("chuỗi"))),
        sector=nfc(_get(d, "sector", str, tr("chuỗi"), default="")),
        level=parse_level(_get(d, "level", str, tr("chuỗi"), default=Level.COMMUNE.value)),
        agency=nfc(_get(d, "agency", str, tr("chuỗi"), default="")),
        statutory_time=_time_from_dict(_get(d, "statutory_time", dict, tr("đối tượng")), "statutory_time"),
        local_time=None if local is None else _time_from_dict(local, "local_time"),
        fees=tuple(_fee_from_dict(f) for f in _get(d, "fees", list, tr("danh sách"), default=[])),
        components=tuple(_component_from_dict(c) for c in _get(d, "components", list, tr("danh sách"), default=[])),
        channels=(Channel.DIRECT,) if channels_raw is None else tuple(parse_channel(c) for c in channels_raw),
        service_level=_get(d, "service_level", int, tr("số nguyên"), default=2),
        territory=_territory(d),
        payment_pauses_clock=_get(d, "payment_pauses_clock", bool, "true/false", default=False),
        active=_get(d, "active", bool, "true/false", default=True),
        extra=_extra_from_dict(_get(d, "extra", dict, tr("đối tượng"), default={})),
    )
    return checked(proc)


def _time_to_dict(t: ProcessingTime) -> dict[str, Any]:
    return {
        "amount": number_out(t.amount),
        "unit": t.unit.value,
        "cutoff": t.cutoff,
        "skip_holidays": t.skip_holidays,
    }


def _time_from_dict(d: Any, field: str) -> ProcessingTime:
    if not isinstance(d, Mapping):
        raise _type_error(field, tr("đối tượng"))
    _reject_unknown(d, _TIME_KEYS)
    unit = parse_unit(_get(d, "unit", str, tr("chuỗi")))
    # Same-day work has no amount to speak of; everything else must say how long.
    if unit is TimeUnit.SAME_DAY:
        amount = _get(d, "amount", (int, float), tr("số"), default=0)
    else:
        amount = _get(d, "amount", (int, float), tr("số"))
    return ProcessingTime(
        amount=float(amount),
        unit=unit,
        cutoff=nfc(_get(d, "cutoff", str, tr("chuỗi"), default="")),
        skip_holidays=_get(d, "skip_holidays", bool, "true/false", default=True),
    )


def _territory(d: Mapping[str, Any]) -> Territory:
    """``territory``; a catalog of the earlier format says ``any_territory: false`` instead, which meant "the
    applicant's residence" (and used to refuse other provinces; it no longer refuses anyone)."""
    if "territory" in d:
        value = _get(d, "territory", str, tr("chuỗi"))
        try:
            return Territory(value)
        except ValueError:
            raise ValidationError(
                tr("Địa bàn không hợp lệ: {value} (residence, location, applicant_residence hoặc trống)", value=value),
                "territory",
            ) from None
    legacy = _get(d, "any_territory", bool, "true/false", default=True)
    return Territory.NONE if legacy else Territory.APPLICANT_RESIDENCE


def _fee_to_dict(f: Fee) -> dict[str, Any]:
    out: dict[str, Any] = {"name": nfc(f.name), "amount_vnd": f.amount_vnd, "note": nfc(f.note)}
    if f.per is not FeeBasis.DOSSIER:
        out["per"] = f.per.value
    for key in ("next_amount_vnd", "tier_from", "cap_vnd"):
        if getattr(f, key):
            out[key] = getattr(f, key)
    return out


def _fee_from_dict(d: Any) -> Fee:
    if not isinstance(d, Mapping):
        raise _type_error("fees", tr("đối tượng"))
    _reject_unknown(d, _FEE_KEYS)
    per = _get(d, "per", str, tr("chuỗi"), default=FeeBasis.DOSSIER.value)
    try:
        basis = FeeBasis(per)
    except ValueError:
        raise ValidationError(
            tr("Cách tính phí không hợp lệ: {value} (dossier, copy, page)", value=per), "fees"
        ) from None
    fee = Fee(
        name=nfc(_get(d, "name", str, tr("chuỗi"))),
        amount_vnd=_get(d, "amount_vnd", int, tr("số nguyên")),
        note=nfc(_get(d, "note", str, tr("chuỗi"), default="")),
        per=basis,
        next_amount_vnd=_get(d, "next_amount_vnd", int, tr("số nguyên"), default=0),
        tier_from=_get(d, "tier_from", int, tr("số nguyên"), default=0),
        cap_vnd=_get(d, "cap_vnd", int, tr("số nguyên"), default=0),
    )
    if min(fee.amount_vnd, fee.next_amount_vnd, fee.tier_from, fee.cap_vnd) < 0:
        raise ValidationError(tr("Số tiền phí không được âm"), "fees")
    return fee


def _component_from_dict(d: Any) -> Component:
    if not isinstance(d, Mapping):
        raise _type_error("components", tr("đối tượng"))
    _reject_unknown(d, _COMPONENT_KEYS)
    return Component(
        code=nfc(_get(d, "code", str, tr("chuỗi"))),
        name=nfc(_get(d, "name", str, tr("chuỗi"))),
        originals=_get(d, "originals", int, tr("số nguyên"), default=0),
        certified_copies=_get(d, "certified_copies", int, tr("số nguyên"), default=0),
        photocopies=_get(d, "photocopies", int, tr("số nguyên"), default=0),
        required=_get(d, "required", bool, "true/false", default=True),
        must_digitize=_get(d, "must_digitize", bool, "true/false", default=False),
    )


def _extra_from_dict(d: Mapping[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in d.items():
        if not isinstance(value, str):
            raise _type_error(f"extra.{key}", tr("chuỗi"))
        out[nfc(str(key))] = nfc(value)
    return out


def _get(d: Mapping[str, Any], key: str, types: type | tuple[type, ...], expected: str, **kw: Any) -> Any:
    """``d[key]`` checked against ``types``; ``default=`` makes the key optional (``None`` counts as absent).

    ``bool`` is a subclass of ``int`` in Python, so ``true`` would pass as a number: reject it explicitly.
    """
    if key not in d or d[key] is None:
        if "default" in kw:
            return kw["default"]
        raise ValidationError(tr("Thiếu trường bắt buộc: {field}", field=key), key)
    value = d[key]
    wants_bool = types is bool or (isinstance(types, tuple) and bool in types)
    if not isinstance(value, types) or (isinstance(value, bool) and not wants_bool):
        raise _type_error(key, expected)
    return value


def _type_error(field: str, expected: str) -> ValidationError:
    return ValidationError(
        tr("Trường {field} có kiểu không đúng (cần {expected})", field=field, expected=expected), field
    )


def _reject_unknown(d: Mapping[str, Any], allowed: frozenset[str]) -> None:
    unknown = sorted(str(k) for k in d if k not in allowed)
    if unknown:
        raise ValidationError(tr("Trường không được hỗ trợ: {fields}", fields=", ".join(unknown)))


def number_out(x: float) -> int | float:
    """Write ``15.0`` as ``15``: catalogs are read by people, and days are almost always whole."""
    return int(x) if float(x).is_integer() else float(x)
