"""The receipt's ESC/POS job: smaller than one big picture, and every byte of it decodes back to the receipt.

The decoder below reads what the jobs emit (ESC @, ESC t, ESC a, ESC E, ESC !, ESC d, GS V, GS v 0 and the QR
code's GS ( k) and fails on anything else, so a command that nobody checked cannot slip in.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace

import pytest
from escpos.codepages import CodePages
from escpos.magicencode import Encoder, MagicEncode
from escpos.printer import Dummy
from PIL import Image, ImageOps
from pyzbar import pyzbar
from test_forms import CENTRE, CTX, DOSSIER

from motcua.devices.printer import escpos_raster_bytes
from motcua.documents.fonts import VIETNAMESE_LETTERS
from motcua.documents.thermal import (
    compact_raster_bytes,
    receipt_fields,
    receipt_job,
    render_receipt_image,
    vietnamese_code_pages,
)

ESC, GS = 0x1B, 0x1D
ONE_BYTE_ARGUMENT = {(ESC, ord("!")), (ESC, ord("E")), (ESC, ord("a")), (ESC, ord("d")), (ESC, ord("t"))}


@dataclass
class Decoded:
    """What a printer would do with a job: lines of text, pictures and QR codes, in order."""

    items: list[tuple[str, object]] = field(default_factory=list)

    def texts(self) -> list[str]:
        return [str(v) for k, v in self.items if k == "text"]

    def pictures(self) -> list[Image.Image]:
        return [v for k, v in self.items if k == "picture" and isinstance(v, Image.Image)]

    def qr_codes(self) -> list[str]:
        return [str(v) for k, v in self.items if k == "qr"]


def _decode_byte(byte: int, page: str) -> str:
    if byte < 128:
        return chr(byte)
    if page == "CP1258":
        return bytes([byte]).decode("cp1258")
    return "".join(CodePages.get_encoding(page)["data"])[byte - 128]


def _line(chars: list[str]) -> str:
    return unicodedata.normalize("NFC", "".join(chars).replace("Ð", "Đ"))


def decode_job(data: bytes, slots: dict[int, str] | None = None) -> Decoded:
    """Decode an ESC/POS job; ``slots`` maps ESC t numbers to code page names."""
    out = Decoded()
    page, line, i = "", list[str](), 0
    pictures: list[Image.Image] = []

    def flush_pictures() -> None:
        if pictures:
            out.items.append(("picture", stack(pictures)))
            pictures.clear()

    while i < len(data):
        byte = data[i]
        if byte == 0x0A:
            flush_pictures()
            out.items.append(("text", _line(line)))
            line.clear()
            i += 1
        elif byte == ESC and data[i + 1] == ord("@"):
            i += 2
        elif byte in (ESC, GS) and (byte, data[i + 1]) in ONE_BYTE_ARGUMENT:
            if data[i + 1] == ord("t"):
                page = (slots or {})[data[i + 2]]
            i += 3
        elif byte == GS and data[i + 1] == ord("V"):
            i += 3
        elif byte == GS and data[i + 1 : i + 3] == b"v0":
            width, height = data[i + 4] | data[i + 5] << 8, data[i + 6] | data[i + 7] << 8
            block = data[i + 8 : i + 8 + width * height]
            assert len(block) == width * height, "truncated GS v 0"
            pictures.append(Image.frombytes("1", (width * 8, height), block, "raw", "1;I"))
            i += 8 + width * height
        elif byte == GS and data[i + 1 : i + 3] == b"(k":
            size = data[i + 3] | data[i + 4] << 8
            body = data[i + 5 : i + 5 + size]
            if body[:2] == b"1P":  # store the QR code's data (cn 49, fn 80, m 48)
                flush_pictures()
                out.items.append(("qr", body[3:].decode()))
            i += 5 + size
        else:
            assert byte >= 0x20, f"unexpected command {data[i : i + 3]!r} at {i}"
            flush_pictures()
            line.append(_decode_byte(byte, page))
            i += 1
    flush_pictures()
    assert not line, "text left unprinted at the end of the job"
    return out


def stack(images: list[Image.Image]) -> Image.Image:
    """Bands one under the other, the narrower ones padded with white on the right."""
    out = Image.new("1", (max(i.width for i in images), sum(i.height for i in images)), 1)
    y = 0
    for image in images:
        out.paste(image, (0, y))
        y += image.height
    return out


def code128(image: Image.Image) -> list[str]:
    # The paper beyond the printed width is the quiet zone left and right.
    margin = ImageOps.expand(image.convert("L"), border=24, fill=255)
    return [s.data.decode() for s in pyzbar.decode(margin, symbols=[pyzbar.ZBarSymbol.CODE128])]


# ---------------------------------------------------------------------------------------------- sizes

BEFORE = len(escpos_raster_bytes(render_receipt_image(DOSSIER, CTX)))  # one picture, 72 bytes a row


def test_picture_job_is_about_half_and_decodes_to_the_same_picture() -> None:
    image = render_receipt_image(DOSSIER, CTX)
    job = receipt_job(DOSSIER, CTX)  # no printer profile: the picture
    assert job == compact_raster_bytes(image)
    assert len(job) <= 0.55 * BEFORE, (len(job), BEFORE)
    back = stack(decode_job(job).pictures())
    assert back.height == image.height
    padded = Image.new("1", image.size, 1)
    padded.paste(back.crop((0, 0, min(back.width, image.width), back.height)), (0, 0))
    assert padded.tobytes() == image.tobytes()


@pytest.mark.parametrize(("profile", "pages"), [("TM-T20II", ("CP1258",)), ("CT-S651", ("TCVN-3-1", "TCVN-3-2"))])
def test_text_job_is_a_tenth_and_says_everything_the_picture_says(profile: str, pages: tuple[str, ...]) -> None:
    code_pages = vietnamese_code_pages(profile)
    assert code_pages is not None and tuple(code_pages.slots) == pages
    job = receipt_job(DOSSIER, CTX, 576, profile)
    assert len(job) <= 0.15 * BEFORE, (len(job), BEFORE)
    decoded = decode_job(job, {slot: name for name, slot in code_pages.slots.items()})
    text = " ".join(decoded.texts())
    assert "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG XÃ BẢO THẮNG" in text
    assert "GIẤY TIẾP NHẬN HỒ SƠ" in text and DOSSIER.code in text
    assert "Điện thoại: 0214 3840 123" in text
    for label, value, _ in receipt_fields(DOSSIER, CTX):
        assert label in text and value in text, (label, value)
    assert decoded.qr_codes() == [CENTRE.tracking_url.format(code=DOSSIER.code)]
    (ladder,) = decoded.pictures()
    assert code128(ladder) == [DOSSIER.code]


def test_unknown_or_generic_profiles_get_the_picture() -> None:
    for profile in ("", "default", "no-such-printer"):
        assert vietnamese_code_pages(profile) is None
        assert receipt_job(DOSSIER, CTX, 576, profile) == compact_raster_bytes(render_receipt_image(DOSSIER, CTX))
    assert vietnamese_code_pages("TM-T88IV-SA") is not None  # TCVN-3 only


def test_every_vietnamese_letter_survives_cp1258_and_tcvn3() -> None:
    letters = VIETNAMESE_LETTERS + "Đđ aăâeêioôơuưy"
    for profile in ("TM-T20II", "CT-S651"):
        pages = vietnamese_code_pages(profile)
        assert pages is not None
        slots = {slot: name for name, slot in pages.slots.items()}
        printer = Dummy()
        printer.magic = MagicEncode(printer, encoder=Encoder(pages.slots))
        printer.textln(pages.spell(letters))
        job = printer.output
        assert b"?" not in job
        assert decode_job(job, slots).texts() == [unicodedata.normalize("NFC", letters)]


def test_receipt_names_the_receiving_clerk_and_where_the_result_goes() -> None:
    d = replace(DOSSIER, received_by="Lò Thị Mai", result_delivery="online", sets=3)
    placeholder = replace(CTX, clerk="Cán bộ tiếp nhận")
    fields = {label: value for label, value, _ in receipt_fields(d, placeholder)}
    assert fields["Cán bộ tiếp nhận:"] == "Lò Thị Mai"  # who received it, not whoever prints it
    assert fields["Nhận kết quả tại:"] == "Nhận trực tuyến trên Cổng Dịch vụ công"
    assert fields["Số lượng hồ sơ:"] == "03 bộ"
