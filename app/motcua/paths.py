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


def cache_dir() -> Path:
    """What can be made again and is worth keeping between runs (search tables of public data, no personal data):
    ``MOTCUA_CACHE_DIR``, else ``%LOCALAPPDATA%\\MotCua\\cache`` on Windows, else ``$XDG_CACHE_HOME/motcua``."""
    env = os.environ.get("MOTCUA_CACHE_DIR")
    if env:
        path = Path(env)
    elif os.name == "nt" and os.environ.get("LOCALAPPDATA"):
        path = Path(os.environ["LOCALAPPDATA"]) / "MotCua" / "cache"
    else:
        path = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "motcua"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path
