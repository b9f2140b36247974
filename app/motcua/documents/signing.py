"""Digital signatures of PDFs (PAdES, through pyHanko): sign with a key on a PKCS#11 token or in a PKCS#12 file,
and verify the signatures a PDF carries.

A digitized copy or an electronic result has legal value through the one-stop officer's digital signature; the
signature here is PAdES B-B (B-T with an RFC 3161 timestamp when a timestamp server is given), with a visible box
that names the signer and the time in Vietnamese, drawn in the app's own font so that tone marks show in any
reader. Nothing here reads settings or touches the database: :mod:`motcua.services.signing` does.
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from asn1crypto import x509 as asn1_x509
from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.content import RawContent
from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.pdf_utils.writer import BasePdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.general import SigningError as PyhankoSigningError
from pyhanko.sign.signers import Signer
from pyhanko.sign.timestamps import HTTPTimeStamper, TimestampRequestError
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import PdfSignatureStatus
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError

from motcua.config import REVOCATION_MODES
from motcua.documents.signature_types import MM as MM
from motcua.documents.signature_types import (
    REVOCATION_CHECKED,
    REVOCATION_NOT_PUBLISHED,
    REVOCATION_OFF,
    REVOCATION_UNAVAILABLE,
    REVOKED,
)
from motcua.documents.signature_types import SignatureBox as SignatureBox
from motcua.documents.signature_types import SignatureReport as SignatureReport
from motcua.documents.signature_types import SigningError as SigningError
from motcua.domain.errors import ValidationError
from motcua.i18n import language, tr
from motcua.paths import resource_path

# pyHanko logs an untrusted chain with a full traceback; with no logging set up (the command line) Python would
# print it to the terminal beside our one-line verdict. The app's own logging configuration still receives it.
for _name in ("pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(_name).addHandler(logging.NullHandler())

# Vietnamese signing certificates (Ban Cơ yếu Chính phủ, the commercial CAs) carry digitalSignature, nonRepudiation
# or both; either one makes a certificate fit for signing documents.
SIGNING_KEY_USAGE = KeyUsageConstraints(key_usage={"digital_signature", "non_repudiation"}, match_all_key_usages=False)

log = logging.getLogger(__name__)

_CERT_SUFFIXES = (".pem", ".crt", ".cer", ".der")
FETCH_TIMEOUT_S = 8


# -- keys ------------------------------------------------------------------------------------------------------
def load_pkcs12_signer(path: Path, password: str) -> Signer:
    """The key and certificate (with its chain) of a ``.p12``/``.pfx`` file."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SigningError(tr("Không tìm thấy tệp chứng thư số {file}", file=str(path))) from None
    except OSError as exc:
        raise SigningError(tr("Không đọc được tệp chứng thư số {file}: {error}", file=str(path), error=exc)) from None
    try:
        return signers.SimpleSigner.load_pkcs12_data(data, (), password.encode("utf-8") if password else None)
    except ValueError:
        raise SigningError(
            tr("Không mở được tệp chứng thư số {file}: sai mật khẩu hoặc tệp không đúng định dạng PKCS#12", file=path)
        ) from None


