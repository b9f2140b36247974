"""Addresses on the two-level local government in force since 1/7/2025: 34 provinces and 3,321 communes with their
codes (the ``vietnam-provinces`` package), and addresses printed before the merger (an old ID card's "Huyện Bảo
Thắng, Tỉnh Yên Bái") mapped to today's units (the ``vietnam-address-converter`` package), the printed text kept.

The converter builds its search tables on first use (eight seconds here): :func:`_cached_tables` keeps them in the
cache folder (0.2 s to read again), and :func:`warm_up` reads or builds them on a background thread when the app
starts, so the first old card at the counter is not slow, nor is a command that converts one address.
"""

from __future__ import annotations

import logging
import pickle
import sys
import threading
from dataclasses import dataclass, replace
from functools import cache
from importlib import metadata
from typing import Any

from motcua.domain.applicant import Address
from motcua.domain.text import fold
from motcua.paths import cache_dir
from motcua.store.atomic import write_atomic

log = logging.getLogger(__name__)

_PREFIXES = ("thanh pho ", "tinh ", "tp. ", "tp ")
_COMMUNE_PREFIXES = ("xa ", "phuong ", "dac khu ", "thi tran ")


@dataclass(frozen=True, slots=True)
class Unit:
    """A province or a commune of today, with its national code."""

    code: int
    name: str
    province_code: int = 0  # for a commune


def _key(name: str, prefixes: tuple[str, ...]) -> str:
    key = fold(name).strip()
    for p in prefixes:
        if key.startswith(p):
            return key[len(p) :].strip()
    return key


@cache
def provinces() -> tuple[Unit, ...]:
    from vietnam_provinces import Province

    return tuple(Unit(int(p.code), p.name) for p in Province.iter_all())


@cache
def communes(province_code: int | None = None) -> tuple[Unit, ...]:
    """Today's communes (xã, phường, đặc khu) of a province, or of all."""
    from vietnam_provinces import Ward

    return tuple(
        Unit(int(w.code), w.name, int(w.province_code))
        for w in Ward.iter_all()
        if province_code is None or int(w.province_code) == province_code
    )


@cache
def _province_index() -> dict[str, Unit]:
    return {_key(p.name, _PREFIXES): p for p in provinces()}


@cache
def _commune_index() -> dict[tuple[int, str], Unit]:
    return {(c.province_code, _key(c.name, _COMMUNE_PREFIXES)): c for c in communes()}


def find_province(name: str) -> Unit | None:
    return _province_index().get(_key(name, _PREFIXES)) if name.strip() else None


def find_commune(name: str, province_code: int) -> Unit | None:
    return _commune_index().get((province_code, _key(name, _COMMUNE_PREFIXES))) if name.strip() else None


def resolve(address: Address) -> Address:
    """The address with today's unit names and codes; an address of the old three levels (or of a province merged
    away) is converted, and the text as printed kept in ``as_printed``. Unknown places are returned as given."""
    if address.province_code and address.commune_code:
        return address
    province = find_province(address.province)
    commune = find_commune(address.commune, province.code) if province else None
    if province and commune and not address.former_district:
        return replace(address, province=province.name, commune=commune.name, province_code=province.code,
                       commune_code=commune.code)  # fmt: skip
    converted = _convert(address.one_line())
    if converted is None:
        return replace(address, province_code=province.code if province else 0)
    detail, commune_name, province_name = converted
    province = find_province(province_name)
    commune = find_commune(commune_name, province.code) if province else None
    if province is None or commune is None:
        return address
    return Address(
        detail=detail or address.detail,
        commune=commune.name,
        province=province.name,
        former_district=address.former_district,
        province_code=province.code,
        commune_code=commune.code,
        as_printed=address.as_printed or address.one_line(),
    )


def _convert(text: str) -> tuple[str, str, str] | None:
    """(street part, commune, province) of today for an address as printed, or None when it cannot be placed."""
    if not text.strip():
        return None
    from vietnam_address_converter import convert_address_text

    _cached_tables()
    try:
        result: dict[str, Any] = convert_address_text(text)
    except Exception:  # a library's own error must not stop a reception; the address stays as typed
        log.warning("address conversion failed", exc_info=True)
        return None
    converted = result.get("converted")
    if not converted or not converted.get("ward") or not converted.get("province"):
        return None
    return (
        str(result.get("street_address") or ""),
        str(converted["ward"].get("name_with_type") or converted["ward"]["name"]),
        str(converted["province"]["name"]),
    )


def warm_up() -> threading.Thread:
    """Load the conversion tables on a background thread (the first conversion takes seconds)."""

    def load() -> None:
        _convert("Thôn 1, Xã Sơn Hải, Huyện Bảo Thắng, Tỉnh Lào Cai")
        _province_index()
        _commune_index()

    t = threading.Thread(target=load, name="address-tables", daemon=True)
    t.start()
    return t


# The converter's search tables: private functions of its ``text`` module, each an lru_cache of one value. They
# are read from our cache or built once and then answered from it. A version of the library without them (or a
# cache that does not load) falls back to the library's own build: slower, never wrong.
_TABLES = ("_text_candidates", "_text_candidate_index", "_new_text_candidates", "_new_text_candidate_index")
_tables_lock = threading.Lock()


@cache
def _cached_tables() -> bool:
    """Install the converter's tables from the cache folder, building and saving them on a miss; True when
    installed."""
    with _tables_lock:
        try:
            from vietnam_address_converter import text
        except ImportError:
            return False
        if not all(callable(getattr(text, name, None)) for name in _TABLES):
            log.info("vietnam-address-converter changed its tables: no cache")
            return False
        key = f"{metadata.version('vietnam-address-converter')}-py{sys.version_info[0]}{sys.version_info[1]}"
        path = cache_dir() / f"address-tables-{key}.pickle"
        tables: tuple[Any, ...] | None = None
        try:
            loaded = pickle.loads(path.read_bytes())  # our own folder (0700), written by us below
            if isinstance(loaded, tuple) and len(loaded) == len(_TABLES):
                tables = loaded
        except FileNotFoundError:
            pass
        except Exception:  # a cache cut short by a crash, or from another build: make it again
            log.info("address tables cache unreadable, rebuilding", exc_info=True)
        if tables is None:
            tables = tuple(getattr(text, name)() for name in _TABLES)
            try:
                write_atomic(path, pickle.dumps(tables, protocol=pickle.HIGHEST_PROTOCOL))
            except OSError:
                log.info("address tables not cached", exc_info=True)
        for name, value in zip(_TABLES, tables, strict=True):
            setattr(text, name, lambda value=value: value)
        return True
