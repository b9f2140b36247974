"""The address converter's search tables are kept in the cache folder: built once (seconds), read afterwards."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CONVERT = """
import sys
from motcua.services import addresses
print(addresses._convert("Thôn 1, Xã Sơn Hải, Huyện Bảo Thắng, Tỉnh Lào Cai"), addresses._cached_tables())
"""


def _run(cache: Path) -> str:
    env = {**os.environ, "MOTCUA_CACHE_DIR": str(cache)}
    out = subprocess.run([sys.executable, "-c", CONVERT], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_a_damaged_cache_is_made_again_and_then_read(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    from importlib import metadata

    version = metadata.version("vietnam-address-converter")
    damaged = cache / f"address-tables-{version}-py{sys.version_info[0]}{sys.version_info[1]}.pickle"
    damaged.write_bytes(b"\x80\x05 cut short by a power cut")
    first = _run(cache)
    assert first == "('Thôn 1', 'Xã Bảo Thắng', 'Lào Cai') True"
    assert damaged.stat().st_size > 1_000_000  # made again, whole
    made = damaged.stat().st_mtime_ns
    assert _run(cache) == first  # the same answer from the tables read back
    assert damaged.stat().st_mtime_ns == made  # read, not made again