@contextmanager
def pkcs11_signer(module: str, token_label: str, key_label: str, pin: str) -> Iterator[Signer]:
    """A signer whose key stays on the PKCS#11 token (the officer's USB token), for the duration of the block.

    Args:
        module: the token's PKCS#11 library (.so / .dll from the token's vendor).
        token_label: the token's label; empty takes the only token present.
        key_label: the label of the signing key and of its certificate; empty takes the token's only signing key.
        pin: the user PIN.
    """
    import pkcs11
    from pkcs11 import Attribute, ObjectClass
    from pkcs11 import exceptions as p11
    from pyhanko.sign.pkcs11 import PKCS11Signer

    if not Path(module).is_file():
        raise SigningError(tr("Không tìm thấy thư viện PKCS#11 của thiết bị ký số: {file}", file=module))
    not_found = tr("Không tìm thấy thiết bị ký số {label}: hãy cắm USB token", label=token_label)
    try:
        lib = pkcs11.lib(module)
        if token_label:
            token = lib.get_token(token_label=token_label)
        else:
            tokens = [slot.get_token() for slot in lib.get_slots(token_present=True)]
            if len(tokens) > 1:
                raise SigningError(
                    tr(
                        "Có {count} thiết bị ký số đang cắm: hãy ghi rõ token_label trong mục [signing]",
                        count=len(tokens),
                    )
                )
            if not tokens:
                raise SigningError(not_found)
            token = tokens[0]
        session = token.open(user_pin=pin)
    except (p11.PinIncorrect, p11.PinInvalid, p11.PinLenRange):
        raise SigningError(tr("Mã PIN của thiết bị ký số không đúng")) from None
    except p11.PinLocked:
        raise SigningError(tr("Thiết bị ký số đã bị khóa do nhập sai mã PIN nhiều lần")) from None
    except (p11.TokenNotPresent, p11.NoSuchToken, p11.TokenNotRecognised, p11.DeviceRemoved):
        raise SigningError(not_found) from None
    except pkcs11.PKCS11Error as exc:
        raise SigningError(
            tr("Không mở được thiết bị ký số {label}: {error}", label=token_label, error=str(exc) or type(exc).__name__)
        ) from None
    except OSError as exc:
        raise SigningError(tr("Không nạp được thư viện PKCS#11 {file}: {error}", file=module, error=exc)) from None
    try:
        key_id: bytes | None = None
        if not key_label:
            keys = list(session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY, Attribute.SIGN: True}))
            if len(keys) != 1:
                raise SigningError(
                    tr("Thiết bị ký số có {count} khóa ký: hãy ghi rõ key_label trong mục [signing]", count=len(keys))
                )
            key_id = bytes(keys[0][Attribute.ID])
        signer = PKCS11Signer(session, key_label=key_label or None, key_id=key_id)
        try:
            signer.signing_cert  # noqa: B018 - loads key and certificate now, so a wrong label fails here, clearly
        except (PyhankoSigningError, pkcs11.PKCS11Error):
            raise SigningError(
                tr("Không tìm thấy khóa ký hoặc chứng thư số “{label}” trên thiết bị ký số", label=key_label)
            ) from None
        yield signer
    finally:
        session.close()


def common_name(cert: asn1_x509.Certificate) -> str:
    """The certificate subject's common name, else its whole subject."""
    native = cert.subject.native
    name = native.get("common_name") if isinstance(native, dict) else None
    if isinstance(name, list):
        name = name[0] if name else None
    return str(name) if name else name_text(cert.subject)


_SHORT_NAMES = {
    "common_name": "CN",
    "organization_name": "O",
    "organizational_unit_name": "OU",
    "locality_name": "L",
    "state_or_province_name": "ST",
    "country_name": "C",
    "email_address": "E",
    "serial_number": "SERIALNUMBER",
    "user_id": "UID",
}


def name_text(name: asn1_x509.Name) -> str:
    """A distinguished name as "CN=…, O=…, C=VN" (the way Vietnamese CAs print them; no English labels)."""
    parts = []
    for rdn in name.chosen:
        for attr in rdn:
            kind = attr["type"].native
            parts.append(f"{_SHORT_NAMES.get(kind, kind)}={attr['value'].native}")
    return ", ".join(reversed(parts))  # most specific first, as RFC 4514 writes it


def check_usable(cert: asn1_x509.Certificate, now: datetime) -> None:
    """Refuse to sign with a certificate outside its validity period: the signature would never validate."""
    validity = cert["tbs_certificate"]["validity"]
    start, end = validity["not_before"].native, validity["not_after"].native
    if now < start:
        raise SigningError(tr("Chứng thư số chưa có hiệu lực (từ {date})", date=start.strftime("%d/%m/%Y")))
    if now > end:
        raise SigningError(tr("Chứng thư số đã hết hạn ngày {date}", date=end.strftime("%d/%m/%Y")))


