"""The citizen queue's configuration: services, counters, priority groups and the call policy.

Loaded from ``kiosk_config/queue.toml`` (a file of its own, beside ``centre.toml``) into frozen dataclasses and
validated once; a missing file gives a one-service, one-counter demo centre. Only the centre server (or the
embedded one) allocates numbers from it, so every machine of a centre agrees because only one of them decides.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import datetime, time
from pathlib import Path
from typing import Any

from motcua.config import ConfigError
from motcua.i18n import tr

SCHEMA_VERSION = 1
END_OF_DAY = time(23, 59, 59, 999999)


@dataclass(frozen=True, slots=True)
class PriorityGroup:
    code: str
    label: str


@dataclass(frozen=True, slots=True)
class QueuePolicy:
    """How call-next weighs priority against waiting time (see :func:`motcua.domain.queue.choose_next`)."""

    max_regular_wait_min: int = 30
    regular_every_nth: int = 3
    default_service_min: int = 8
    recent_window: int = 20


@dataclass(frozen=True, slots=True)
class ServiceConfig:
    """One queue: its ticket prefix, its daily number range and when the kiosk may issue tickets for it."""

    code: str
    name: str
    prefix: str
    first_number: int = 1
    last_number: int = 999
    hours: tuple[tuple[time, time], ...] = ((time(0), END_OF_DAY),)
    weekdays: frozenset[int] = frozenset(range(1, 8))

    @property
    def digits(self) -> int:
        """How many digits the display number is padded to ("A012" for a range up to 999)."""
        return max(3, len(str(self.last_number)))

    def is_open(self, now: datetime) -> bool:
        if now.isoweekday() not in self.weekdays:
            return False
        t = now.time()
        return any(start <= t < end for start, end in self.hours)


@dataclass(frozen=True, slots=True)
class CounterConfig:
    """A counter and the services it serves, in its order of preference."""

    number: int
    name: str
    services: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RatingReason:
    """A reason a citizen may tick on the rating pad after "Không hài lòng" (the code is what reports count)."""

    code: str
    label: str


DEFAULT_RATING_WINDOW_MIN = 10
# The usual complaints at a one-stop counter; a province replaces them in queue.toml ``[rating] reasons``.
DEFAULT_RATING_REASONS = (
    RatingReason("wait", "Chờ lâu"),
    RatingReason("attitude", "Thái độ chưa tốt"),
    RatingReason("guidance", "Hướng dẫn chưa rõ"),
    RatingReason("slow", "Giải quyết chậm"),
    RatingReason("other", "Khác"),
)


@dataclass(frozen=True, slots=True)
class RatingConfig:
    """The rating pad: the reasons offered for a "not satisfied" rating, and how long after a ticket is finished
    its citizen may still rate it at the counter (they often touch the pad while the clerk already calls the next).

    ``kiosk``: the kiosk also offers "Đánh giá sự hài lòng" (the citizen types the number on their ticket).
    """

    reasons: tuple[RatingReason, ...] = DEFAULT_RATING_REASONS
    window_min: int = DEFAULT_RATING_WINDOW_MIN
    kiosk: bool = True

    def reason(self, code: str) -> RatingReason | None:
        return next((r for r in self.reasons if r.code == code), None)


@dataclass(frozen=True, slots=True)
class QueueConfig:
    centre_id: str = "000.25.38.H38"
    centre_name: str = "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG"
    policy: QueuePolicy = QueuePolicy()
    priority_groups: tuple[PriorityGroup, ...] = ()
    services: tuple[ServiceConfig, ...] = (ServiceConfig("HT", "Tiếp nhận hồ sơ", "A"),)
    counters: tuple[CounterConfig, ...] = (CounterConfig(1, "Quầy 1", ("HT",)),)
    rating: RatingConfig = RatingConfig()
    server_url: str = ""  # [client] this machine's centre server; empty: the embedded one (a one-PC centre)
    token: str = ""  # [client] this machine's device token for that server
    _by_code: dict[str, ServiceConfig] = field(default_factory=dict, compare=False, repr=False)
    # Looked up on every call, start and finish: a provincial bench has a thousand counters to walk otherwise.
    _by_number: dict[int, CounterConfig] = field(default_factory=dict, init=False, compare=False, repr=False)
    _serving: dict[str, frozenset[int]] = field(default_factory=dict, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        self._by_code.update({s.code: s for s in self.services})
        self._by_number.update({c.number: c for c in reversed(self.counters)})  # the first of a number wins
        for s in self.services:
            self._serving[s.code] = frozenset(c.number for c in self.counters if s.code in c.services)

    def service(self, code: str) -> ServiceConfig | None:
        return self._by_code.get(code)

    def counter(self, number: int) -> CounterConfig | None:
        return self._by_number.get(number)

    def serving(self, code: str) -> frozenset[int]:
        """The numbers of the counters that serve service ``code`` in this file (before any day's reassignment)."""
        return self._serving.get(code, frozenset())

    def priority_group(self, code: str) -> PriorityGroup | None:
        return next((g for g in self.priority_groups if g.code == code), None)


def _fail(message: str) -> ConfigError:
    return ConfigError(tr("Cấu hình hàng đợi: {message}", message=message))


def _clock(text: str) -> time:
    if text in ("24:00", "24:00:00"):
        return END_OF_DAY
    try:
        return time.fromisoformat(text)
    except ValueError:
        raise _fail(tr("giờ không hợp lệ: {value}", value=text)) from None


def _hours(spans: list[str], code: str) -> tuple[tuple[time, time], ...]:
    out = []
    for span in spans:
        start, sep, end = str(span).partition("-")
        if not sep:
            raise _fail(tr("khung giờ của {code} phải có dạng HH:MM-HH:MM: {value}", code=code, value=span))
        a, b = _clock(start.strip()), _clock(end.strip())
        if b <= a:
            raise _fail(tr("khung giờ của {code} kết thúc trước khi bắt đầu: {value}", code=code, value=span))
        out.append((a, b))
    return tuple(out)


def _service(raw: dict[str, Any]) -> ServiceConfig:
    try:
        code, name, prefix = str(raw["code"]), str(raw["name"]), str(raw["prefix"])
    except KeyError as exc:
        raise _fail(tr("mỗi dịch vụ phải có {key}", key=exc.args[0])) from None
    first, last = int(raw.get("first_number", 1)), int(raw.get("last_number", 999))
    if not (prefix.isascii() and prefix.isalpha() and prefix.isupper() and 1 <= len(prefix) <= 2):
        raise _fail(tr("tiền tố số của {code} phải là 1–2 chữ cái in hoa: {value}", code=code, value=prefix))
    if not 1 <= first <= last:
        raise _fail(tr("dải số của {code} không hợp lệ: {first}–{last}", code=code, first=first, last=last))
    weekdays = frozenset(int(d) for d in raw.get("weekdays", range(1, 8)))
    if not weekdays <= set(range(1, 8)):
        raise _fail(tr("ngày trong tuần của {code} phải từ 1 đến 7", code=code))
    hours = _hours(list(raw.get("hours", ["00:00-24:00"])), code)
    return ServiceConfig(code, name, prefix, first, last, hours, weekdays)


_REASON_CODE = re.compile(r"[A-Za-z0-9_.-]{1,32}")


def _rating(raw: dict[str, Any]) -> RatingConfig:
    window = int(raw.get("window_min", DEFAULT_RATING_WINDOW_MIN))
    if not 1 <= window <= 240:
        raise _fail(tr("[rating] window_min phải từ 1 đến 240 phút: {value}", value=window))
    kiosk = raw.get("kiosk", True)
    if not isinstance(kiosk, bool):
        raise _fail(tr("[rating] kiosk phải là true hoặc false: {value}", value=kiosk))
    if "reasons" not in raw:
        return RatingConfig(window_min=window, kiosk=kiosk)
    reasons = []
    for r in raw["reasons"]:
        item = r if isinstance(r, dict) else {}
        code, label = str(item.get("code", "")).strip(), str(item.get("label", "")).strip()
        if not (label and _REASON_CODE.fullmatch(code)):
            raise _fail(
                tr("mỗi lý do đánh giá phải có code (chữ không dấu, tối đa 32 ký tự) và label: {value}", value=r)
            )
        reasons.append(RatingReason(code, label))
    if len({r.code for r in reasons}) != len(reasons):
        raise _fail(tr("mã lý do đánh giá bị trùng"))
    return RatingConfig(tuple(reasons), window, kiosk)


def parse_queue_config(raw: dict[str, Any]) -> QueueConfig:
    """Validate the TOML document of ``queue.toml`` into a :class:`QueueConfig`.

    Raises:
        ConfigError: a missing or contradictory key; the message says which.
    """
    version = raw.get("schema_version", SCHEMA_VERSION)
    if not isinstance(version, int) or version > SCHEMA_VERSION:
        raise _fail(tr("được tạo bởi phiên bản mới hơn của phần mềm (schema_version={v})", v=version))
    defaults = QueueConfig()
    policy = QueuePolicy(**{k: int(v) for k, v in raw.get("policy", {}).items() if k in QueuePolicy.__slots__})
    groups = tuple(PriorityGroup(str(g["code"]), str(g["label"])) for g in raw.get("priority_groups", []))
    services = tuple(_service(s) for s in raw.get("services", [])) or defaults.services
    codes = [s.code for s in services]
    prefixes = [s.prefix for s in services]
    if len(set(codes)) != len(codes) or len(set(prefixes)) != len(prefixes):
        raise _fail(tr("mã dịch vụ và tiền tố số phải khác nhau"))
    counters = []
    for c in raw.get("counters", []):
        served = tuple(str(x) for x in c.get("services", codes))
        unknown = [x for x in served if x not in codes]
        if unknown:
            raise _fail(
                tr("quầy {n} phục vụ dịch vụ không tồn tại: {codes}", n=c.get("number"), codes=", ".join(unknown))
            )
        number = int(c["number"])
        counters.append(CounterConfig(number, str(c.get("name", tr("Quầy {n}", n=number))), served))
    if not counters:
        counters = [CounterConfig(1, tr("Quầy {n}", n=1), tuple(codes))]
    if len({c.number for c in counters}) != len(counters):
        raise _fail(tr("số quầy bị trùng"))
    return QueueConfig(
        centre_id=str(raw.get("centre_id", defaults.centre_id)),
        centre_name=str(raw.get("centre_name", defaults.centre_name)),
        policy=policy,
        priority_groups=groups,
        services=services,
        counters=tuple(counters),
        rating=_rating(raw.get("rating", {})),
        server_url=str(raw.get("client", {}).get("server_url", "")),
        token=str(raw.get("client", {}).get("token", "")),
    )


def load_queue_config(path: Path) -> QueueConfig:
    """Load ``queue.toml``; a missing file gives the demo defaults.

    Raises:
        ConfigError: the file cannot be read or is invalid.
    """
    if not path.exists():
        return QueueConfig()
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise _fail(tr("tệp {path} bị lỗi: {error}", path=str(path), error=str(exc))) from None
    try:
        return parse_queue_config(raw)
    except (TypeError, ValueError) as exc:
        raise _fail(str(exc)) from None
