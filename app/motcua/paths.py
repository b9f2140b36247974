"""Where things live: packaged resources and per-user data, never relative to the current directory."""

from __future__ import annotations

import os
from pathlib import Path

_REPO_ROOT = Path(__file__).resolve().parents[2]


def resources_dir() -> Path:
    """The ``resources/`` folder shipped with the app (overridable for installed layouts)."""
    env = os.environ.get("MOTCUA_RESOURCES")
    return Path(env) if env else _REPO_ROOT / "resources"


def resource_path(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def kiosk_config_dir() -> Path:
    env = os.environ.get("MOTCUA_KIOSK_CONFIG")
    return Path(env) if env else _REPO_ROOT / "kiosk_config"


def data_dir() -> Path:
    """Per-user data: the workstation database, generated PDFs, scans (XDG on Linux)."""
    env = os.environ.get("MOTCUA_DATA_DIR")
    if env:
        path = Path(env)
    else:
        base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        path = Path(base) / "motcua"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)  # personal data: this account only (store/permissions.py)
    return path
