"""``motcua backup`` and ``motcua restore``: a copy of the whole data folder, and putting one back.

``backup`` makes one now (the app and the centre server also make one by themselves each day at closing time,
``[backup]``); ``backup --list`` shows those kept. ``restore BACKUP`` checks the backup, then replaces the data
folder with it, keeping the replaced folder beside it (``…before-restore-<time>``).
"""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

from motcua.cli.common import base_dir, settings_from
from motcua.domain.errors import ValidationError
from motcua.i18n import tr


def _mb(n: int) -> str:
    return f"{n / 2**20:.1f}"


def cmd_backup(args: argparse.Namespace) -> int:
    from motcua.services.backup import BackupService
    from motcua.store.backup import read_manifest

    settings = settings_from(args)
    if args.keep is not None and args.keep < 1:
        raise ValidationError(tr("--keep phải từ 1 trở lên"), "keep")
    service = BackupService(settings, base_dir(args, settings), Path(args.to) if args.to else None)
    if args.list:
        backups = service.backups()
        if not backups:
            print(tr("Chưa có bản sao lưu nào trong {folder}", folder=str(service.folder)))
        for info in backups:
            print(f"{info.created_at:%Y-%m-%d %H:%M:%S}  {info.path}")
        return 0
    result = service.run(datetime.now(), args.keep)
    files = read_manifest(result.path)["files"]
    print(
        tr(
            "Đã sao lưu {count} tệp ({mb} MB) vào {path}",
            count=len(files),
            mb=_mb(sum(int(f["bytes"]) for f in files)),
            path=str(result.path),
        )
    )
    if result.removed:
        print(tr("Đã xóa {n} bản sao lưu cũ (giữ {keep} bản mới nhất)", n=len(result.removed),
                 keep=args.keep or settings.backup.keep))  # fmt: skip
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from motcua.store.backup import read_manifest, restore

    settings = settings_from(args)
    data = base_dir(args, settings)
    backup = Path(args.backup)
    manifest = read_manifest(backup)
    if not args.yes:
        print(
            tr(
                "Khôi phục bản sao lưu lúc {created} vào {path}? Thư mục dữ liệu hiện tại sẽ được giữ lại bên cạnh "
                "(…before-restore-…).",
                created=str(manifest.get("created_at", "?")),
                path=str(data),
            )
        )
        try:
            answer = input(tr('Gõ "co" để tiếp tục: '))
        except EOFError:  # no one to answer (a script): add --yes
            answer = ""
        if answer.strip().lower() not in ("co", "có", "c", "y", "yes"):
            print(tr("Đã hủy, không thay đổi gì."))
            return 1
    result = restore(backup, data, datetime.now())
    print(tr("Đã khôi phục {count} tệp vào {path}", count=result.files, path=str(result.data_dir)))
    if result.aside is not None:
        print(tr("Dữ liệu cũ được giữ lại ở {path}", path=str(result.aside)))
    if result.retired_numbers:
        print(
            tr(
                "Đã bỏ {count} số mã hồ sơ dự trữ của bản sao lưu (có thể đã dùng sau khi sao lưu): máy sẽ nhận dãy "
                "số mới khi kết nối được máy chủ trung tâm.",
                count=result.retired_numbers,
            )
        )
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``backup`` and ``restore`` to the ``motcua`` command."""
    b = sub.add_parser("backup", help=tr("sao lưu thư mục dữ liệu (cơ sở dữ liệu và tệp số hóa)"))
    b.add_argument("--to", help=tr("thư mục chứa các bản sao lưu (mặc định mục [backup] folder của cấu hình)"))
    b.add_argument("--keep", type=int, help=tr("giữ N bản sao lưu mới nhất (mặc định [backup] keep)"))
    b.add_argument("--list", action="store_true", help=tr("liệt kê các bản sao lưu đang giữ"))
    b.set_defaults(func=cmd_backup)
    r = sub.add_parser("restore", help=tr("khôi phục thư mục dữ liệu từ một bản sao lưu"))
    r.add_argument("backup", help=tr("thư mục bản sao lưu (motcua-YYYY-MM-DD_HHMMSS)"))
    r.add_argument("--yes", action="store_true", help=tr("không hỏi lại"))
    r.set_defaults(func=cmd_restore)
