"""A watched folder: flatbed scanners that "scan to folder" drop image files there; new ones are picked up.

Polled rather than watched through OS notifications, so that it works the same on a network share. A file
is handed over only once its size has stayed the same between two polls (the scanner has finished it).
"""

from __future__ import annotations

from pathlib import Path

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff", ".pdf"})


class WatchedFolder:
    """Args:
    folder: the folder the scanner writes to.
    include_existing: also hand over files already there when watching starts.
    suffixes: file name endings to pick up (lower case).
    """

    def __init__(self, folder: Path, include_existing: bool = False, suffixes: frozenset[str] = IMAGE_SUFFIXES) -> None:
        self.folder = Path(folder)
        self._suffixes = suffixes
        self._done: set[Path] = set() if include_existing else set(self._candidates())
        self._sizes: dict[Path, int] = {}

    def _candidates(self) -> list[Path]:
        if not self.folder.is_dir():
            return []
        return [
            p
            for p in self.folder.iterdir()
            if p.is_file() and p.suffix.lower() in self._suffixes and not p.name.startswith(".")
        ]

    def poll(self) -> list[Path]:
        """New, finished files since the last poll, oldest first."""
        ready = []
        for path in self._candidates():
            if path in self._done:
                continue
            try:
                size = path.stat().st_size
            except OSError:  # deleted between listing and stat
                continue
            if size > 0 and self._sizes.get(path) == size:
                ready.append(path)
                self._done.add(path)
                self._sizes.pop(path, None)
            else:
                self._sizes[path] = size
        return sorted(ready, key=lambda p: (p.stat().st_mtime, p.name))
