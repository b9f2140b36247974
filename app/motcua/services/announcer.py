"""Saying the calls out loud: pre-made WAV clips, one announcement after another, never cut off.

:class:`Announcer` is the small device-like Protocol the display board plays through. ``play`` blocks until the
sound has finished, so that whoever calls it one announcement at a time never talks over itself. The one caller
that matters is :class:`AnnouncementQueue`: a single worker thread that takes announcements in the order they
were called and plays each to its end, whatever arrives meanwhile.

Implementations: the board plays through QtMultimedia (``motcua.ui.audio.QtAnnouncer``, Windows and Linux alike:
only ``ui/`` imports Qt); here :class:`CommandAnnouncer` joins the clips into one WAV (stdlib ``wave``, so there
is no gap or click between clips) and hands it to ``aplay`` / ``paplay`` / ``pw-play``, the fallback where Qt finds
no sound output; :class:`SilentAnnouncer` (no player at all) only waits as long as the sound would last, so the
board keeps the same rhythm; :class:`FakeAnnouncer` records what was played, for tests.
"""

from __future__ import annotations

import io
import logging
import shutil
import subprocess
import tempfile
import threading
import time
import wave
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from motcua.domain.announcement import Announcement
from motcua.paths import resource_path

log = logging.getLogger(__name__)

PLAYERS = (("aplay", "-q"), ("paplay",), ("pw-play",))  # ALSA first: present on any Linux with sound


class Announcer(Protocol):
    """Plays clips one after another and returns when the last has finished."""

    def play(self, clips: Sequence[Path]) -> None: ...


def clip_paths(announcement: Announcement) -> list[Path]:
    """The WAV files of an announcement's clips, in order (``resources/voice/<clip>.wav``)."""
    return [resource_path("voice", f"{name}.wav") for name in announcement.clips]


@dataclass(frozen=True)
class Pcm:
    """Sound as raw samples: what a sound card takes."""

    frames: bytes
    channels: int
    sample_width: int  # bytes per sample
    rate: int  # frames per second

    @property
    def seconds(self) -> float:
        return len(self.frames) / (self.channels * self.sample_width * self.rate)


def join_pcm(clips: Sequence[Path]) -> Pcm:
    """The clips' samples back to back (they must share rate, width and channels, as the clip script makes them).

    Raises:
        ValueError: no clip, or a clip in another format (it would play at the wrong speed).
    """
    parts: list[bytes] = []
    first: tuple[int, int, int] | None = None
    for path in clips:
        with wave.open(str(path), "rb") as src:
            shape = (src.getnchannels(), src.getsampwidth(), src.getframerate())
            if first is None:
                first = shape
            elif shape != first:
                raise ValueError(f"{path.name}: not in the format of the other clips")
            parts.append(src.readframes(src.getnframes()))
    if first is None:
        raise ValueError("no clip to play")
    return Pcm(b"".join(parts), *first)


def join_wav(clips: Sequence[Path]) -> bytes:
    """One WAV holding the clips back to back (see :func:`join_pcm`)."""
    pcm = join_pcm(clips)
    out = io.BytesIO()
    with wave.open(out, "wb") as dst:
        dst.setnchannels(pcm.channels)
        dst.setsampwidth(pcm.sample_width)
        dst.setframerate(pcm.rate)
        dst.writeframes(pcm.frames)
    return out.getvalue()


def duration_s(clips: Sequence[Path]) -> float:
    total = 0.0
    for path in clips:
        with wave.open(str(path), "rb") as src:
            total += src.getnframes() / src.getframerate()
    return total


class CommandAnnouncer:
    """Plays through a command-line player (``aplay -q FILE``), waiting for it to end."""

    def __init__(self, command: Sequence[str]) -> None:
        self.command = list(command)

    def play(self, clips: Sequence[Path]) -> None:
        data = join_wav(clips)
        with tempfile.NamedTemporaryFile(suffix=".wav") as fh:
            fh.write(data)
            fh.flush()
            # A generous timeout: a wedged sound server must not stop the board from announcing the next call.
            subprocess.run([*self.command, fh.name], check=False, timeout=30, capture_output=True)


class SilentAnnouncer:
    """No player on this machine: wait as long as the sound lasts, so flashing and pacing stay the same."""

    def play(self, clips: Sequence[Path]) -> None:
        time.sleep(duration_s(clips))


@dataclass
class FakeAnnouncer:
    """Records each announcement with when it started and ended (tests check that none overlap).

    Attributes:
        seconds: how long each ``play`` takes.
        played: the clip lists, in the order played.
        spans: (start, end) of each play, ``time.monotonic()``.
    """

    seconds: float = 0.0
    played: list[list[Path]] = field(default_factory=list)
    spans: list[tuple[float, float]] = field(default_factory=list)

    def play(self, clips: Sequence[Path]) -> None:
        start = time.monotonic()
        time.sleep(self.seconds)
        self.played.append(list(clips))
        self.spans.append((start, time.monotonic()))


def make_announcer() -> Announcer:
    """The first player found on this machine, else silence."""
    for cmd in PLAYERS:
        if shutil.which(cmd[0]):
            return CommandAnnouncer(cmd)
    log.info("no audio player found (aplay, paplay, pw-play): announcements are shown, not heard")
    return SilentAnnouncer()


class AnnouncementQueue:
    """Announcements in order, one at a time, each to its end, on one worker thread.

    Args:
        announcer: where the sound goes.
        max_pending: older waiting announcements are dropped beyond this (a board that was offline for an hour
            must not read out an hour of calls); the one playing is never cut.
    """

    def __init__(self, announcer: Announcer, max_pending: int = 8) -> None:
        self.announcer = announcer
        self.max_pending = max_pending
        self._items: deque[Announcement] = deque()
        self._busy = False
        self._closed = False
        self._cond = threading.Condition()
        self._thread = threading.Thread(target=self._run, name="announcer", daemon=True)
        self._thread.start()

    def say(self, announcement: Announcement) -> None:
        with self._cond:
            if self._closed:
                return
            self._items.append(announcement)
            while len(self._items) > self.max_pending:
                log.info("announcement dropped (too many waiting): %s", self._items.popleft().text)
            self._cond.notify_all()

    @property
    def busy(self) -> bool:
        """An announcement is playing now."""
        return self._busy

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Block until nothing is playing or waiting (tests, and a clean shutdown)."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._items and not self._busy, timeout)

    def close(self, timeout: float = 10.0) -> None:
        """Stop taking announcements; the one playing finishes (never cut off), the waiting ones are dropped."""
        with self._cond:
            self._closed = True
            self._items.clear()
            self._cond.notify_all()
        self._thread.join(timeout)

    def _run(self) -> None:
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._items or self._closed)
                if not self._items:  # closed and drained
                    return
                item = self._items.popleft()
                self._busy = True
            try:
                self.announcer.play(clip_paths(item))
            except Exception:  # a broken speaker must not stop the board from showing the calls
                log.exception("could not play %s", item.text)
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()
