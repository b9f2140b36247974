"""A large, realistic set of dossiers written straight into a workstation database (for search benchmarks)."""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta

from motcua.domain.codes import format_dossier_code
from motcua.domain.text import fold
from motcua.store.db import Store

SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Lò",
    "Giàng",
    "Vàng",
    "Sùng",
]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quang", "Thu", "Hồng", "Xuân", "Kim", "Bảo", "Gia"]
GIVEN = [
    "An",
    "Bình",
    "Châu",
    "Dũng",
    "Đạt",
    "Giang",
    "Hà",
    "Hải",
    "Hạnh",
    "Hiếu",
    "Hoa",
    "Hùng",
    "Hương",
    "Khánh",
    "Lan",
    "Linh",
    "Long",
    "Mai",
    "Nam",
    "Nga",
    "Ngân",
    "Phúc",
    "Phương",
    "Quân",
    "Quỳnh",
    "Sơn",
    "Tâm",
    "Thảo",
    "Thắng",
    "Trang",
    "Tuấn",
    "Tuyết",
    "Vân",
    "Việt",
    "Yến",
    "Ánh",
    "Ðông",
    "Sáng",
    "Páo",
    "Chứ",
]
PROCEDURES = [
    ("1.001193", "Đăng ký khai sinh"),
    ("2.000815", "Chứng thực bản sao từ bản chính"),
    ("1.001022", "Đăng ký kết hôn"),
    ("2.000635", "Cấp bản sao trích lục hộ tịch"),
    ("1.011442.000.00.00.H38", "Đăng ký thay đổi nội dung biện pháp bảo đảm bằng quyền sử dụng đất"),
]


def random_name(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def populate(store: Store, n: int, agency: str = "000.25.38.H38", seed: int = 1, batch: int = 20_000) -> None:
    """Insert ``n`` received dossiers spread over the past years, with their search index rows."""
    rng = random.Random(seed)
    start = datetime(2019, 1, 2, 7, 30)
    per_day = 400
    rows, fts, names = [], [], []
    done = 0
    for i in range(n):
        day = start + timedelta(days=i // per_day)
        seq = i % per_day + 1
        at = day + timedelta(minutes=(seq * 7) % 540)
        code = format_dossier_code(agency, day.date(), seq)
        name = random_name(rng)
        id_number = f"0{rng.randint(1, 96):02d}{rng.choice('0123')}{rng.randint(0, 99):02d}{rng.randint(0, 999999):06d}"
        phone = f"09{rng.randint(0, 99999999):08d}"
        pcode, pname = rng.choice(PROCEDURES)
        applicant = {"kind": "1", "name": name, "id_number": id_number, "phone": phone, "address": {}}
        rows.append(
            (
                i + 1,
                code,
                agency,
                day.date().isoformat(),
                seq,
                pcode,
                pname,
                "1",
                name,
                id_number,
                phone,
                json.dumps(applicant, ensure_ascii=False),
                "1",
                at.isoformat(sep=" "),
                at.isoformat(sep=" "),
                at.isoformat(sep=" "),
                10,
                "bench",
                "Q01",
                at.isoformat(sep=" "),
            )
        )
        fts.append((i + 1, f"{fold(name)} {fold(pname)} {code.lower()} {id_number} {phone}"))
        names.append((i + 1, fold(name), fold(name).replace(" ", "")))  # as store.dossiers indexes a name
        if len(rows) >= batch or i == n - 1:
            with store.write() as db:
                db.conn.executemany(
                    """INSERT INTO dossiers (id, code, agency_id, day, seq, procedure_code, procedure_name,
                        applicant_kind, applicant_name, applicant_id_number, applicant_phone, applicant, channel,
                        received_at, original_due_at, due_at, status, received_by, station_id, updated_at)
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    rows,
                )
                db.conn.executemany("INSERT INTO dossier_fts (rowid, text) VALUES (?, ?)", fts)
                db.conn.executemany("INSERT INTO dossier_name_fts (rowid, name, whole) VALUES (?, ?, ?)", names)
            done += len(rows)
            rows, fts, names = [], [], []
