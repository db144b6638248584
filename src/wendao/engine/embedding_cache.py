"""Passage embeddings kept on disk between processes, keyed by the model and the texts' content.

Embedding the catalog's scenario passages took about 7.5 s of CPU in every new process (`bench search`), the larger
part of a cold `wendao plan` and of a web worker's first search (issue 19). The vectors depend only on the model
and the passage texts, so they are computed once and read back (a few milliseconds) by every later process.

- Where: ``WENDAO_CACHE_DIR`` (``off`` turns the cache off), else ``$XDG_CACHE_HOME/wendao``, else
  ``~/.cache/wendao``; files under ``embeddings/``.
- Key: SHA-256 of the model identity and of every passage text, in order. One file per (kind, key).
- Reuse: on a miss, rows of the newest file of the same kind whose text hash matches are reused and only the
  changed passages are embedded (a provider who edits a profile costs one passage, not ten thousand).
- Concurrent writers (web workers, a batch export): each writes a temporary file in the same directory and
  renames it into place (atomic on POSIX), so a reader sees a whole file or none. A file that cannot be read, or
  whose row keys or shape do not match, is treated as absent and rewritten. A directory that cannot be written
  leaves the vectors computed in memory; the cache is an optimisation, never a requirement.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from wendao.engine.atomic import write_atomically

log = logging.getLogger(__name__)

Vectors = npt.NDArray[np.float32]
KEEP_PER_KIND = 6  # files kept per kind: the current catalog and a few earlier versions (tests, rollbacks)
_KEY_DTYPE = "S64"  # hex SHA-256 of one passage


def cache_dir() -> Path | None:
    """The embeddings directory, or None when the cache is turned off (``WENDAO_CACHE_DIR=off``)."""
    configured = os.environ.get("WENDAO_CACHE_DIR", "").strip()
    if configured.lower() in ("off", "none", "0"):
        return None
    if configured:
        root = Path(configured).expanduser()
    else:
        xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
        root = (Path(xdg) if xdg else Path.home() / ".cache") / "wendao"
    return root / "embeddings"


def text_key(model: str, text: str) -> bytes:
    return hashlib.sha256(f"{model}\0{text}".encode()).hexdigest().encode("ascii")


def cached_passages(kind: str, model: str, texts: Sequence[str], embed: Callable[[Sequence[str]], Vectors]) -> Vectors:
    """``embed(texts)``, read from the cache when this model has embedded these texts before.

    ``kind`` names the collection (``scenarios``, ``providers``) so that reuse looks only at its own files;
    ``model`` identifies the embedding model (a different model never reuses a vector)."""
    directory = cache_dir()
    if directory is None or not texts:
        return embed(texts)
    keys = np.array([text_key(model, t) for t in texts], dtype=_KEY_DTYPE)
    digest = hashlib.sha256(b"".join(keys.tolist())).hexdigest()[:32]
    path = directory / f"{kind}-{digest}.npz"
    stored = _read(path)
    if stored is not None and np.array_equal(stored[0], keys):
        return stored[1]
    vectors = _embed_missing(kind, directory, keys, texts, embed)
    _write(path, keys, vectors)
    _prune(directory, kind, keep=path)
    return vectors


def _embed_missing(
    kind: str,
    directory: Path,
    keys: npt.NDArray[np.bytes_],
    texts: Sequence[str],
    embed: Callable[[Sequence[str]], Vectors],
) -> Vectors:
    """Vectors for every key: rows of the newest readable file of this kind where the text is the same, the rest
    embedded now."""
    known: dict[bytes, Vectors] = {}
    for candidate in _files(directory, kind)[:1]:
        stored = _read(candidate)
        if stored is not None:
            known = {bytes(k): v for k, v in zip(stored[0].tolist(), stored[1], strict=True)}
    missing = [i for i, k in enumerate(keys.tolist()) if bytes(k) not in known]
    fresh = embed([texts[i] for i in missing]) if missing else None
    if fresh is not None and not known:
        return fresh
    dim = fresh.shape[1] if fresh is not None else next(iter(known.values())).shape[0]
    out = np.empty((len(texts), dim), dtype=np.float32)
    for i, k in enumerate(keys.tolist()):
        if bytes(k) in known:
            out[i] = known[bytes(k)]
    if fresh is not None:
        out[missing] = fresh
    return out


def _read(path: Path) -> tuple[npt.NDArray[np.bytes_], Vectors] | None:
    try:
        with np.load(path, allow_pickle=False) as data:
            keys, vectors = data["keys"], data["vectors"]
    except FileNotFoundError:
        return None
    except Exception as exc:  # a truncated, foreign or corrupt file of any kind is rebuilt
        log.warning("embedding cache %s unreadable (%s); rebuilding it", path.name, exc)
        return None
    if (
        keys.ndim != 1
        or vectors.ndim != 2
        or vectors.dtype != np.float32
        or keys.shape[0] != vectors.shape[0]
        or not np.isfinite(vectors).all()
    ):
        log.warning("embedding cache %s has the wrong shape; rebuilding it", path.name)
        return None
    return keys, vectors


def _write(path: Path, keys: npt.NDArray[np.bytes_], vectors: Vectors) -> None:
    write_arrays(path, keys=keys, vectors=vectors.astype(np.float32, copy=False))


def write_arrays(path: Path, **arrays: npt.NDArray[Any]) -> None:
    """``arrays`` into ``path`` (.npz), atomically: a temporary file in the same directory renamed into place. A
    directory that cannot be written is logged and left; a cache is an optimisation, never a requirement."""
    write_atomically(path, lambda fh: np.savez(fh, **arrays))  # type: ignore[arg-type]


def _files(directory: Path, kind: str) -> list[Path]:
    """This kind's cache files, newest first."""
    try:
        found = [(p.stat().st_mtime, p) for p in directory.glob(f"{kind}-*.npz")]
    except OSError:
        return []
    return [p for _, p in sorted(found, key=lambda mp: mp[0], reverse=True)]


def _prune(directory: Path, kind: str, keep: Path) -> None:
    for old in [p for p in _files(directory, kind) if p != keep][KEEP_PER_KIND - 1 :]:
        old.unlink(missing_ok=True)