# -- signing ---------------------------------------------------------------------------------------------------
def stamp_font() -> Path:
    """The box's typeface: the shipped Be Vietnam Pro, the app's own face, drawn for Vietnamese and embedded as a
    subset so the box reads the same in any viewer. Not DejaVu or Liberation: pyHanko writes glyph widths in font
    units as if every font had 1000 units per em, and theirs have 2048, which spreads the letters twice too wide."""
    return resource_path("fonts", "BeVietnamPro-Regular.ttf")


class _FontInMemory(GlyphAccumulatorFactory):
    """pyHanko's factory opens the font file and never closes it (a ResourceWarning per signature, and a handle
    held open in a long-running counter app); this one reads the bytes once and hands out copies."""

    def create_font_engine(self, writer: BasePdfFileWriter, obj_stream: Any = None) -> GlyphAccumulator:
        if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
            obj_stream = writer.prepare_object_stream()
        return GlyphAccumulator(
            writer=writer,
            font_handle=io.BytesIO(_font_bytes(self.font_file)),
            font_size=self.font_size,
            obj_stream=obj_stream,
        )


@cache
def _font_bytes(path: str) -> bytes:
    return Path(path).read_bytes()


def stamp_style() -> TextStampStyle:
    """The visible box: who signed and when, on white (a scan may be dark where the box lands), centred. The reason
    stays in the signature's data, where readers show it: in the box it made the lines too long to read."""
    white = RawContent(b"1 1 1 rg 0 0 100 100 re f", box=layout.BoxConstraints(width=100, height=100))
    return TextStampStyle(
        stamp_text="\n".join((tr("Ký số bởi: %(signer)s"), tr("Thời gian ký: %(ts)s"))),
        timestamp_format="%d/%m/%Y %H:%M:%S %z",
        text_box_style=TextBoxStyle(font=_FontInMemory(str(stamp_font()), font_size=9), font_size=9, leading=12),
        inner_content_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins.uniform(4),
            inner_content_scaling=layout.InnerScaling.SHRINK_TO_FIT,
        ),
        border_width=1,
        border_color=(0.1, 0.3, 0.7),
        background=white,
        background_layout=layout.SimpleBoxLayoutRule(
            x_align=layout.AxisAlignment.ALIGN_MID,
            y_align=layout.AxisAlignment.ALIGN_MID,
            margins=layout.Margins.uniform(0),
            inner_content_scaling=layout.InnerScaling.STRETCH_FILL,
        ),
        background_opacity=1.0,
    )


def _field_name(data: bytes) -> str:
    """A field name not yet in the file (a document may carry several officers' signatures)."""
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        taken = {name for name, _value, _ref in fields.enumerate_sig_fields(reader)}
    except (PdfError, ValueError):
        taken = set()
    n = 1
    while f"ChuKySo{n}" in taken:
        n += 1
    return f"ChuKySo{n}"


