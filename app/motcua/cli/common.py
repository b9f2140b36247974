"""What the ``motcua`` sub-commands share: the settings, the workstation, and JSON output."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from motcua.config import Settings, load_settings
from motcua.i18n import tr
from motcua.paths import kiosk_config_dir

Handler = Callable[[argparse.Namespace], int]


def settings_from(args: argparse.Namespace) -> Settings:
    path = Path(args.config) if args.config else kiosk_config_dir() / "centre.toml"
    return load_settings(path)


def centre_address(settings: Settings, queue_config_path: Path | None = None) -> tuple[str, str]:
    """(url, token) of this workstation's centre server: ``[sync] centre_url``, else the queue's ``[client]``
    server (the same server serves both); ("", "") when this PC is the centre."""
    if settings.sync.centre_url:
        return check_server_url(settings.sync.centre_url, "[sync] centre_url"), settings.sync.centre_token
    from motcua.domain.queue_config import load_queue_config

    config = load_queue_config(queue_config_path or kiosk_config_dir() / "queue.toml")
    if config.server_url:
        check_server_url(config.server_url, "[client] server_url")
    return config.server_url, config.token


def queue_path(args: argparse.Namespace) -> Path | None:
    given = getattr(args, "queue_config", None)
    return Path(given) if given else None


def base_dir(args: argparse.Namespace, settings: Settings) -> Path:
    """The data folder: ``--data-dir``, else the settings', else the per-user one."""
    from motcua.domain.errors import ValidationError
    from motcua.paths import data_dir

    given = getattr(args, "data_dir", None)
    base = Path(given) if given else Path(settings.data_dir) if settings.data_dir else data_dir()
    if base.exists() and not base.is_dir():
        raise ValidationError(tr("Thư mục dữ liệu {path} là một tệp, không phải thư mục", path=str(base)), "data_dir")
    return base


def open_workstation(args: argparse.Namespace, seed_catalog: bool = True) -> Any:
    """Open the workstation; like the app, a fresh one starts with the shipped sample catalog.

    Dossier numbers are leased from the centre server when there is one (several counters must never number from
    their own files: that printed the same code twice), else from the centre database on this PC.
    """
    from motcua.services.catalog import CatalogService
    from motcua.services.context import open_context
    from motcua.sync.centre_client import HttpCentreLeases
    from motcua.sync.http import Tls

    settings = settings_from(args)
    base = base_dir(args, settings)
    url, token = centre_address(settings, queue_path(args))
    pin = Tls(pin_sha256=settings.sync.centre_tls_pin_sha256)
    leases = HttpCentreLeases(url, token, timeout=settings.sync.timeout_s, tls=pin) if url else None
    ctx = open_context(settings, base, leases=leases)
    if seed_catalog:
        CatalogService(ctx).ensure_sample()
    return ctx


def context_from(args: argparse.Namespace, seed_catalog: bool = True) -> Any:
    """The workstation of this command (see :func:`open_workstation`)."""
    return open_workstation(args, seed_catalog)


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=1, default=str)
    sys.stdout.write("\n")


def output_path(value: str, option: str = "--out") -> Path:
    """Where a command will write, checked before any work: not a folder, in a folder that exists and is writable.

    Raises:
        ValidationError: naming the option and the path.
    """
    from motcua.domain.errors import ValidationError

    path = Path(value)
    if not value or path.is_dir():
        raise ValidationError(
            tr("{option} phải là một tệp, không phải thư mục: {path}", option=option, path=value), option
        )
    folder = path.parent
    if not folder.is_dir():
        raise ValidationError(tr("Không có thư mục {folder} để ghi {path}", folder=str(folder), path=value), option)
    if not os.access(folder, os.W_OK | os.X_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise ValidationError(tr("Không có quyền ghi vào {path}", path=value), option)
    return path


# Dates a counter deals with: births from 1900, calendars and books well into the future; beyond is a typo.
MIN_YEAR, MAX_YEAR = 1900, 2199


def parse_date(value: str, option: str) -> date:
    """``YYYY-MM-DD`` as given to ``option``; a day that does not exist (2026-02-30) or an absurd year is refused.

    Raises:
        ValidationError: naming the option and the value.
    """
    from motcua.domain.errors import ValidationError

    try:
        day = date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationError(
            tr("{option}: ngày không hợp lệ: {value} (cần dạng YYYY-MM-DD, ngày có thật)", option=option, value=value),
            option,
        ) from None
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        raise ValidationError(
            tr(
                "{option}: năm phải từ {low} đến {high}: {value}",
                option=option,
                low=MIN_YEAR,
                high=MAX_YEAR,
                value=value,
            ),
            option,
        )
    return day


def bounded_int(low: int, high: int) -> Callable[[str], int]:
    """An argparse ``type=`` for a whole number in [low, high]: absurd values stop before any work is done."""

    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise argparse.ArgumentTypeError(tr("cần một số nguyên, không phải {value}", value=text)) from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(
                tr("phải từ {low} đến {high}, không phải {value}", low=low, high=high, value=text)
            )
        return value

    return parse


def one_line_errors(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Make ``parser`` and its sub-parsers report a usage error as the one line "Lỗi: …" (status 2), like every
    other error of the command, instead of argparse's usage block."""

    def error(message: str, _parser: argparse.ArgumentParser = parser) -> NoReturn:
        _parser.exit(2, tr("Lỗi: {message} (xem {prog} --help)", message=message, prog=_parser.prog) + "\n")

    parser.error = error  # type: ignore[method-assign]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in set(action.choices.values()):
                one_line_errors(child)
    return parser


def check_server_url(url: str, option: str) -> str:
    """An ``http(s)://HOST[:PORT]`` address, checked before anything is sent (a typo otherwise surfaces as a
    library's traceback about schemes or ports).

    Raises:
        ValidationError: naming the option and the value.
    """
    from urllib.parse import urlsplit

    from motcua.domain.errors import ValidationError

    bad = ValidationError(
        tr("{option}: địa chỉ máy chủ không hợp lệ: {url} (cần dạng http://MÁY:CỔNG)", option=option, url=url), option
    )
    try:
        parts = urlsplit(url.strip())
        _ = parts.port  # raises ValueError for a port that is not a number or out of range
    except ValueError:
        raise bad from None
    if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in url.strip()):
        raise bad
    return url.strip()
