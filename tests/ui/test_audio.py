"""The board's voice through QtMultimedia, heard for real: a private PulseAudio server with a null sound card,
and a recorder on that card's monitor that checks the calls came out, whole and one after another."""

from __future__ import annotations

import array
import json
import math
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from motcua.domain.announcement import Announcement
from motcua.services.announcer import clip_paths, duration_s

pytestmark = pytest.mark.skipif(
    shutil.which("pulseaudio") is None or shutil.which("parec") is None,
    reason="needs pulseaudio and parec (installer/install.sh --dev installs them)",
)

RATE = 16000
PLAYER = """
import json, sys, time
from PySide6.QtCore import QCoreApplication
from motcua.domain.announcement import Announcement
from motcua.services.announcer import AnnouncementQueue
from motcua.ui.audio import QtAnnouncer, board_announcer

app = QCoreApplication([])
announcer = board_announcer()
queue = AnnouncementQueue(announcer)
started = time.monotonic()
for clips in json.loads(sys.argv[1]):
    queue.say(Announcement(" ".join(clips), tuple(clips)))
queue.wait_idle(60)
queue.close()
print(json.dumps({
    "announcer": type(announcer).__name__,
    "played_s": getattr(announcer, "played_s", []),
    "wall_s": time.monotonic() - started,
}))
"""


@pytest.fixture
def sound_server(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A PulseAudio server of this test's own, with one null sound card named ``board``."""
    runtime = tmp_path / "pulse"
    runtime.mkdir(mode=0o700)
    socket = runtime / "native"
    env = {**os.environ, "HOME": str(tmp_path), "XDG_RUNTIME_DIR": str(runtime), "XDG_CONFIG_HOME": str(tmp_path)}
    server = subprocess.Popen(
        [
            "pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--disallow-exit", "--use-pid-file=no",
            "-L", "module-null-sink sink_name=board rate=48000",
            "-L", f"module-native-protocol-unix auth-anonymous=1 socket={socket}",
        ],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    client_env = {**env, "PULSE_SERVER": f"unix:{socket}", "QT_QPA_PLATFORM": "offscreen"}
    try:
        deadline = time.monotonic() + 10
        while subprocess.run(["pactl", "info"], env=client_env, capture_output=True).returncode != 0:
            assert server.poll() is None and time.monotonic() < deadline, "the test's sound server did not start"
            time.sleep(0.1)
        yield client_env
    finally:
        server.terminate()
        server.wait(10)


def _loudness(samples: array.array, start_s: float, end_s: float) -> float:
    part = samples[int(start_s * RATE) : int(end_s * RATE)]
    return math.sqrt(sum(s * s for s in part) / len(part)) if part else 0.0


def test_calls_are_heard_through_qtmultimedia_one_after_another_and_whole(sound_server, tmp_path) -> None:
    calls = [["digit_1"], ["digit_2", "digit_3"]]  # short, as a whole call takes six seconds to say
    expected = [duration_s(clip_paths(Announcement("", tuple(c)))) for c in calls]
    recording = tmp_path / "heard.raw"
    with recording.open("wb") as out:
        recorder = subprocess.Popen(
            ["parec", "-d", "board.monitor", "--raw", "--format=s16le", f"--rate={RATE}", "--channels=1"],
            env=sound_server, stdout=out,
        )  # fmt: skip
        try:
            time.sleep(0.5)  # the recorder is listening
            played = subprocess.run(
                [sys.executable, "-c", PLAYER, json.dumps(calls)],
                env=sound_server, capture_output=True, text=True, timeout=120,
            )  # fmt: skip
            time.sleep(0.5)
        finally:
            recorder.terminate()
            recorder.wait(10)
    assert played.returncode == 0, played.stderr
    report = json.loads(played.stdout.strip().splitlines()[-1])
    assert report["announcer"] == "QtAnnouncer"
    # Each call went to the sound card whole, and the queue waited for each to end before the next.
    assert report["played_s"] == pytest.approx(expected, abs=0.05)
    assert report["wall_s"] >= sum(expected)
    samples = array.array("h", recording.read_bytes())
    heard_s = len(samples) / RATE
    assert heard_s >= sum(expected)
    # Sound for as long as both calls last (a monitor records only while something plays).
    loud = [i / 10 for i in range(int(heard_s * 10)) if _loudness(samples, i / 10, i / 10 + 0.1) > 300]
    assert loud, "nothing was heard on the sound card"
    assert loud[-1] - loud[0] >= sum(expected) * 0.8  # both calls, not one cut short


def test_without_a_sound_output_the_board_falls_back_to_another_player(tmp_path) -> None:
    env = {**os.environ, "PULSE_SERVER": f"unix:{tmp_path / 'nobody'}", "QT_QPA_PLATFORM": "offscreen"}
    code = "from PySide6.QtCore import QCoreApplication; app = QCoreApplication([]);" + (
        "from motcua.ui.audio import board_announcer; print(type(board_announcer()).__name__)"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split()[-1] in {"CommandAnnouncer", "SilentAnnouncer"}
