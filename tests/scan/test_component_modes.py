"""The output mode a dossier component starts in: colour for papers an authority issued or certified (a red seal
that black & white would lose), black & white for the forms and letters a citizen writes; red ink found on a
captured page is reported so the station can turn such a component to colour."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import cv2
import numpy as np
import pytest

from motcua.services.scanning_station import Mode, ScanningStation, mode_for_component, red_ink_share

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "scan_scenes"


@pytest.mark.parametrize(
    ("name", "mode"),
    [
        ("Tờ khai đăng ký khai sinh theo mẫu", Mode.BW),
        ("Đơn đề nghị cấp giấy phép xây dựng theo mẫu", Mode.BW),
        ("Văn bản ủy quyền theo quy định (trường hợp nộp thay)", Mode.BW),
        # A declaration that mentions an original it does not carry is still the citizen's own text.
        ("Văn bản cam đoan đã đăng ký khai sinh nhưng không lưu giữ được bản chính Giấy khai sinh", Mode.BW),
        ("Giấy chứng sinh hoặc văn bản thay thế Giấy chứng sinh", Mode.COLOUR),
        ("Giấy tờ tùy thân của người yêu cầu (xuất trình bản chính)", Mode.COLOUR),
        ("Bản gốc Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất", Mode.COLOUR),
        ("Bản sao quyết định hưởng trợ cấp xã hội của người đã chết (nếu có)", Mode.COLOUR),
        ("Hợp đồng, giao dịch đã được chứng thực", Mode.COLOUR),
        ("Bản vẽ thiết kế xây dựng (02 bộ)", Mode.GREY),
        ("Giấy tờ, tài liệu chứng minh chỗ ở hợp pháp", Mode.BW),
    ],
)
def test_a_component_starts_in_the_mode_its_name_calls_for(name: str, mode: Mode) -> None:
    advice = mode_for_component(name)
    assert advice.mode is mode
    assert advice.reason


def test_the_names_are_read_in_nfc_whatever_form_they_come_in() -> None:
    assert mode_for_component(unicodedata.normalize("NFD", "Giấy chứng sinh")).mode is Mode.COLOUR


def _page(ctx: object) -> tuple[ScanningStation, np.ndarray]:
    station = ScanningStation(ctx)  # type: ignore[arg-type]
    return station, cv2.imread(str(FIXTURES / "017_docam.jpg"))


def test_a_page_with_a_red_seal_is_seen_to_carry_red_ink(ctx) -> None:
    station, frame = _page(ctx)
    assert station.capture(frame).red_ink


def test_a_page_of_black_print_and_blue_handwriting_carries_no_red_ink(ctx) -> None:
    station, frame = _page(ctx)
    grey = cv2.cvtColor(cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY), cv2.COLOR_GRAY2BGR)
    # A citizen's blue ballpoint over the form.
    for y in range(400, 900, 60):
        cv2.line(grey, (500, y), (1000, y + 15), (170, 60, 20), 3)
    captured = station.capture(grey)
    assert not captured.red_ink
    assert red_ink_share(captured.preview) == 0.0
