"""Whether a secret key is public: written anywhere in the source this server runs from.

A key committed to the repository (the development key, a key pasted into a test, CI's)
is known to anyone with a clone; a production server that used it would sign sessions and
key CSDS pseudonyms with it. The check reads the text files of the package and, when it
runs from a checkout, of the repository, skipping installed environments and data.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent
SKIPPED = {".git", ".venv", "venv", "node_modules", "data", "__pycache__", ".mypy_cache"}
MAX_FILE_BYTES = 2_000_000
TEXT_SUFFIXES = {
    ".py", ".md", ".txt", ".toml", ".cfg", ".ini", ".json", ".yml", ".yaml", ".sh", ".env",
    ".html", ".csv", ".lock", "",
}  # fmt: skip


def _roots() -> list[Path]:
    roots = [PACKAGE_DIR]
    for parent in PACKAGE_DIR.parents:
        if (parent / "pyproject.toml").exists() and (parent / ".git").exists():
            roots = [parent]
            break
    return roots


def _text_files(root: Path) -> Iterator[Path]:
    for path in root.iterdir():
        if path.name in SKIPPED:
            continue
        if path.is_dir():
            yield from _text_files(path)
        elif path.suffix in TEXT_SUFFIXES and path.stat().st_size <= MAX_FILE_BYTES:
            yield path


def found_in_repository(key: str) -> bool:
    """True when ``key`` appears in any text file of the source tree."""
    if not key:
        return False
    for root in _roots():
        for path in _text_files(root):
            try:
                if key in path.read_text(encoding="utf-8", errors="ignore"):
                    return True
            except OSError:
                continue
    return False
