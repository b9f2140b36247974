"""What is left of a citizen once the retention period is over: the dossier keeps its procedure, dates, statuses,
fees and the province it concerns (the centre's statistics), and loses who the person was.

Only natural persons' data is personal data (Decree 13/2023/NĐ-CP, art. 2): an organisation applicant keeps its
name and tax code, but not the phone or e-mail of whoever dealt with it; a person submitting for it is a person.
"""

from __future__ import annotations

from typing import Any

ANONYMISED = "***"  # the name shown where there was one (language-neutral: the data is not translated)
_ORGANISATION_KIND = "2"
_ERASED_TEXT = ("id_number", "old_id_number", "phone", "email")
_ERASED_DATES = ("birth_date", "id_issued")
_KEPT_ADDRESS = ("province", "province_code")  # coarse enough for statistics, never a person


def applicant(data: dict[str, Any]) -> dict[str, Any]:
    """An applicant as stored (``applicant_to_dict``) with the person erased."""
    out = dict(data)
    # Anything not plainly an organisation is a person: an unknown or misspelt kind must not keep a name.
    person = str(out.get("kind", "")) != _ORGANISATION_KIND
    if person and out.get("name"):
        out["name"] = ANONYMISED
    for key in _ERASED_TEXT:
        if key in out and (person or key in ("phone", "email")):
            out[key] = ""
    for key in _ERASED_DATES:
        if key in out and person:
            out[key] = None
    address = out.get("address")
    if isinstance(address, dict) and person:
        out["address"] = {
            k: (v if k in _KEPT_ADDRESS else (0 if isinstance(v, int) else "")) for k, v in address.items()
        }
    return out


def is_anonymised(data: dict[str, Any]) -> bool:
    return bool(data.get("name") == ANONYMISED or data.get("anonymised_at"))


def place(data: dict[str, Any] | None) -> dict[str, Any] | None:
    """Where the matter is (the land, the new home): the commune and province stay, the house number goes."""
    if not isinstance(data, dict):
        return data
    return {**data, "detail": "", "as_printed": ""} if data else data


def dossier_details(details: dict[str, Any]) -> dict[str, Any]:
    """The ``details`` a dossier row or reception carries: the person submitting and the place's detail erased."""
    out = dict(details)
    if isinstance(out.get("submitter"), dict):
        out["submitter"] = applicant(out["submitter"])
    if "place" in out:
        out["place"] = place(out["place"])
    return out


def event_data(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """An event's ``data`` with the person erased; free-text notes go too (a clerk may have written a name)."""
    out = dict(data)
    if isinstance(out.get("applicant"), dict):
        out["applicant"] = applicant(out["applicant"])
    out = dossier_details(out)
    if out.get("note"):
        out["note"] = ""
    return out
