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


def context_from(args: argparse.Namespace, seed_catalog: bool = True) -> Any:
    """Open the workstation; like the app, a fresh one starts with the shipped sample catalog."""
    from motcua.services.catalog import CatalogService
    from motcua.services.context import open_context

    settings = settings_from(args)
    directory = Path(args.data_dir) if args.data_dir else None
    ctx = open_context(settings, directory)
    if seed_catalog:
        CatalogService(ctx).ensure_sample()
    return ctx


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=1, default=str)
    sys.stdout.write("\n")
