"""Reading codes from a camera in real time: one thread reads frames, another decodes the newest.

A camera delivers 30 frames a second whatever we do with them. Decoding each frame in turn, as they come, would
fall behind and work on ever older frames; here the reading thread leaves each frame in a single-slot mailbox,
overwriting the one not yet decoded, and the decoding thread always takes the newest. Plain threads, no Qt: the
UI and the CLI both use it (through ``services.scanning``).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from motcua.devices.barcode import LiveDecoder, Symbol
from motcua.devices.camera import Camera
from motcua.devices.mailbox import Mailbox

Decode = Callable[[np.ndarray], list[Symbol]]


@dataclass(frozen=True, slots=True)
class ScanResult:
    """Codes read from one frame; ``index`` counts the frames read from the camera, from 0."""

    index: int
    symbols: tuple[Symbol, ...]


class ScanWorker:
    """Decodes the newest camera frame, again and again, until stopped or the source ends.

    Results with at least one code go to ``results`` (and to ``on_result``, called on the decoding thread); a
    ``None`` there says the worker has finished (the source ended, a read or decode failed: see ``error``, or
    ``stop`` was called). The camera is read but never closed here: its owner closes it after ``stop``.

    Args:
        camera: the frame source.
        decode: frame → codes; default a ``LiveDecoder`` (fast pass plus budgeted recovery).
        on_result: called with each result that has codes.
    """

    def __init__(
        self, camera: Camera, decode: Decode | None = None, on_result: Callable[[ScanResult], None] | None = None
    ) -> None:
        self._camera = camera
        self._decode = decode if decode is not None else LiveDecoder().decode
        self._on_result = on_result
        self._mailbox: Mailbox[tuple[int, np.ndarray]] = Mailbox()
        self._stopping = threading.Event()
        self._reader = threading.Thread(target=self._read_loop, name="camera-reader", daemon=True)
        self._decoder = threading.Thread(target=self._decode_loop, name="code-decoder", daemon=True)
        self.results: queue.Queue[ScanResult | None] = queue.Queue()
        self.error: BaseException | None = None
        self.frames_read = 0
        self.frames_decoded = 0

    @property
    def frames_dropped(self) -> int:
        """Frames overwritten by a newer one before the decoder got to them."""
        return self._mailbox.dropped

    def start(self) -> ScanWorker:
        self._reader.start()
        self._decoder.start()
        return self

    def stop(self, timeout: float = 2.0) -> bool:
        """Stop both threads and wait for them (a read in progress ends first); True if both ended in time."""
        self._stopping.set()
        self._mailbox.close(discard=True)
        for thread in (self._reader, self._decoder):
            if thread.is_alive() and thread is not threading.current_thread():
                thread.join(timeout)
        return not (self._reader.is_alive() or self._decoder.is_alive())

    def _read_loop(self) -> None:
        try:
            while not self._stopping.is_set():
                frame = self._camera.read()
                if frame is None:
                    break
                self._mailbox.put((self.frames_read, frame))
                self.frames_read += 1
        except Exception as exc:  # a camera unplugged mid-read: reported to the owner, not lost in a thread
            self.error = exc
        finally:
            self._mailbox.close()  # the decoder still gets the last frame

    def _decode_loop(self) -> None:
        try:
            while (item := self._mailbox.take()) is not None:
                index, frame = item
                symbols = self._decode(frame)
                self.frames_decoded += 1
                if symbols and not self._stopping.is_set():
                    result = ScanResult(index, tuple(symbols))
                    self.results.put(result)
                    if self._on_result is not None:
                        self._on_result(result)
        except Exception as exc:  # e.g. a frame of a shape no decoder takes
            self.error = self.error or exc
        finally:
            self.results.put(None)
