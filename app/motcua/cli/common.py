"""What the ``motcua`` sub-commands share: the settings, the workstation, and JSON output."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from motcua.config import Settings, load_settings
from motcua.paths import kiosk_config_dir

Handler = Callable[[argparse.Namespace], int]


def settings_from(args: argparse.Namespace) -> Settings:
    path = Path(args.config) if args.config else kiosk_config_dir() / "centre.toml"
    return load_settings(path)


def centre_address(settings: Settings, queue_config_path: Path | None = None) -> tuple[str, str]:
    """(url, token) of this workstation's centre server: ``[sync] centre_url``, else the queue's ``[client]``
    server (the same server serves both); ("", "") when this PC is the centre."""
    if settings.sync.centre_url:
        return settings.sync.centre_url, settings.sync.centre_token
    from motcua.domain.queue_config import load_queue_config

    config = load_queue_config(queue_config_path or kiosk_config_dir() / "queue.toml")
    return config.server_url, config.token


def queue_path(args: argparse.Namespace) -> Path | None:
    given = getattr(args, "queue_config", None)
    return Path(given) if given else None


def base_dir(args: argparse.Namespace, settings: Settings) -> Path:
    """The data folder: ``--data-dir``, else the settings', else the per-user one."""
    if getattr(args, "data_dir", None):
        return Path(args.data_dir)
    from motcua.paths import data_dir

    return Path(settings.data_dir) if settings.data_dir else data_dir()


def open_workstation(args: argparse.Namespace, seed_catalog: bool = True) -> Any:
    """Open the workstation; like the app, a fresh one starts with the shipped sample catalog.

    Dossier numbers are leased from the centre server when there is one (several counters must never number from
    their own files: that printed the same code twice), else from the centre database on this PC.
    """
    from motcua.services.catalog import CatalogService
    from motcua.services.context import open_context
    from motcua.sync.centre_client import HttpCentreLeases

    settings = settings_from(args)
    url, token = centre_address(settings, queue_path(args))
    leases = HttpCentreLeases(url, token, timeout=settings.sync.timeout_s) if url else None
    ctx = open_context(settings, base_dir(args, settings), leases=leases)
    if seed_catalog:
        CatalogService(ctx).ensure_sample()
    return ctx


def context_from(args: argparse.Namespace, seed_catalog: bool = True) -> Any:
    """The workstation of this command (see :func:`open_workstation`)."""
    return open_workstation(args, seed_catalog)


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=1, default=str)
    sys.stdout.write("\n")
