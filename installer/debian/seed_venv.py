"""Seed the package's virtual environment with the distributions already installed in the project's ``.venv``.

``build-deb.sh --fast`` runs this with the project's own interpreter before pip installs the app into the staged
venv: every dependency of ``motcua-desk`` (its runtime requirements, transitively, no test extras) that is
installed here in a version the requirement allows is copied file by file from its RECORD, with its
``.dist-info``; pip then finds it satisfied and fetches only what is missing. Nothing is downloaded or unpacked
twice, and the package ships the very versions the tests ran against.

Files are hard-linked when the staging folder is on the same file system (a copy otherwise): nothing in the build
writes into an existing file of the staged venv (pip replaces files by unlinking them, compileall adds new ones),
so ``.venv`` is never changed through a link.

Only when this interpreter's ``X.Y`` is the target's (compiled extensions are built per Python version); console
scripts (``../../../bin/…`` in a RECORD) and bytecode are left out: the build compiles the venv itself.

Usage: ``python seed_venv.py SITE_PACKAGES TARGET_PYTHON_VERSION APP_WHEEL`` (the requirements are the wheel's: the
project's own editable install may predate the last change to pyproject.toml).
"""

from __future__ import annotations

import os
import shutil
import sys
import zipfile
from email.parser import HeaderParser
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name


def wheel_requirements(wheel: Path) -> list[str]:
    """The ``Requires-Dist`` lines of a wheel's METADATA."""
    with zipfile.ZipFile(wheel) as zf:
        name = next(n for n in zf.namelist() if n.count("/") == 1 and n.endswith(".dist-info/METADATA"))
        headers = HeaderParser().parsestr(zf.read(name).decode("utf-8"))
    return headers.get_all("Requires-Dist") or []


def closure(requirements: list[str]) -> dict[str, metadata.Distribution]:
    """The installed distributions that ``requirements`` need at run time, transitively (extras a requirement asks
    for included)."""
    found: dict[str, metadata.Distribution] = {}
    pending: list[tuple[list[str], frozenset[str]]] = [(requirements, frozenset())]
    seen: set[tuple[str, frozenset[str]]] = set()
    while pending:
        texts, extras = pending.pop()
        for text in texts:
            req = Requirement(text)
            wanted = ["", *sorted(extras)]  # evaluate() puts these over this interpreter's environment
            if req.marker is not None and not any(req.marker.evaluate({"extra": e}) for e in wanted):
                continue
            try:
                dist = metadata.distribution(req.name)
            except metadata.PackageNotFoundError:
                continue  # pip installs it
            if req.specifier and not req.specifier.contains(dist.version, prereleases=True):
                continue  # installed here in a version the requirement refuses: pip picks one
            key = (canonicalize_name(req.name), frozenset(req.extras))
            if key in seen:
                continue
            seen.add(key)
            found[key[0]] = dist
            pending.append((dist.requires or [], key[1]))
    return found


def copy_distribution(dist: metadata.Distribution, target: Path) -> int:
    """Link or copy the files ``dist`` installed into site-packages (not its scripts, not bytecode); returns how
    many."""
    count = 0
    for entry in dist.files or []:
        parts = entry.parts
        if not parts or parts[0] == ".." or "__pycache__" in parts or entry.suffix == ".pyc":
            continue
        source = Path(str(dist.locate_file(entry)))
        if not source.is_file():
            continue
        destination = target.joinpath(*parts)
        if destination.exists():
            continue  # listed by two distributions (PySide6/__init__.py: Essentials and Addons): the same file
        destination.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, destination)
        except OSError:  # another file system, or links not allowed there
            shutil.copy2(source, destination)
        count += 1
    return count


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    target, version, wheel = Path(argv[0]), argv[1], Path(argv[2])
    here = f"{sys.version_info.major}.{sys.version_info.minor}"
    if here != version:
        print(f"seed_venv: this Python is {here}, the package's is {version}: nothing seeded", file=sys.stderr)
        return 0
    files = 0
    dists = closure(wheel_requirements(wheel))
    for dist in dists.values():
        files += copy_distribution(dist, target)
    print(f"seed_venv: {len(dists)} distributions ({files} files) seeded from {sys.prefix}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
