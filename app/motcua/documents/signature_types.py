"""What a signature is to the rest of the app (where its box goes, what a check found, why signing failed), kept
apart from :mod:`motcua.documents.signing` so that screens and commands that only show these need not load
pyHanko (about a third of a second) until a PDF is actually signed or checked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from motcua.domain.errors import MotcuaError, ValidationError
from motcua.i18n import tr

MM = 72 / 25.4  # PDF points per millimetre

# What a check learnt about the signer's certificate being revoked (SignatureReport.revocation).
REVOCATION_OFF = "off"  # not asked (offline checking, and the PDF carries no revocation data)
REVOCATION_CHECKED = "checked"  # a CRL or OCSP answer (fetched, or embedded at signing) says it was not revoked
REVOCATION_UNAVAILABLE = "unavailable"  # asked, but no answer could be had (the CA's server unreachable)
REVOKED = "revoked"
REVOCATION_NOT_PUBLISHED = "not_published"  # the certificate names no CRL or OCSP service: nothing to ask


class SigningError(MotcuaError):
    """Signing could not be done (token missing, wrong PIN, no certificate, timestamp server down…)."""


@dataclass(frozen=True, slots=True)
class SignatureBox:
    """Where the visible signature goes: ``page`` counts from 0, negative from the end (-1 = the last page);
    the rectangle is in PDF points from the page's lower-left corner."""

    page: int
    x0: float
    y0: float
    x1: float
    y1: float

    @classmethod
    def from_mm(cls, page: int, x_mm: float, y_mm: float, width_mm: float, height_mm: float) -> SignatureBox:
        """A box given in millimetres from the lower-left corner; ``page`` counts from 1, 0 is the last page."""
        if width_mm <= 0 or height_mm <= 0:
            raise ValidationError(tr("Khung chữ ký số phải có chiều rộng và chiều cao lớn hơn 0"), "box")
        index = page - 1 if page > 0 else -1
        x0, y0 = x_mm * MM, y_mm * MM
        return cls(index, x0, y0, x0 + width_mm * MM, y0 + height_mm * MM)


@dataclass(frozen=True, slots=True)
class SignatureReport:
    """What a person needs to know about one signature in a PDF.

    Attributes:
        field: the signature field's name.
        signer: the signer certificate's subject, as people read it.
        signer_name: its common name (the officer's or the unit's name).
        issuer: who issued the signer's certificate.
        signed_at: the signing time the signer's computer wrote (not proof: see ``timestamp_at``).
        timestamp_at: the time a timestamp authority vouched for, when the signature carries a timestamp.
        intact: the signed bytes are unchanged (their hash matches the signed one).
        valid: the cryptographic signature over that hash is correct.
        trusted: the signer's certificate chains up to one of the trusted roots and fits for signing.
        unchanged: nothing at all was added to the file after this signature (apart from validation data).
        changes_allowed: whatever was added after signing is of a kind the signature permits (a later signature,
            form filling); a change to a page's content never is.
        revocation: what is known of the certificate being revoked: :data:`REVOCATION_CHECKED`, :data:`REVOKED`,
            :data:`REVOCATION_UNAVAILABLE`, :data:`REVOCATION_NOT_PUBLISHED`, :data:`REVOCATION_OFF`, or "" when the
            chain failed for another reason.
    """

    field: str
    signer: str
    signer_name: str
    issuer: str
    signed_at: datetime | None
    timestamp_at: datetime | None
    intact: bool
    valid: bool
    trusted: bool
    unchanged: bool
    changes_allowed: bool
    revocation: str = REVOCATION_OFF

    @property
    def ok(self) -> bool:
        """A signature to rely on: intact, valid, trusted and not followed by forbidden changes."""
        return self.intact and self.valid and self.trusted and self.changes_allowed

    def verdict(self) -> str:
        """One sentence, in the clerk's language, saying what holds and what does not."""
        if not (self.intact and self.valid):
            return tr("Chữ ký KHÔNG hợp lệ: nội dung đã bị thay đổi sau khi ký hoặc chữ ký bị hỏng")
        if not self.changes_allowed:
            return tr("Chữ ký KHÔNG hợp lệ: tài liệu đã bị sửa đổi sau khi ký")
        if self.revocation == REVOKED:
            return tr("Chữ ký KHÔNG hợp lệ: chứng thư số của người ký đã bị thu hồi")
        if not self.trusted and self.revocation == REVOCATION_UNAVAILABLE:
            return tr(
                "Chưa xác minh được chữ ký: không hỏi được tình trạng thu hồi của chứng thư số (máy chủ của tổ chức "
                "chứng thực không trả lời)"
            )
        if not self.trusted:
            return tr("Chữ ký đúng nhưng chứng thư số không thuộc tổ chức chứng thực tin cậy (không xác minh được)")
        if not self.unchanged:
            verdict = tr("Chữ ký hợp lệ; sau khi ký tài liệu có thêm chữ ký hoặc nội dung biểu mẫu được phép")
        else:
            verdict = tr("Chữ ký hợp lệ, tài liệu không bị thay đổi sau khi ký")
        if self.revocation == REVOCATION_UNAVAILABLE:
            verdict += tr(" (chưa kiểm tra được chứng thư số có bị thu hồi không)")
        return verdict

    def as_dict(self) -> dict[str, object]:
        return {
            "field": self.field,
            "signer": self.signer,
            "signer_name": self.signer_name,
            "issuer": self.issuer,
            "signed_at": self.signed_at.isoformat() if self.signed_at else None,
            "timestamp_at": self.timestamp_at.isoformat() if self.timestamp_at else None,
            "intact": self.intact,
            "valid": self.valid,
            "trusted": self.trusted,
            "unchanged": self.unchanged,
            "changes_allowed": self.changes_allowed,
            "revocation": self.revocation,
            "ok": self.ok,
            "verdict": self.verdict(),
        }
