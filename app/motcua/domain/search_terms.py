"""What clerks call procedures: short names and abbreviations, expanded into the words of the catalog's names.

The shipped list is ``resources/catalog/search_aliases.json``; a centre adds its own (or gives a shipped term
another meaning) in ``kiosk_config/search_aliases.json``, same format::

    {"version": 1, "aliases": [
        {"terms": ["GPXD"], "means": ["cấp giấy phép xây dựng mới", "giấy phép xây dựng"]},
        {"terms": ["CT07"], "codes": ["1.010041"]}
    ]}

A term found in a query (as whole words, diacritics and i/y spelling ignored) gives one more way to read the
query: the term replaced by each meaning, the first meaning preferred. ``codes`` names procedures the term
stands for directly; they are put first.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import product
from pathlib import Path
from typing import Any

from motcua.domain.errors import ValidationError
from motcua.domain.text import nfc, search_words
from motcua.i18n import tr
from motcua.paths import kiosk_config_dir, resource_path

log = logging.getLogger(__name__)

FILE_NAME = "search_aliases.json"
MAX_VARIANTS = 8  # readings of one query; a query holding many ambiguous terms keeps the preferred ones
# Each later meaning of a term ranks a little below the one before it, so that the listed order decides ties.
LATER_MEANING_PENALTY = 0.1

Words = tuple[str, ...]


class SearchTermsError(ValidationError):
    """A search-aliases file that cannot be used; the message names the file and every bad entry."""


@dataclass(frozen=True, slots=True)
class Alias:
    """One entry: any of ``terms`` reads as each of ``means`` (in order of preference), or as ``codes``."""

    terms: tuple[Words, ...]
    means: tuple[Words, ...] = ()
    codes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Expansion:
    """The readings of a query: ``variants`` are (words, weight), the query as typed first; ``codes`` are
    procedures a term in the query names directly."""

    variants: tuple[tuple[Words, float], ...]
    codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class SearchTerms:
    """The aliases in force. ``problem`` is the translated reason a centre file was left out ('' when none)."""

    aliases: tuple[Alias, ...] = ()
    problem: str = ""
    _by_first: dict[str, list[tuple[Words, Alias]]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_first: dict[str, list[tuple[Words, Alias]]] = {}
        seen: set[Words] = set()
        for alias in self.aliases:  # earlier entries win: the centre's file is put before the shipped one
            for term in alias.terms:
                if term in seen:
                    continue
                seen.add(term)
                by_first.setdefault(term[0], []).append((term, alias))
        for entries in by_first.values():
            entries.sort(key=lambda e: -len(e[0]))  # the longest term first: "cắt hộ khẩu" before "hộ khẩu"
        object.__setattr__(self, "_by_first", by_first)

    def expand(self, words: Sequence[str]) -> Expansion:
        """Every reading of ``words`` (already :func:`~motcua.domain.text.search_words`): as typed, then with the
        terms found in it replaced by their meanings, the longest term at each place first."""
        typed = tuple(words)
        pieces: list[list[tuple[Words, float]]] = []
        codes: list[str] = []
        found = False
        i = 0
        while i < len(typed):
            hit = self._term_at(typed, i)
            if hit is None:
                pieces.append([((typed[i],), 1.0)])
                i += 1
                continue
            term, alias = hit
            found = True
            codes += [c for c in alias.codes if c not in codes]
            choices = [(m, 1.0 - LATER_MEANING_PENALTY * k) for k, m in enumerate(alias.means)]
            pieces.append(choices or [(term, 1.0)])
            i += len(term)
        variants: list[tuple[Words, float]] = [(typed, 1.0)]
        if found:
            for combo in product(*pieces):
                if len(variants) > MAX_VARIANTS:
                    break
                joined = tuple(w for part, _ in combo for w in part)
                weight = 1.0
                for _, wt in combo:
                    weight *= wt
                if all(joined != v for v, _ in variants):
                    variants.append((joined, weight))
        return Expansion(tuple(variants), tuple(codes))

    def _term_at(self, words: Words, i: int) -> tuple[Words, Alias] | None:
        for term, alias in self._by_first.get(words[i], ()):
            if words[i : i + len(term)] == term:
                return term, alias
        return None


def parse_search_terms(data: bytes | str, source: str) -> tuple[Alias, ...]:
    """Validate a search-aliases file's text.

    Raises:
        SearchTermsError: not JSON, or an entry that breaks the format (every bad entry is named).
    """
    try:
        raw = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        where = (
            tr("dòng {line}, cột {col}", line=exc.lineno, col=exc.colno)
            if isinstance(exc, json.JSONDecodeError)
            else ""
        )
        raise SearchTermsError(
            tr("Tệp từ khóa tìm kiếm {path} không phải JSON hợp lệ ({where})", path=source, where=where or str(exc)),
            "search_aliases",
        ) from None
    from pydantic import ValidationError as PydanticValidationError

    from motcua.domain.search_terms_schema import FileModel

    try:
        model = FileModel.model_validate(raw)
    except PydanticValidationError as exc:
        problems = [f"{_where(tuple(e['loc']))}: {_reason(e)}" for e in exc.errors(include_url=False)]
        raise SearchTermsError(
            tr("Tệp từ khóa tìm kiếm {path} có chỗ sai: {problems}", path=source, problems="; ".join(problems[:10])),
            "search_aliases",
        ) from None
    return tuple(
        Alias(
            terms=tuple(tuple(search_words(t)) for t in a.terms),
            means=tuple(tuple(search_words(m)) for m in a.means),
            codes=tuple(nfc(c) for c in a.codes),
        )
        for a in model.aliases
    )


def _where(loc: tuple[Any, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else ("." if text else "") + str(part)
    return text or tr("cả tệp")


def _reason(error: Any) -> str:
    kind = str(error.get("type", ""))
    message = str(error.get("msg", ""))
    if kind == "missing":
        return tr("thiếu mục này")
    if kind == "extra_forbidden":
        return tr("mục không được biết đến (viết sai tên?)")
    if kind == "too_short":
        return tr("không được để trống")
    if kind in ("string_type", "list_type", "model_type", "dict_type"):
        return tr("kiểu dữ liệu không đúng")
    if kind == "literal_error":
        return tr("phiên bản không được hỗ trợ: {value}", value=str(error.get("input", ""))[:20])
    if "no_words" in message:
        return tr("cần ít nhất một chữ")
    if "no_meaning" in message:
        return tr("cần có 'means' (nghĩa) hoặc 'codes' (mã thủ tục)")
    if "bad_code:" in message:
        return tr("mã thủ tục không hợp lệ: {code}", code=message.split("bad_code:", 1)[1])
    return message


def shipped_file() -> Path:
    return resource_path("catalog", FILE_NAME)


def centre_file() -> Path:
    return kiosk_config_dir() / FILE_NAME


def load_search_terms(shipped: Path | None = None, centre: Path | None = None) -> SearchTerms:
    """The shipped aliases and the centre's (when its file exists), the centre's first.

    Raises:
        SearchTermsError: either file is unreadable or breaks the format.
    """
    centre = centre or centre_file()
    own = _read(centre) if centre.exists() else ()
    return SearchTerms((*own, *_read(shipped or shipped_file())))


def _read(path: Path) -> tuple[Alias, ...]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SearchTermsError(
            tr("Không đọc được tệp {path}: {error}", path=str(path), error=exc.strerror or str(exc)), "search_aliases"
        ) from None
    cached = _cache_file(data)
    if cached is not None:
        try:
            return tuple(
                Alias(tuple(map(tuple, t)), tuple(map(tuple, m)), tuple(c))
                for t, m, c in json.loads(cached.read_bytes())
            )
        except (OSError, ValueError, TypeError):
            pass  # missing or damaged: validated again below
    aliases = parse_search_terms(data, str(path))
    if cached is not None:
        _keep(cached, json.dumps([[a.terms, a.means, a.codes] for a in aliases], ensure_ascii=False).encode())
    return aliases


def _cache_file(data: bytes) -> Path | None:
    """Where the aliases of a file with these bytes are kept once validated (pydantic takes a tenth of a second to
    load, which a one-shot search should not pay for the same file every time). Keyed by the bytes and by this
    code's files, so that a changed file or a new version of the folding validates again; None with no cache."""
    try:
        from motcua.paths import cache_dir

        digest = hashlib.sha256(data)
        for module in (Path(__file__), Path(__file__).with_name("text.py")):
            st = module.stat()
            digest.update(f"|{st.st_mtime_ns}|{st.st_size}".encode())
        return cache_dir() / f"search_aliases-{digest.hexdigest()[:32]}.json"
    except OSError:
        return None


