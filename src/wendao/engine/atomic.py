"""Writing a cache file atomically: a temporary file in the same directory, renamed into place."""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

log = logging.getLogger(__name__)


def write_atomically(path: Path, dump: Callable[[BinaryIO], None], what: str = "cache") -> bool:
    """``dump`` writes the file's bytes; readers never see half a file. The directory is made 0755 and the file
    0644 (mkstemp makes it private; other processes of the deployment read it). A directory that cannot be written
    is logged and left, and False returned: a cache is an optimisation, never a requirement."""
    try:
        path.parent.mkdir(mode=0o755, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                dump(fh)
            os.chmod(tmp, 0o644)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError as exc:
        log.warning("%s not written to %s (%s)", what, path.parent, exc)
        return False
    return True
