"""Dossier entities to and from the JSON and column forms they are stored and sent in."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import date
from typing import Any

from motcua.domain.applicant import Address, Applicant, ApplicantKind, IdKind, Sex
from motcua.domain.dossier import Dossier, Event, ReceivedComponent
from motcua.domain.fees import FeeLine, Payment, PaymentMethod
from motcua.domain.procedures import Channel, FeeBasis, Territory
from motcua.domain.status import Action, Status
from motcua.store.clock import from_iso, iso


def applicant_to_dict(a: Applicant) -> dict[str, Any]:
    return {
        "kind": a.kind.value,
        "name": a.name,
        "id_number": a.id_number,
        "birth_date": a.birth_date.isoformat() if a.birth_date else None,
        "sex": a.sex.value if a.sex else None,
        "address": asdict(a.address),
        "phone": a.phone,
        "email": a.email,
        "old_id_number": a.old_id_number,
        "id_issued": a.id_issued.isoformat() if a.id_issued else None,
        **({"id_kind": a.id_kind.value} if a.id_kind is not IdKind.NONE else {}),
        **({"nationality": a.nationality} if a.nationality else {}),
    }


def applicant_from_dict(d: dict[str, Any]) -> Applicant:
    return Applicant(
        kind=ApplicantKind(d["kind"]),
        name=d["name"],
        id_number=d.get("id_number", ""),
        birth_date=date.fromisoformat(d["birth_date"]) if d.get("birth_date") else None,
        sex=Sex(d["sex"]) if d.get("sex") else None,
        address=Address(**d.get("address", {})),
        phone=d.get("phone", ""),
        email=d.get("email", ""),
        old_id_number=d.get("old_id_number", ""),
        id_issued=date.fromisoformat(d["id_issued"]) if d.get("id_issued") else None,
        id_kind=IdKind(d.get("id_kind", "")),
        nationality=d.get("nationality", ""),
    )


def components_to_json(components: tuple[ReceivedComponent, ...]) -> str:
    return json.dumps([asdict(c) for c in components], ensure_ascii=False)


def components_from_json(text: str) -> tuple[ReceivedComponent, ...]:
    return tuple(ReceivedComponent(**c) for c in json.loads(text))


def event_from_row(r: dict[str, Any]) -> Event:
    return Event(
        action=Action(r["action"]),
        status_after=Status(r["status_after"]),
        at=from_iso(r["at"]),  # type: ignore[arg-type]
        clerk=r["clerk"],
        note=r["note"],
        agency=r["agency"],
        due_after=from_iso(r["due_after"]),
    )


def event_to_dict(e: Event) -> dict[str, Any]:
    return {
        "action": e.action.value,
        "status_after": int(e.status_after),
        "at": iso(e.at),
        "clerk": e.clerk,
        "note": e.note,
        "agency": e.agency,
        "due_after": iso(e.due_after),
    }


def details_to_dict(d: Dossier) -> dict[str, Any]:
    """What a dossier carries beyond its first columns (empty parts left out, so old dossiers stay ``{}``)."""
    out: dict[str, Any] = {}
    if d.place is not None:
        out["place"] = asdict(d.place)
    if d.territory is not Territory.NONE:
        out["territory"] = d.territory.value
    if d.submitter is not None:
        out["submitter"] = applicant_to_dict(d.submitter)
    if d.fees:
        out["fees"] = [
            {"name": f.name, "per": f.per.value, "quantity": f.quantity, "amount_vnd": f.amount_vnd, "copies": f.copies}
            for f in d.fees
        ]
    if d.payment is not None:
        p = d.payment
        out["payment"] = {"method": p.method.value, "amount_vnd": p.amount_vnd, "reference": p.reference}
    return out


def details_from_dict(data: dict[str, Any]) -> dict[str, Any]:
    """Dossier fields from :func:`details_to_dict`'s shape (missing parts: the defaults)."""
    out: dict[str, Any] = {}
    if data.get("place"):
        out["place"] = Address(**data["place"])
    if data.get("territory"):
        out["territory"] = Territory(data["territory"])
    if data.get("submitter"):
        out["submitter"] = applicant_from_dict(data["submitter"])
    if data.get("fees"):
        out["fees"] = tuple(
            FeeLine(f["name"], FeeBasis(f["per"]), int(f["quantity"]), int(f["amount_vnd"]), int(f.get("copies", 1)))
            for f in data["fees"]
        )
    if data.get("payment"):
        p = data["payment"]
        out["payment"] = Payment(PaymentMethod(p["method"]), int(p["amount_vnd"]), p.get("reference", ""))
    return out