def _keep(path: Path, body: bytes) -> None:
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        tmp.write_bytes(body)
        os.replace(tmp, path)
    except OSError:  # a read-only cache costs only the time saved
        tmp.unlink(missing_ok=True)


_current_lock = threading.Lock()
_current: tuple[tuple[Any, ...], SearchTerms] | None = None


def _stamp(path: Path) -> tuple[Any, ...]:
    try:
        st = path.stat()
    except OSError:
        return (str(path), None)
    return (str(path), st.st_mtime_ns, st.st_size)


def current_search_terms() -> SearchTerms:
    """The aliases in force now, re-read when either file changes.

    A bad centre file is left out and reported in ``problem`` (and the log), so that a mistake in it never stops
    a counter from finding procedures; ``load_search_terms`` raises the same error for a check at start-up.
    """
    global _current
    shipped, centre = shipped_file(), centre_file()
    stamp = (_stamp(shipped), _stamp(centre))
    with _current_lock:
        if _current is not None and _current[0] == stamp:
            return _current[1]
        base = _read(shipped)
        problem = ""
        own: tuple[Alias, ...] = ()
        if centre.exists():
            try:
                own = _read(centre)
            except SearchTermsError as exc:
                problem = str(exc)
                log.warning("%s", problem)
        terms = SearchTerms((*own, *base), problem)
        _current = (stamp, terms)
        return terms