def sign_pdf(
    data: bytes,
    signer: Signer,
    *,
    box: SignatureBox | None,
    reason: str = "",
    location: str = "",
    tsa_url: str = "",
    tsa_timeout_s: float = 20.0,
    long_term: Sequence[asn1_x509.Certificate] | None = None,
) -> bytes:
    """Sign ``data`` as PAdES (an incremental update: the signed bytes come first, unchanged).

    Args:
        data: the PDF.
        signer: from :func:`pkcs11_signer` or :func:`load_pkcs12_signer`.
        box: the visible signature's place; None for an invisible signature.
        reason: why it is signed (kept in the signature; readers show it in their signature panel).
        location: where (the centre's place name).
        tsa_url: an RFC 3161 timestamp server; empty: no timestamp.
        long_term: the trust roots, to embed the chain's revocation data (CRL, OCSP) fetched now, so that the
            signature can be checked offline and after the certificate expires (PAdES B-LT). When the CA's servers
            cannot be reached the PDF is signed without it (:func:`has_long_term_data` tells): a commune whose link
            is down still signs.
    """
    cert = signer.signing_cert
    if cert is None:
        raise SigningError(tr("Không có chứng thư số để ký"))
    check_usable(cert, datetime.now(UTC))
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    except (PdfError, ValueError, IndexError) as exc:
        raise ValidationError(tr("Tệp không phải PDF hợp lệ: {error}", error=exc), "pdf") from None
    if writer.prev.encrypted:
        raise ValidationError(tr("Không ký được PDF có mật khẩu"), "pdf")
    name = _field_name(data)
    field_spec = None
    if box is not None:
        pages = int(writer.root["/Pages"]["/Count"])
        index = box.page if box.page >= 0 else pages + box.page
        if not 0 <= index < pages:
            raise ValidationError(tr("Tệp PDF không có trang {page} để đặt chữ ký", page=box.page + 1), "box")
        field_spec = fields.SigFieldSpec(
            sig_field_name=name,
            on_page=index,
            box=(round(box.x0), round(box.y0), round(box.x1), round(box.y1)),
        )
    meta = signers.PdfSignatureMetadata(
        field_name=name,
        reason=reason or None,
        location=location or None,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    timestamper = HTTPTimeStamper(tsa_url, timeout=tsa_timeout_s) if tsa_url else None
    with language("vi"):  # the box is part of an official paper, whatever the clerk's screen shows
        style = stamp_style()
        text = {"signer": common_name(cert)}
    if long_term is not None and _names_revocation_service(cert):  # else there is nothing to embed
        try:
            return _sign(writer, _long_term(meta, long_term), signer, timestamper, style, field_spec, text, tsa_url)
        except SigningError as exc:
            log.warning("signing without long-term validation data: %s", exc)
            writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)  # the failed attempt wrote into it
    return _sign(writer, meta, signer, timestamper, style, field_spec, text, tsa_url)


def _long_term(
    meta: signers.PdfSignatureMetadata, roots: Sequence[asn1_x509.Certificate]
) -> signers.PdfSignatureMetadata:
    from dataclasses import replace

    context = ValidationContext(
        trust_roots=list(roots), allow_fetching=True, fetcher_backend=_fetchers(), revocation_mode="hard-fail"
    )
    return replace(meta, embed_validation_info=True, validation_context=context)


def _sign(
    writer: IncrementalPdfFileWriter,
    meta: signers.PdfSignatureMetadata,
    signer: Signer,
    timestamper: HTTPTimeStamper | None,
    style: TextStampStyle,
    field_spec: fields.SigFieldSpec | None,
    text: dict[str, str],
    tsa_url: str,
) -> bytes:
    pdf_signer = signers.PdfSigner(meta, signer, timestamper=timestamper, stamp_style=style, new_field_spec=field_spec)
    try:
        out = pdf_signer.sign_pdf(writer, appearance_text_params=text)
    except TimestampRequestError as exc:
        raise SigningError(
            tr("Không lấy được dấu thời gian từ máy chủ {url}: {error}", url=tsa_url, error=exc)
        ) from None
    except (PyhankoSigningError, PathValidationError, PathBuildingError, ValueError) as exc:
        raise SigningError(tr("Ký số không thành công: {error}", error=exc)) from None
    result: bytes = out.getvalue()
    return result


def has_long_term_data(data: bytes) -> bool:
    """Whether the PDF carries revocation data for checking its signatures offline (a Document Security Store)."""
    try:
        return bool(_embedded_revocation_data(PdfFileReader(io.BytesIO(data), strict=False)))
    except (PdfError, ValueError, IndexError, KeyError):
        return False


# -- verifying -------------------------------------------------------------------------------------------------
def load_certificates(folder: Path) -> list[asn1_x509.Certificate]:
    """Every certificate (PEM or DER, one or several per file) in ``folder``; a folder that is missing gives none."""
    from asn1crypto import pem

    certs: list[asn1_x509.Certificate] = []
    if not folder.is_dir():
        return certs
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in _CERT_SUFFIXES or not path.is_file():
            continue
        raw = path.read_bytes()
        try:
            if pem.detect(raw):
                certs.extend(asn1_x509.Certificate.load(der) for _type, _hdr, der in pem.unarmor(raw, multiple=True))
            else:
                certs.append(asn1_x509.Certificate.load(raw))
            for c in certs:
                c.native  # noqa: B018 - asn1crypto parses lazily; a broken file must fail here, with its name
        except (ValueError, TypeError):
            raise ValidationError(tr("Tệp chứng thư gốc {file} bị hỏng hoặc sai định dạng", file=str(path))) from None
    return certs


