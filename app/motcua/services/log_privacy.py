"""Nothing personal in the logs: ID numbers, phone numbers and e-mail addresses are masked in every record of the
``motcua`` logger tree before any handler sees it.

Logs are copied around (a support ticket, a screenshot, a file left on a shared drive) and kept longer than the
data they would reveal, so the code never logs a citizen's data on purpose, and this filter catches what slips
through: an exception whose message quotes a field, a library error echoing a request. Names cannot be recognised
by a pattern; they must simply never be logged (``tests/privacy/test_logs.py`` receives, syncs and prints at DEBUG
and looks for one).

A filter on the ``motcua`` logger sees only records logged on that logger itself, not those of its children
(``motcua.sync.engine`` …) passing through; the log record factory sees them all, so the filter is applied there,
to the records of this tree only, whatever handlers ``basicConfig`` installs later.
"""

from __future__ import annotations

import logging
import re
import threading
from typing import Any

ROOT = "motcua"

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# A 12-digit personal identification number, whole or in groups of three (051 084 009 698, 051.084.009.698); the old
# 9-digit CMND likewise. Digits of a longer word (a hash, a UUID) are not a number of their own.
_ID = re.compile(r"(?<![\w.])(?:\d{12}|\d{3}(?:[ .]\d{3}){3}|\d{9}|\d{3}(?:[ .]\d{3}){2})(?![\w])")
# Vietnamese phones: 0 or (+)84, then a mobile (3/5/7/8/9) or landline (2) prefix and 8–9 more digits, possibly
# grouped by spaces, dots or dashes.
_PHONE = re.compile(r"(?<![\w+])(?:\+84|84|0)[ .-]?[2-9](?:[ .-]?\d){7,9}(?![\w])")

MASKS = ((_EMAIL, "[email]"), (_PHONE, "[phone]"), (_ID, "[id]"))  # a grouped phone holds a 9-digit group


def mask(text: str) -> str:
    """``text`` with ID numbers, phones and e-mail addresses replaced by ``[id]``, ``[phone]``, ``[email]``."""
    for pattern, replacement in MASKS:
        text = pattern.sub(replacement, text)
    return text


class PersonalDataFilter(logging.Filter):
    """Masks a record's message, its arguments (merged in), its exception text and stack: never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_motcua_masked", False):
            return True
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # arguments that do not fit the format: keep both, masked as text
            message = f"{record.msg} {record.args}"
        record.msg = mask(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask(record.exc_text)
        if record.stack_info:
            record.stack_info = mask(record.stack_info)
        record.__dict__["_motcua_masked"] = True
        return True


_installed = threading.Lock()
_filter = PersonalDataFilter()
_done = False


def _ours(name: str) -> bool:
    return name == ROOT or name.startswith(ROOT + ".")


def install() -> PersonalDataFilter:
    """Mask every record of the ``motcua`` tree from now on, in this process (safe to call more than once)."""
    global _done
    with _installed:
        if _done:
            return _filter
        previous = logging.getLogRecordFactory()

        def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
            record = previous(*args, **kwargs)
            if _ours(record.name):
                _filter.filter(record)
            return record

        logging.setLogRecordFactory(factory)
        logging.getLogger(ROOT).addFilter(_filter)
        _done = True
    return _filter
