"""The bundled catalog, parsed and validated once, kept beside the embeddings (issue 19, cold start).

Reading the catalog's YAML, validating it with pydantic and cross-checking it took 0.32 s of CPU in every new
process (2026-12-07, load ~2), about a tenth of a cold `wendao plan`; the validated ``LoadedCatalog`` reads back
from the file below in 0.015 s.

- Key: SHA-256 of every catalog file's name and bytes (what ``load_catalog`` hashes into ``content_hash``, plus
  the files that are absent), of the engine's source (every ``wendao/engine/**/*.py``: the schema, the loader and
  the checks they call), the Python and pydantic versions and the data directory's path. An edited YAML file, a
  changed check or an upgraded pydantic gives another key, so the catalog is read and validated again; a stale
  catalog is never served. Only a catalog that loaded without a problem is written (a broken one raises as before).
- The web's catalog editors write to the database, not to these files: the web builds its catalog from the
  database on top of this one (web/catalog/services.py), whenever the database's revision moves.
- `wendao catalog check` and any other caller of ``load_catalog`` read the files as before; only
  ``default_catalog`` (the bundled catalog a process plans with) goes through this cache.
- Format: a pickle, since the object is a tree of validated pydantic models and re-validating is what costs. A
  pickle runs code when read, so a file is read only if it is a regular file owned by this process's user and
  writable by no one else, in a directory writable by no one else (like the ``__pycache__`` files Python itself
  runs). Any other file, or one that fails to read, is ignored and rewritten. Writes are atomic (a temporary file
  renamed into place). ``WENDAO_CACHE_DIR=off`` turns this cache off with the others.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import stat
import sys
from collections.abc import Callable
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from wendao.engine.atomic import write_atomically
from wendao.engine.embedding_cache import KEEP_PER_KIND, cache_dir

if TYPE_CHECKING:
    from wendao.engine.catalog.loader import LoadedCatalog

log = logging.getLogger(__name__)
ENGINE_DIR = Path(__file__).resolve().parent.parent


@lru_cache(maxsize=1)
def _code_identity() -> bytes:
    digest = hashlib.sha256(f"{sys.version}\0pydantic={metadata.version('pydantic')}\0".encode())
    for file in sorted(ENGINE_DIR.rglob("*.py")):
        digest.update(f"{file.relative_to(ENGINE_DIR)}\0".encode())
        digest.update(file.read_bytes())
    return digest.digest()


def engine_identity() -> str:
    """The running engine's code (every engine source file) with the Python and pydantic versions, as hex: what a
    plan built now depends on besides its inputs and the catalog (the regenerate job's "unchanged" test)."""
    return _code_identity().hex()[:32]


def catalog_key(root: Path, files: tuple[str, ...]) -> str:
    digest = hashlib.sha256(_code_identity())
    digest.update(f"{root.resolve()}\0".encode())
    for name in files:
        path = root / name
        digest.update(name.encode() + b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"\0absent\0")
    return digest.hexdigest()[:32]


def cached_catalog(root: Path, files: tuple[str, ...], load: Callable[[Path], LoadedCatalog]) -> LoadedCatalog:
    """``load(root)``, read back from the cache when these files were loaded before by the same engine code."""
    directory = cache_dir()
    if directory is None:
        return load(root)
    directory = directory.parent / "catalog"
    path = directory / f"catalog-{catalog_key(root, files)}.pickle"
    stored = _read(path)
    if stored is not None:
        return stored
    loaded = load(root)
    _write(path, loaded)
    return loaded


def _trusted(path: Path) -> bool:
    """A regular file of this user, and a directory of this user, neither writable by group or others."""
    try:
        info, parent = path.lstat(), path.parent.lstat()
    except OSError:
        return False
    uid = os.getuid()
    private = stat.S_IWGRP | stat.S_IWOTH
    return (
        stat.S_ISREG(info.st_mode)
        and info.st_uid == uid
        and parent.st_uid == uid
        and not (info.st_mode & private)
        and not (parent.st_mode & private)
    )


def _read(path: Path) -> LoadedCatalog | None:
    from wendao.engine.catalog.loader import LoadedCatalog

    if not path.exists():
        return None
    if not _trusted(path):
        log.warning("catalog cache %s is not private to this user; ignored", path)
        return None
    try:
        stored = pickle.loads(path.read_bytes())
    except Exception as exc:  # a truncated or foreign file of any kind is rebuilt
        log.warning("catalog cache %s unreadable (%s); rebuilding it", path.name, exc)
        return None
    return stored if isinstance(stored, LoadedCatalog) else None


def _write(path: Path, loaded: LoadedCatalog) -> None:
    if not write_atomically(
        path, lambda fh: pickle.dump(loaded, fh, protocol=pickle.HIGHEST_PROTOCOL), "catalog cache"
    ):
        return
    try:
        found = sorted(path.parent.glob("catalog-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        return
    for old in [p for p in found if p != path][KEEP_PER_KIND - 1 :]:
        old.unlink(missing_ok=True)
