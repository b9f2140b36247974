"""The one translation function for every user-facing string.

Source strings are Vietnamese (the default language); catalogs in ``resources/i18n/<lang>.json`` map a
Vietnamese source string to its translation. Placeholders are named (``{code}``) so that translators can
reorder them. A missing translation falls back to the Vietnamese source, never to an empty string.
"""

from __future__ import annotations

import json
import threading
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

from motcua.paths import resource_path

DEFAULT_LANGUAGE = "vi"
SUPPORTED_LANGUAGES = ("vi", "en")

_state = threading.local()
_global_language = DEFAULT_LANGUAGE


def set_language(lang: str) -> None:
    """Set the language for the whole process (the UI switch and ``--lang`` call this)."""
    global _global_language
    if lang not in SUPPORTED_LANGUAGES:
        raise ValueError(f"unsupported language: {lang!r}")
    _global_language = lang


def get_language() -> str:
    return getattr(_state, "lang", None) or _global_language


@cache
def _catalog(lang: str) -> dict[str, str]:
    if lang == DEFAULT_LANGUAGE:
        return {}
    path = resource_path("i18n", f"{lang}.json")
    with open(path, encoding="utf-8") as fh:
        raw: dict[str, str] = json.load(fh)
    return {unicodedata.normalize("NFC", k): v for k, v in raw.items()}


def tr(source: str, /, lang: str | None = None, **params: Any) -> str:
    """Translate a Vietnamese source string and fill its named placeholders.

    Args:
        source: the Vietnamese text, with ``{name}`` placeholders.
        lang: force a language (for example a bilingual receipt); default is the current one.
        **params: values for the placeholders.

    Returns:
        The translated, formatted text.
    """
    key = unicodedata.normalize("NFC", source)
    text = _catalog(lang or get_language()).get(key, key)
    return text.format(**params) if params else text


@contextmanager
def language(lang: str) -> Iterator[None]:
    """Use ``lang`` on this thread only while the block runs (official forms are always printed in Vietnamese)."""
    if lang not in SUPPORTED_LANGUAGES:
        raise ValueError(f"unsupported language: {lang!r}")
    previous = getattr(_state, "lang", None)
    _state.lang = lang
    try:
        yield
    finally:
        _state.lang = previous
