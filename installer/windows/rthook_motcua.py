"""PyInstaller runtime hook: where the frozen MotCua Desk finds its files (runs before the program's own code).

``motcua.paths`` looks beside the source tree unless told otherwise; frozen, the shipped ``resources/`` and
``kiosk_config/`` are in the bundle (``sys._MEIPASS``, the ``_internal`` folder next to the programs). Each variable is
set only when the environment does not already set it, so a technician can still point a PC elsewhere (for
example a machine-wide ``MOTCUA_KIOSK_CONFIG``).

The data folder: ``paths.data_dir()`` defaults to ``~/.local/share/motcua``, a Linux convention; on Windows each
user's workstation data goes to ``%LOCALAPPDATA%\\MotCua`` (local to the PC, not roaming with the profile: it holds
the workstation's SQLite database). The centre service does not use this: it passes ``--data-dir``
``%ProgramData%\\MotCua`` itself (motcua.winservice).
"""

import os
import sys

_bundle = getattr(sys, "_MEIPASS", None)
if _bundle:
    os.environ.setdefault("MOTCUA_RESOURCES", os.path.join(_bundle, "resources"))
    os.environ.setdefault("MOTCUA_KIOSK_CONFIG", os.path.join(_bundle, "kiosk_config"))
if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
    os.environ.setdefault("MOTCUA_DATA_DIR", os.path.join(os.environ["LOCALAPPDATA"], "MotCua"))
