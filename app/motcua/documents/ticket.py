"""The queue ticket the kiosk prints: an 80 mm raster image, Vietnamese drawn with DejaVu Sans.

What it carries: the centre, the service, the number in big type, the priority group of a priority ticket
("Ưu tiên: Người cao tuổi", so that the counter sees why it was called first), the time it was taken, the people
ahead and the estimated wait, and a QR code of the ticket's public id (a random string: it names no one). No
personal data: the kiosk never asks for any, and a group label that looks like an identity number is not printed.
"""

from __future__ import annotations

import re
from datetime import datetime

from PIL import Image, ImageDraw

from motcua.documents.thermal import BLACK, GAP, PAD, THRESHOLD, WHITE, _font, fitted_text, qr_image, rule, stack, text
from motcua.domain.queue_views import IssuedTicket
from motcua.i18n import tr

NUMBER_PX = 150  # cap height of the big number: readable at arm's length
QR_PX = 200


def number_image(display: str, width: int) -> Image.Image:
    """The ticket number as large as fits, centred, cropped to its ink plus a margin (tests find it by size)."""
    size = NUMBER_PX
    while size > 40 and _font(size, True).getlength(display) > width:
        size -= 6
    font = _font(size, True)
    left, top, right, bottom = font.getbbox(display, anchor="ls")
    height = int(bottom - top) + 16
    image = Image.new("L", (width, height), WHITE)
    x = (width - (right - left)) // 2 - left
    ImageDraw.Draw(image).text((x, 8 - top), display, font=font, fill=BLACK, anchor="ls")
    return image


# Nine digits or more in a row: an old identity card (9), a citizen id (12), a phone number (10). A group label
# never needs one.
_ID_LIKE = re.compile(r"\d{9,}")


def priority_line(group_label: str) -> str:
    """``"Ưu tiên: Người cao tuổi"``; just "ƯU TIÊN" when the group has no label (or one unfit to print)."""
    label = " ".join(group_label.split())
    if not label or _ID_LIKE.search(label.replace(" ", "").replace(".", "")):
        return tr("ƯU TIÊN")
    return tr("Ưu tiên: {group}", group=label)


def render_ticket_image(
    issued: IssuedTicket, centre_name: str, width_px: int = 576, priority_label: str = ""
) -> Image.Image:
    """The queue ticket for ``issued``.

    Args:
        issued: the ticket the centre saved, with the people ahead and the estimated wait.
        centre_name: printed at the top.
        width_px: the printable width in dots (576 for 80 mm paper at 203 dpi).
        priority_label: the label of the ticket's priority group ("Người cao tuổi"), from the queue's
            configuration; printed for a priority ticket.

    Returns:
        A mode "1" image ``width_px`` wide, as tall as the content.
    """
    t = issued.ticket
    inner = width_px - 2 * PAD
    at: datetime = t.issued_at
    ahead = (
        tr("Số người đang chờ trước bạn: {n}", n=issued.people_ahead)
        if issued.people_ahead
        else tr("Bạn là người tiếp theo")
    )
    parts: list[Image.Image | int] = [
        PAD,
        text(centre_name.upper(), inner, 22, bold=True, align="center"),
        rule(inner),
        fitted_text(tr("PHIẾU SỐ THỨ TỰ"), inner, 30, 20, bold=True),
        text(issued.service_name, inner, 24, align="center"),
        GAP,
        number_image(t.display, inner),
    ]
    if t.priority:
        parts.append(fitted_text(priority_line(priority_label), inner, 28, 20, bold=True))
    parts += [
        GAP,
        text(ahead, inner, 24, align="center"),
    ]
    if issued.people_ahead:
        parts.append(
            text(tr("Thời gian chờ dự kiến: khoảng {m} phút", m=issued.estimated_wait_min), inner, 22, align="center")
        )
    parts += [
        text(tr("Lấy số lúc {time} ngày {date}", time=f"{at:%H:%M}", date=f"{at:%d/%m/%Y}"), inner, 20, align="center"),
        GAP,
        qr_image(t.uid, QR_PX),
        rule(inner),
        text(tr("Vui lòng chờ đến khi số của bạn được mời lên quầy."), inner, 20, align="center"),
        24,
    ]
    grey = stack(parts, inner)
    canvas = Image.new("L", (width_px, grey.height), WHITE)
    canvas.paste(grey, (PAD, 0))
    return canvas.point(lambda v: WHITE if v >= THRESHOLD else BLACK).convert("1", dither=Image.Dither.NONE)
