"""The display board's voice through QtMultimedia: the same on Windows and Linux, no player program needed.

:class:`QtAnnouncer` is an :class:`~motcua.services.announcer.Announcer`: ``play`` blocks until the sound has been
heard to its end, so the announcement queue (one worker thread, one announcement at a time) keeps its order and
never talks over itself. The sink lives and dies on the calling thread with an event loop of its own, so a board
whose GUI thread is busy repainting still speaks, and a closing window never waits on itself.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QEventLoop, QIODevice, QTimer

from motcua.services.announcer import Announcer, Pcm, join_pcm, make_announcer

log = logging.getLogger(__name__)

try:  # the add-on wheel, or the system's PulseAudio library on Linux, may be missing: then another player speaks
    from PySide6.QtMultimedia import QAudioDevice, QAudioFormat, QAudioSink, QMediaDevices, QtAudio
except ImportError as exc:  # pragma: no cover - depends on the machine
    _MISSING: str | None = str(exc)
else:
    _MISSING = None

# After the sink has taken the last sample the sound card still holds a little of it: wait for the sound's own
# length (plus this) before letting the sink go, or the end of the counter number would be cut.
TAIL_S = 0.15


def _format(pcm: Pcm) -> QAudioFormat:
    sample = {
        1: QAudioFormat.SampleFormat.UInt8,
        2: QAudioFormat.SampleFormat.Int16,
        4: QAudioFormat.SampleFormat.Int32,
    }
    if pcm.sample_width not in sample:
        raise ValueError(f"{pcm.sample_width * 8}-bit samples are not supported")
    fmt = QAudioFormat()
    fmt.setSampleRate(pcm.rate)
    fmt.setChannelCount(pcm.channels)
    fmt.setSampleFormat(sample[pcm.sample_width])
    return fmt


class QtAnnouncer:
    """Plays through a QtMultimedia audio output (the system's default unless given).

    Attributes:
        played_s: per announcement, the seconds of sound the output took (tests compare it with the clips').
    """

    def __init__(self, device: QAudioDevice | None = None) -> None:
        self.device = device if device is not None else QMediaDevices.defaultAudioOutput()
        self.played_s: list[float] = []

    def play(self, clips: Sequence[Path]) -> None:
        pcm = join_pcm(clips)
        fmt = _format(pcm)
        if not self.device.isFormatSupported(fmt):
            log.warning("the sound output %s takes no %s Hz sound", self.device.description(), pcm.rate)
        sink = QAudioSink(self.device, fmt)
        buffer = QBuffer()
        buffer.setData(QByteArray(pcm.frames))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        loop = QEventLoop()
        # The sink's state is polled rather than taken from stateChanged: off the GUI thread PySide could not
        # convert that signal's QAudio::State argument, and the loop then waited for its timeout.
        poll = QTimer()
        poll.setInterval(20)

        def check() -> None:
            if sink.state() in (QtAudio.State.IdleState, QtAudio.State.StoppedState):
                loop.quit()

        poll.timeout.connect(check)
        poll.start()
        # A wedged sound server must not stop the board from announcing the next call.
        QTimer.singleShot(int((pcm.seconds + 10) * 1000), loop.quit)
        started = time.monotonic()
        sink.start(buffer)
        if sink.error() == QtAudio.Error.NoError and sink.state() == QtAudio.State.ActiveState:
            loop.exec()
        if sink.error() not in (QtAudio.Error.NoError, QtAudio.Error.UnderrunError):
            log.warning("sound output error: %s", sink.error().name)
        else:
            time.sleep(max(0.0, started + pcm.seconds + TAIL_S - time.monotonic()))
        poll.stop()
        self.played_s.append(sink.processedUSecs() / 1e6)
        sink.stop()
        buffer.close()


def output_available() -> bool:
    """QtMultimedia is there and the system has a sound output."""
    return _MISSING is None and not QMediaDevices.defaultAudioOutput().isNull()


def board_announcer() -> Announcer:
    """QtMultimedia when this machine has a sound output, else a command-line player, else silence."""
    if output_available():
        return QtAnnouncer()
    log.info("QtMultimedia has no sound output here (%s); trying a command-line player", _MISSING or "no device")
    return make_announcer()
