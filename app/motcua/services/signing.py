"""The officer's digital signature on the centre's PDFs, and the check of signed PDFs brought in or synced.

Reads ``[signing]``, opens the key (the USB token through its PKCS#11 library, or a PKCS#12 file), asks for a PIN
or password the settings leave empty, signs in Vietnamese whatever the screen's language (the box is part of an
official paper), and writes every signature to the audit log. The pyHanko calls live in
:mod:`motcua.documents.signing`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from motcua.config import SigningSettings
from motcua.documents.signature_types import MM, SignatureBox, SignatureReport, SigningError
from motcua.domain.attachment import Attachment
from motcua.domain.errors import ValidationError
from motcua.i18n import language, tr
from motcua.paths import kiosk_config_dir
from motcua.services.context import AppContext
from motcua.store import attachments as attachments_repo
from motcua.store import audit

if TYPE_CHECKING:
    from asn1crypto import x509 as asn1_x509
    from pyhanko.sign.signers import Signer


SecretPrompt = Callable[[str], str]
"""Asks the person at the counter for a secret (the PIN): gets the question, returns what was typed."""

KINDS = ("none", "pkcs11", "pkcs12")

# The receipt's box sits where the receiving officer would sign by hand: under the column's heading and its
# "(Ký và ghi rõ họ tên)", above the printed name, on the last copy (the citizen's).
RECEIPT_ANCHOR = "NGƯỜI TIẾP NHẬN HỒ SƠ"
RECEIPT_HINT = "(Ký và ghi rõ họ tên)"


def configured_path(value: str) -> Path:
    """A path from the settings: as written when absolute, else inside the kiosk_config folder."""
    path = Path(value).expanduser()
    return path if path.is_absolute() else kiosk_config_dir() / path


def trust_roots(settings: SigningSettings) -> list[asn1_x509.Certificate]:
    """The root certificates of ``trust_dir``: the only anchors a signature may chain up to."""
    from motcua.documents import signing as pdfsig  # pyHanko: loaded on first use

    return pdfsig.load_certificates(configured_path(settings.trust_dir)) if settings.trust_dir else []


def verify_document(settings: SigningSettings, data: bytes) -> list[SignatureReport]:
    """Every signature of ``data``, checked against ``trust_dir`` (needs no workstation: a CLI check, a sync)."""
    from motcua.documents import signing as pdfsig  # pyHanko: loaded on first use

    return pdfsig.verify_pdf(data, trust_roots(settings), settings.revocation)


def default_box(settings: SigningSettings) -> SignatureBox:
    return SignatureBox.from_mm(
        settings.box_page, settings.box_x_mm, settings.box_y_mm, settings.box_width_mm, settings.box_height_mm
    )


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class SigningService:
    def __init__(self, ctx: AppContext, ask_secret: SecretPrompt | None = None) -> None:
        """``ask_secret`` asks for a PIN or password that ``[signing]`` leaves empty (a dialog, the terminal)."""
        self.ctx = ctx
        self.ask_secret = ask_secret

    @property
    def settings(self) -> SigningSettings:
        return self.ctx.settings.signing

    def configured(self) -> bool:
        return self.settings.kind != "none"

    def _secret(self, given: str, question: str, missing: str) -> str:
        if given:
            return given
        if self.ask_secret is None:
            raise SigningError(missing)
        answer = self.ask_secret(question)
        if not answer:
            raise SigningError(missing)
        return answer

    @contextmanager
    def open_signer(self) -> Iterator[Signer]:
        """The key of ``[signing]``, open for the block (a token session is closed after it)."""
        from motcua.documents import signing as pdfsig  # pyHanko: loaded on first use

        s = self.settings
        if s.kind not in KINDS:
            raise ValidationError(
                tr(
                    "Cấu hình: signing.kind phải là một trong {kinds}, không phải “{kind}”",
                    kinds=", ".join(KINDS),
                    kind=s.kind,
                ),
                "kind",
            )
        if s.kind == "none":
            raise SigningError(tr("Chưa cấu hình chữ ký số (mục [signing] trong cấu hình, kind = pkcs11 hoặc pkcs12)"))
        if s.kind == "pkcs11":
            if not s.pkcs11_module:
                raise SigningError(tr("Cấu hình: chưa ghi signing.pkcs11_module (thư viện PKCS#11 của thiết bị ký số)"))
            pin = self._secret(
                s.pin,
                tr("Mã PIN của thiết bị ký số: "),
                tr("Chưa nhập mã PIN của thiết bị ký số"),
            )
            with pdfsig.pkcs11_signer(s.pkcs11_module, s.token_label, s.key_label, pin) as signer:
                yield signer
            return
        if not s.pkcs12_path:
            raise SigningError(tr("Cấu hình: chưa ghi signing.pkcs12_path (tệp chứng thư số .p12/.pfx)"))
        path = configured_path(s.pkcs12_path)
        password = s.pkcs12_password
        if not password and self.ask_secret is not None:
            password = self.ask_secret(tr("Mật khẩu tệp chứng thư số {file}: ", file=path.name))
        yield pdfsig.load_pkcs12_signer(path, password)

    def sign(
        self, data: bytes, *, reason: str, entity: str, action: str, box: SignatureBox | None = None, **detail: Any
    ) -> bytes:
        """Sign ``data`` and log it (``action`` on ``entity``) in the audit log; returns the signed PDF.

        Args:
            box: where the visible box goes; None for the ``box_*`` settings.
        """
        from motcua.documents import signing as pdfsig  # pyHanko: loaded on first use

        s = self.settings
        with self.open_signer() as signer:
            signed = pdfsig.sign_pdf(
                data,
                signer,
                box=box or default_box(s),
                reason=reason,
                location=self.ctx.settings.centre.place,
                tsa_url=s.tsa_url,
                tsa_timeout_s=self.ctx.settings.sync.timeout_s,
                long_term=(trust_roots(s) or None) if s.long_term else None,
            )
            cert = signer.signing_cert
            signer_name = pdfsig.common_name(cert) if cert is not None else ""
        with self.ctx.store.write() as db:
            audit.record(
                db,
                actor=self.ctx.clerk,
                station_id=self.ctx.station_id,
                action=action,
                entity=entity,
                at=self.ctx.clock(),
                signer=signer_name,
                reason=reason,
                timestamped=bool(s.tsa_url),
                long_term=pdfsig.has_long_term_data(signed) if s.long_term else False,
                sha256_before=_sha(data),
                sha256=_sha(signed),
                **detail,
            )
        return signed

    def sign_file(self, data: bytes, name: str, reason: str = "") -> bytes:
        """A PDF from outside the dossiers (a result, a letter): logged under its file name."""
        return self.sign(data, reason=reason, entity=name, action="sign_pdf")

    def sign_receipt(self, code: str) -> bytes:
        """Mẫu 01 of dossier ``code``, signed by the receiving officer where a hand would sign."""
        from motcua.documents import signing as pdfsig  # pyHanko: loaded on first use
        from motcua.services.printing import PrintingService
        from motcua.services.reception import ReceptionService

        d = ReceptionService(self.ctx).get(code)
        pdf = PrintingService(self.ctx).receipt_pdf(d)
        s = self.settings
        box = pdfsig.box_below_text(pdf, RECEIPT_ANCHOR, RECEIPT_HINT, s.box_width_mm * MM, s.box_height_mm * MM)
        with language("vi"):
            reason = tr("Tiếp nhận hồ sơ {code}", code=d.code)
        return self.sign(pdf, reason=reason, entity=d.code, action="sign_receipt", box=box)

    def sign_attachment(self, attachment_id: int, reason: str = "") -> Attachment:
        """Sign a digitized document and attach the signed copy to the same component (the copy travels to the
        centre and the province like any attachment; the unsigned scan stays, as it was received)."""
        from motcua.services.scanning_station import ScanningStation

        att = attachments_repo.get(self.ctx.store.read(), attachment_id)
        try:
            data = (self.ctx.files_dir / att.path).read_bytes()
        except FileNotFoundError:
            raise SigningError(
                tr(
                    "Tệp số hóa của hồ sơ {code} ({component}) chưa có trên máy này",
                    code=att.dossier_code,
                    component=att.component_code,
                )
            ) from None
        if not reason:
            with language("vi"):
                reason = tr("Xác nhận bản số hóa từ bản giấy của hồ sơ {code}", code=att.dossier_code)
        signed = self.sign(
            data,
            reason=reason,
            entity=att.dossier_code,
            action="sign_attachment",
            component=att.component_code,
            attachment_id=att.id,
        )
        return ScanningStation(self.ctx).attach_pdf(signed, att.dossier_code, att.component_code, att.pages, att.mode)

    def verify(self, data: bytes) -> list[SignatureReport]:
        return verify_document(self.settings, data)