def _report(name: str, status: PdfSignatureStatus, revocation: str) -> SignatureReport:
    from pyhanko.sign.diff_analysis import ModificationLevel

    level = status.modification_level
    unchanged = level in (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES)
    # A later signature or form filling is a permitted change unless the document's certification forbids it;
    # anything else (a page's content, an image swapped) never is.
    allowed = unchanged or (level is not None and level != ModificationLevel.OTHER and status.docmdp_ok is not False)
    ts = status.timestamp_validity
    cert = status.signing_cert
    return SignatureReport(
        field=name,
        signer=name_text(cert.subject),
        signer_name=common_name(cert),
        issuer=name_text(cert.issuer),
        signed_at=status.signer_reported_dt,
        timestamp_at=ts.timestamp if ts is not None and ts.intact and ts.valid else None,
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted) and (ts is None or bool(ts.trusted)),
        unchanged=unchanged,
        changes_allowed=allowed,
        revocation=revocation,
    )


def verify_pdf(
    data: bytes, trust_roots: Sequence[asn1_x509.Certificate], revocation: str = "off"
) -> list[SignatureReport]:
    """Check every signature in ``data`` against ``trust_roots`` (never the system's store, so a verdict does not
    depend on the PC).

    Args:
        revocation: "off": only what the PDF carries (its embedded revocation data, for a long-term signature), so
            the verdict is the same offline; "soft-fail": also ask the CA's CRL and OCSP servers the certificates
            name, and accept a signature whose status cannot be had (said in the report); "hard-fail": such a
            signature is not trusted.

    Raises:
        ValidationError: the file is not a PDF, or carries no signature.
    """
    check_revocation_mode(revocation)
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        embedded = list(reader.embedded_regular_signatures)
    except (PdfError, ValueError, IndexError, KeyError) as exc:
        raise ValidationError(tr("Tệp không phải PDF hợp lệ: {error}", error=exc), "pdf") from None
    if not embedded:
        raise ValidationError(tr("Tệp PDF không có chữ ký số nào"), "pdf")
    embedded_revinfo = _embedded_revocation_data(reader)

    async def validate(sig: Any, mode: str, fetch: bool) -> PdfSignatureStatus:
        # A fresh context per signature and mode: a validation context caches what it learnt about paths.
        kwargs: dict[str, Any] = {"trust_roots": list(trust_roots), "allow_fetching": fetch, "revocation_mode": mode}
        if fetch:
            kwargs["fetcher_backend"] = _fetchers()
        context = ValidationContext(**kwargs, **embedded_revinfo)
        status: PdfSignatureStatus = await async_validate_pdf_signature(
            sig, signer_validation_context=context, key_usage_settings=SIGNING_KEY_USAGE
        )
        return status

    async def check_all() -> list[SignatureReport]:
        reports = []
        for sig in embedded:
            name = str(sig.field_name)
            if revocation == "off" and not embedded_revinfo:
                reports.append(_report(name, await validate(sig, "soft-fail", False), REVOCATION_OFF))
                continue
            # Insist on a status first: its answer says whether one could be had at all.
            strict = await validate(sig, "hard-fail", revocation != "off")
            if strict.trusted and not _names_revocation_service(strict.signing_cert):
                reports.append(_report(name, strict, REVOCATION_NOT_PUBLISHED))
                continue
            if strict.trusted or strict.revoked:
                reports.append(_report(name, strict, REVOKED if strict.revoked else REVOCATION_CHECKED))
                continue
            lenient = await validate(sig, "soft-fail", revocation != "off")
            if not lenient.trusted:  # untrusted for another reason: its status does not matter
                reports.append(_report(name, lenient, ""))
            elif revocation == "hard-fail":
                reports.append(_report(name, strict, REVOCATION_UNAVAILABLE))
            else:
                reports.append(
                    _report(name, lenient, REVOCATION_UNAVAILABLE if revocation != "off" else REVOCATION_OFF)
                )
        return reports

    return asyncio.run(check_all())


