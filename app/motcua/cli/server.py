"""``motcua server``: run the centre server; its options and entry point are in :mod:`motcua.server.__main__`."""

from __future__ import annotations

import argparse

from motcua.i18n import tr
from motcua.server import __main__ as server_main


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``server`` to the ``motcua`` command."""
    srv = sub.add_parser("server", help=tr("chạy máy chủ trung tâm (hàng đợi, số hồ sơ, đồng bộ) hoặc máy chủ tỉnh"))
    server_main.add_arguments(srv)
    srv.set_defaults(func=server_main.serve)
