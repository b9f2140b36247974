"""One background-work API for the whole UI: ``Op(parent, fn).success(cb).failure(cb).run()``.

``fn`` runs on a worker thread and receives nothing from Qt (it calls services, never widgets); the
callbacks always run on the GUI thread, delivered by a queued signal. A result that arrives after its
parent widget was destroyed is dropped.
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import traceback
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QWidget

T = TypeVar("T")
log = logging.getLogger(__name__)


class _Relay(QObject):
    """Lives on the GUI thread, one per asking widget, as long as it; a signal emitted from a worker reaches
    ``deliver`` there (queued).

    One per widget rather than one per op: a relay deleted after each result (``deleteLater``) while PySide still
    held it for the worker's emit aborted the process ("shared QObject was deleted directly").
    """

    done = Signal(int, object, object)  # (op number, result, exception)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._ops: dict[int, Op[Any]] = {}
        self.done.connect(self.deliver)

    @classmethod
    def of(cls, widget: QWidget) -> _Relay:
        relay = widget.findChild(_Relay, "", Qt.FindChildOption.FindDirectChildrenOnly)
        return relay if isinstance(relay, _Relay) else cls(widget)

    def add(self, op: Op[Any]) -> int:
        number = next(_NUMBERS)
        self._ops[number] = op
        return number

    @Slot(int, object, object)
    def deliver(self, number: int, result: Any, exc: Exception | None) -> None:
        op = self._ops.pop(number, None)
        if op is not None:
            op._deliver(result, exc)


_NUMBERS = itertools.count(1)


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay, number: int) -> None:
        super().__init__()
        self._fn = fn
        self._relay = relay
        self._number = number

    def run(self) -> None:
        try:
            result, error = self._fn(), None
        except Exception as exc:  # delivered to the failure callback on the GUI thread
            log.debug("op failed: %s", "".join(traceback.format_exception(exc)))
            result, error = None, exc
        # RuntimeError: the asking widget was closed meanwhile, nobody is left to tell.
        with contextlib.suppress(RuntimeError):
            self._relay.done.emit(self._number, result, error)


class Op(Generic[T]):
    """A piece of work off the GUI thread.

    Args:
        parent: the widget that asked; its lifetime bounds the callbacks.
        fn: the work; takes no arguments, returns the result.
    """

    pool: QThreadPool | None = None

    def __init__(self, parent: QWidget, fn: Callable[[], T]) -> None:
        self._parent = parent
        self._fn = fn
        self._on_success: Callable[[T], None] | None = None
        self._on_failure: Callable[[Exception], None] | None = None

    def success(self, cb: Callable[[T], None]) -> Op[T]:
        self._on_success = cb
        return self

    def failure(self, cb: Callable[[Exception], None]) -> Op[T]:
        self._on_failure = cb
        return self

    def run(self) -> None:
        relay = _Relay.of(self._parent)  # the widget's: destroyed with it, so late results are dropped
        (Op.pool or QThreadPool.globalInstance()).start(_Task(self._fn, relay, relay.add(self)))

    def _deliver(self, result: Any, exc: Exception | None) -> None:
        if exc is not None:
            if self._on_failure is not None:
                self._on_failure(exc)
            else:
                log.error("unhandled op failure: %s", exc)
        elif self._on_success is not None:
            self._on_success(result)


def wait_for_ops(timeout_ms: int = 10_000) -> bool:
    """Block until queued work is done (tests, and shutting down without losing a print job)."""
    return (Op.pool or QThreadPool.globalInstance()).waitForDone(timeout_ms)
