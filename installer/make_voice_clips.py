"""Make the display board's announcement clips in resources/voice/ with espeak-ng (Vietnamese voice).

    python installer/make_voice_clips.py [--out resources/voice]

One WAV per fixed phrase ("Mời công dân số", "đến quầy số"), per letter A–Z and per digit 0–9, named as
motcua.domain.announcement.all_clips() expects. espeak-ng writes 22.05 kHz; the clips are resampled to 16 kHz
mono 16-bit (linear interpolation: speech, not music) to keep the set small. A centre that wants a human voice
records WAVs with the same names and drops them in the folder.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import wave
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "app"))
from motcua.domain.announcement import DIGITS, LETTERS, PHRASES, clip_name  # noqa: E402

RATE = 16_000
DIGIT_WORDS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]


def speak(text: str, out: Path) -> None:
    with tempfile.NamedTemporaryFile(suffix=".wav") as tmp:
        subprocess.run(["espeak-ng", "-v", "vi", "-s", "150", "-w", tmp.name, text], check=True)
        with wave.open(tmp.name, "rb") as w:
            rate, frames = w.getframerate(), w.readframes(w.getnframes())
    samples = np.frombuffer(frames, dtype="<i2").astype(np.float64)
    n = int(len(samples) * RATE / rate)
    resampled = np.interp(np.linspace(0, len(samples) - 1, n), np.arange(len(samples)), samples)
    with wave.open(str(out), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(np.clip(resampled, -32768, 32767).astype("<i2").tobytes())


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--out", default=str(Path(__file__).resolve().parents[1] / "resources" / "voice"))
    out = Path(p.parse_args().out)
    out.mkdir(parents=True, exist_ok=True)
    texts = dict(PHRASES)
    texts.update({clip_name(x): x for x in LETTERS})
    texts.update({clip_name(d): DIGIT_WORDS[int(d)] for d in DIGITS})
    for name, text in texts.items():
        speak(text, out / f"{name}.wav")
    total = sum(f.stat().st_size for f in out.glob("*.wav"))
    print(f"{len(texts)} clips, {total / 1024:.0f} KiB in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