def dossier_from_row(r: dict[str, Any], events: tuple[Event, ...] = ()) -> Dossier:
    return Dossier(
        id=r["id"],
        code=r["code"],
        procedure_code=r["procedure_code"],
        procedure_name=r["procedure_name"],
        applicant=applicant_from_dict(json.loads(r["applicant"])),
        received_at=from_iso(r["received_at"]),  # type: ignore[arg-type]
        due_at=from_iso(r["due_at"]),
        status=Status(r["status"]),
        received_by=r["received_by"],
        agency_id=r["agency_id"],
        channel=Channel(r["channel"]),
        sets=r["sets"],
        components=components_from_json(r["components"]),
        fee_vnd=r["fee_vnd"],
        note=r["note"],
        result_delivery=r["result_delivery"],
        events=events,
        **details_from_dict(json.loads(r.get("details") or "{}")),
    )


def dossier_to_dict(d: Dossier, original_due: str | None = None, labels: bool = True) -> dict[str, Any]:
    """The dossier as it is sent upstream and printed by ``--json`` (stable keys, ISO times).

    Args:
        labels: add human-readable labels in the current language (not in upstream payloads, whose bytes
            must not depend on the clerk's screen language).
    """
    data: dict[str, Any] = {
        "code": d.code,
        "agency_id": d.agency_id,
        "procedure_code": d.procedure_code,
        "procedure_name": d.procedure_name,
        "applicant": applicant_to_dict(d.applicant),
        "channel": d.channel.value,
        "received_at": iso(d.received_at),
        "due_at": iso(d.due_at),
        "original_due_at": original_due,
        "status": int(d.status),
        "sets": d.sets,
        "components": [asdict(c) for c in d.components],
        "fee_vnd": d.fee_vnd,
        "note": d.note,
        "result_delivery": d.result_delivery,
        "received_by": d.received_by,
        "events": [event_to_dict(e) for e in d.events],
        **details_to_dict(d),
    }
    if labels:
        data["status_label"] = d.status.label
    return data


def received_payload(d: Dossier, handling_agency_id: str = "") -> dict[str, Any]:
    """What a reception event carries: the dossier as received (its later history travels as events).

    Args:
        handling_agency_id: the agency that will handle it, when that is not the receiving unit (a dossier
            received outside its territory); the province routes it to that agency's centre.
    """
    data = dossier_to_dict(d, labels=False)
    data.pop("events")
    data.pop("original_due_at")
    data["handling_agency_id"] = handling_agency_id
    return data


def dossier_from_payload(data: dict[str, Any]) -> Dossier:
    """The dossier a reception event describes, as it was received (status 2, its first due time)."""
    return Dossier(
        code=data["code"],
        procedure_code=data["procedure_code"],
        procedure_name=data.get("procedure_name", ""),
        applicant=applicant_from_dict(data["applicant"]),
        received_at=from_iso(data["received_at"]),  # type: ignore[arg-type]
        due_at=from_iso(data.get("due_at")),
        status=Status(int(data.get("status", int(Status.RECEIVED)))),
        received_by=data.get("received_by", ""),
        agency_id=data["agency_id"],
        channel=Channel(data.get("channel", Channel.DIRECT.value)),
        sets=int(data.get("sets", 1)),
        components=tuple(ReceivedComponent(**c) for c in data.get("components", [])),
        fee_vnd=int(data.get("fee_vnd", 0)),
        note=data.get("note", ""),
        result_delivery=data.get("result_delivery", ""),
        **details_from_dict(data),
    )
