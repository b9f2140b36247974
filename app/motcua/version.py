"""Which build this is, in one line: ``motcua --version``, the About box, and a technician's support call.

The version is the package's (``motcua.__version__``, as on its PDFs and backups). The build is what the
installer stamped into ``resources/build.json`` (``{"build": ..., "commit": ..., "built_at": ...}``, written by
installer/build-deb.sh and the Windows build), or, run from a source checkout, the checkout's commit read from
``.git`` (no git program needed, as on Windows).
"""

from __future__ import annotations

import json
import platform
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from motcua import __version__
from motcua.paths import resource_path

_REPO = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class BuildInfo:
    version: str
    build: str  # "deb 2026-12-01", "windows 2026-12-01", "source" ...
    commit: str | None
    python: str
    qt: str | None
    system: str

    def one_line(self) -> str:
        commit = f" {self.commit[:10]}" if self.commit else ""
        qt = f", Qt {self.qt}" if self.qt else ""
        return f"MotCua Desk {self.version} ({self.build}{commit}; Python {self.python}{qt}; {self.system})"


def _package_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def _stamp() -> dict[str, str]:
    try:
        data = json.loads(resource_path("build.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def checkout_commit(repo: Path = _REPO) -> str | None:
    """The commit of a source checkout, from ``.git/HEAD`` and its ref (loose or packed)."""
    git = repo / ".git"
    try:
        head = (git / "HEAD").read_text(encoding="ascii").strip()
        if not head.startswith("ref: "):
            return head or None
        ref = head[5:]
        loose = git / ref
        if loose.is_file():
            return loose.read_text(encoding="ascii").strip() or None
        for line in (git / "packed-refs").read_text(encoding="ascii").splitlines():
            if line.endswith(" " + ref):
                return line.split(" ", 1)[0]
    except OSError:
        return None
    return None


def build_info() -> BuildInfo:
    stamp = _stamp()
    commit = stamp.get("commit") or (None if stamp else checkout_commit())
    build = " ".join(p for p in (stamp.get("build"), stamp.get("built_at")) if p) or "source"
    return BuildInfo(
        version=__version__,  # the one the PDFs, workbooks and backups are stamped with
        build=build,
        commit=commit,
        python=platform.python_version(),
        qt=_package_version("PySide6-Essentials") or _package_version("PySide6"),
        system=f"{platform.system()} {platform.release()} {platform.machine()}".strip()
        + (" frozen" if getattr(sys, "frozen", False) else ""),
    )
