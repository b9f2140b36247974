"""The ``motcua`` command: run the desktop app, and script the counter (catalog, dossiers, printing, codes).

Each command group is one module of this package with a ``register(sub)`` that adds its sub-parser(s);
:func:`build_parser` calls them in order, and :func:`main` turns the errors they raise into "Lỗi: …" and status 2.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from motcua.cli import bench, calendar, catalog, decode, dossier, printing, province, queue, run, scan, server, sync
from motcua.cli.common import settings_from
from motcua.config import ConfigError
from motcua.domain.errors import MotcuaError
from motcua.i18n import SUPPORTED_LANGUAGES, set_language, tr


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="motcua", description=tr("MotCua Desk — phần mềm Bộ phận Một cửa"))
    p.add_argument("--config", help=tr("tệp cấu hình (mặc định kiosk_config/centre.toml)"))
    p.add_argument("--data-dir", help=tr("thư mục dữ liệu của máy trạm"))
    p.add_argument("--lang", choices=SUPPORTED_LANGUAGES, help=tr("ngôn ngữ: vi hoặc en"))
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run.register(sub)
    catalog.register(sub)
    dossier.register(sub)
    printing.register(sub)
    calendar.register(sub)
    decode.register(sub)
    bench.register(sub)
    scan.register(sub)
    server.register(sub)
    queue.register(sub)
    sync.register(sub)
    province.register(sub)
    return p


def _early_language(argv: Sequence[str]) -> str | None:
    """``--lang`` as given, looked for before the parser exists so that ``--help`` speaks that language too."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return os.environ.get("MOTCUA_LANG")


def main(argv: Sequence[str] | None = None) -> int:
    early = _early_language(list(sys.argv[1:] if argv is None else argv))
    if early in SUPPORTED_LANGUAGES:
        set_language(early)
    args = build_parser().parse_args(argv)
    lang = args.lang or os.environ.get("MOTCUA_LANG")
    try:
        if lang:
            set_language(lang)
        else:
            set_language(settings_from(args).ui.language)
        return int(args.func(args))
    except (MotcuaError, ConfigError) as exc:
        print(tr("Lỗi: {message}", message=str(exc)), file=sys.stderr)
        return 2
    except ValueError as exc:
        # Dates and numbers given on the command line (fromisoformat, int) that do not parse.
        print(tr("Lỗi: giá trị không hợp lệ: {error}", error=str(exc)), file=sys.stderr)
        return 2
    except FileNotFoundError as exc:
        print(tr("Lỗi: không tìm thấy tệp {file}", file=exc.filename), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