def _names_revocation_service(cert: asn1_x509.Certificate) -> bool:
    """Whether the certificate says where its revocation is published (a CRL distribution point, an OCSP URL)."""
    return bool(cert.crl_distribution_points or cert.ocsp_urls)


def check_revocation_mode(mode: str) -> str:
    if mode not in REVOCATION_MODES:
        raise ValidationError(
            tr("Chế độ kiểm tra thu hồi chứng thư không hợp lệ: {mode} (chọn trong {modes})", mode=mode,
               modes=", ".join(REVOCATION_MODES)),
            "revocation",
        )  # fmt: skip
    return mode


def _fetchers() -> Any:
    """CRL and OCSP requests with a short timeout: a commune whose link is down must get its verdict in seconds."""
    from pyhanko_certvalidator.fetchers.requests_fetchers import RequestsFetcherBackend

    return RequestsFetcherBackend(per_request_timeout=FETCH_TIMEOUT_S)


def _embedded_revocation_data(reader: PdfFileReader) -> dict[str, Any]:
    """The certificates, CRLs and OCSP answers a long-term signature carries in its Document Security Store."""
    from pyhanko.sign.validation.dss import DocumentSecurityStore, NoDSSFoundError

    try:
        dss = DocumentSecurityStore.read_dss(reader)
    except NoDSSFoundError:
        return {}
    except (PdfError, ValueError, KeyError, TypeError):
        return {}  # a damaged store proves nothing; the signature is judged without it
    context = dss.as_validation_context({"trust_roots": []})  # only its CRLs and OCSP answers are wanted here
    crls, ocsps = list(context.crls), list(context.ocsps)
    if not crls and not ocsps:
        return {}
    return {"crls": crls, "ocsps": ocsps, "other_certs": list(dss.load_certs())}


# -- where the box goes ----------------------------------------------------------------------------------------
def box_below_text(
    data: bytes, text: str, below: str, width: float, height: float, gap: float = 2.0
) -> SignatureBox | None:
    """A box centred under the last ``below`` line that follows the last ``text`` in the PDF (e.g. under
    "(Ký và ghi rõ họ tên)" of "NGƯỜI TIẾP NHẬN HỒ SƠ"), so the signature lands where a hand would sign, however
    the form flowed; None when the text is not there."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        for index in reversed(range(len(doc))):
            page = doc[index]
            textpage = page.get_textpage()
            try:
                anchor = _last_match(textpage, text)
                if anchor is None:
                    continue
                under = _last_match(textpage, below, lower_than=anchor[1])
                left, bottom, right, _top = under or anchor
                centre = (left + right) / 2
                if under is not None:
                    centre = (anchor[0] + anchor[2]) / 2  # the column's heading sets the centre, not the hint line
                return SignatureBox(index, centre - width / 2, bottom - gap - height, centre + width / 2, bottom - gap)
            finally:
                textpage.close()
                page.close()
    finally:
        doc.close()
    return None


def _last_match(
    textpage: object, text: str, lower_than: float | None = None
) -> tuple[float, float, float, float] | None:
    """(left, bottom, right, top) of the last occurrence of ``text`` on the page (below ``lower_than``, if given)."""
    found: tuple[float, float, float, float] | None = None
    searcher = textpage.search(text)  # type: ignore[attr-defined]
    try:
        while (hit := searcher.get_next()) is not None:
            start, count = hit
            boxes = [textpage.get_charbox(i) for i in range(start, start + count)]  # type: ignore[attr-defined]
            rect = (
                min(b[0] for b in boxes),
                min(b[1] for b in boxes),
                max(b[2] for b in boxes),
                max(b[3] for b in boxes),
            )
            if lower_than is None or rect[3] <= lower_than:
                found = rect
                if lower_than is not None:
                    break  # the first line under the anchor
    finally:
        searcher.close()
    return found
