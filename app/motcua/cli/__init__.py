"""The ``motcua`` command: run the desktop app, and script the counter (catalog, dossiers, printing, codes).

Each command group is one module of this package with a ``register(sub)`` that adds its sub-parser(s);
:func:`build_parser` calls them in order, and :func:`main` turns the errors they raise into "Lỗi: …" and status 2.
"""

from __future__ import annotations

import argparse
import errno
import os
import sqlite3
import sys
from collections.abc import Sequence

from motcua.cli import (
    audit,
    backup,
    bench,
    calendar,
    catalog,
    data,
    decode,
    dossier,
    printing,
    province,
    queue,
    report,
    run,
    scan,
    server,
    sign,
    sync,
    user,
)
from motcua.cli.common import one_line_errors, settings_from
from motcua.config import ConfigError
from motcua.domain.errors import MotcuaError
from motcua.i18n import SUPPORTED_LANGUAGES, set_language, tr
from motcua.services import log_privacy
from motcua.version import build_info


class _PrintVersion(argparse.Action):
    """``--version``: the build's one line as is (argparse's own action would wrap it)."""

    def __init__(self, option_strings: Sequence[str], dest: str, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        print(build_info().one_line())
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="motcua", description=tr("MotCua Desk — phần mềm Bộ phận Một cửa"))
    p.add_argument("--config", help=tr("tệp cấu hình (mặc định kiosk_config/centre.toml)"))
    p.add_argument("--data-dir", help=tr("thư mục dữ liệu của máy trạm"))
    p.add_argument("--lang", choices=SUPPORTED_LANGUAGES, help=tr("ngôn ngữ: vi hoặc en"))
    p.add_argument("--version", action=_PrintVersion, help=tr("in phiên bản và bản dựng"))
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
    sign.register(sub)
    user.register(sub)
    audit.register(sub)
    data.register(sub)
    report.register(sub)
    backup.register(sub)
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
    log_privacy.install()  # before anything logs: no ID number, phone or e-mail in any log of this process
    early = _early_language(list(sys.argv[1:] if argv is None else argv))
    if early in SUPPORTED_LANGUAGES:
        set_language(early)
    args = one_line_errors(build_parser()).parse_args(argv)
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
    except (IsADirectoryError, NotADirectoryError, PermissionError) as exc:
        print(_path_error_message(exc), file=sys.stderr)
        return 2
    except sqlite3.DatabaseError as exc:
        print(_database_error_message(exc), file=sys.stderr)
        return 2
    except OSError as exc:
        # Only the conditions a clerk can act on; any other OS error is a bug to see in full.
        message = _os_error_message(exc)
        if message is None:
            raise
        print(message, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _os_error_message(exc: OSError) -> str | None:
    """The conditions a clerk can act on (free space, another server on the port, a read-only disk), else None."""
    error = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return tr("Lỗi: ổ đĩa đã đầy, không ghi được tệp ({error}); tệp cũ (nếu có) vẫn giữ nguyên", error=error)
    if exc.errno == errno.EADDRINUSE:
        return tr("Lỗi: cổng mạng đang được chương trình khác dùng ({error}); hãy chọn --port khác", error=error)
    if exc.errno == errno.EADDRNOTAVAIL:
        return tr("Lỗi: máy này không có địa chỉ mạng đã chọn ({error}); kiểm tra --host", error=error)
    if exc.errno == errno.EROFS:
        return tr("Lỗi: ổ đĩa chỉ cho đọc, không ghi được ({error})", error=error)
    return None


def _path_error_message(exc: OSError) -> str:
    where = str(exc.filename) if exc.filename is not None else ""
    if isinstance(exc, IsADirectoryError):
        return tr("Lỗi: {path} là một thư mục, cần một tệp", path=where)
    if isinstance(exc, NotADirectoryError):
        return tr("Lỗi: đường dẫn {path} đi qua một tệp, không phải thư mục", path=where)
    return tr("Lỗi: không có quyền truy cập {path}", path=where)


def _database_error_message(exc: sqlite3.DatabaseError) -> str:
    text = str(exc)
    if "not a database" in text or "malformed" in text:
        return tr(
            "Lỗi: tệp cơ sở dữ liệu bị hỏng hoặc không phải cơ sở dữ liệu SQLite ({error}); "
            "hãy khôi phục từ bản sao lưu hoặc chọn --data-dir khác",
            error=text,
        )
    return tr("Lỗi: không dùng được cơ sở dữ liệu: {error}", error=text)
