"""Where the benchmarks find their images when no folder is given.

The full fixture sets live in ``../shared/fixtures`` beside the repository. A fresh clone has no such folder;
then the small copy the tests use, ``tests/data``, stands in (fewer images, the same truth-file format).
"""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
TEST_DATA = REPO / "tests" / "data"


def fixtures_folder(shared: Path) -> Path:
    """``shared`` when it exists, else the folder of the same name under ``tests/data``."""
    if shared.is_dir():
        return shared
    return TEST_DATA / shared.name
