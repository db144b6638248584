"""Plan documents prepared in the background, so nobody stares at a page that does not answer (issue 19).

A PDF or Word document takes seconds to typeset (more on a busy machine: 5.6–14.7 s was measured in the web with
no sign of progress). The plan page therefore asks for a document (``request_document``); when it is not
prepared yet, a queue task (``tasks.prepare_plan_document``, run by any task worker) renders it, and the page
polls (htmx, every second) until it is ready, then downloads it. The organiser's copy of a participant's plan goes
the same way (``programmes.views.participant_plan_prepare``), and an API client may ask for it (``prepare=true``:
202 with Retry-After until it is ready). The download itself (``downloads.download_plan``) serves the prepared
bytes when they are there; otherwise (an API call without ``prepare``, a no-JavaScript link) it renders in the
request and keeps the result (``keep_document``), so the next download of the same document is served at once.

Prepared documents are files under ``VAR_DIR/documents``, named by the plan (id and creation time), format,
language and the peer averages the document compares with (they move as the platform grows, so a newer comparison is a new file).
Written to a temporary file and renamed: a reader sees a whole document or none, whichever worker wrote it.
A failure is a small ``.failed`` file beside it holding the error, shown to the person waiting; asking again
clears it and queues a new attempt.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from django.conf import settings

from wendao.report import DocumentFormat
from wendao.web.enterprises.models import PlanRecord
from wendao.web.enterprises.services import peer_scores, plan_document

logger = logging.getLogger(__name__)

PREPARED_FORMATS = ("pdf", "docx")  # the slow ones; JSON is served at once
QUEUED_FOR = 600  # seconds a queued request is trusted before a new task is queued (a worker died or none runs)

State = Literal["ready", "preparing", "failed"]


@dataclass(frozen=True)
class DocumentState:
    state: State
    error: str = ""


def _directory() -> Path:
    return Path(settings.VAR_DIR) / "documents"


def document_path(rec: PlanRecord, fmt: str, lang: str) -> Path:
    peers = peer_scores(rec.enterprise)
    comparison = json.dumps([peers.averages, peers.shown, peers.enterprises], sort_keys=True, default=str)
    # created_at: a plan id repeats after a database is reset (tests, a new demo); its creation time does not
    made = rec.created_at.isoformat() if rec.created_at else ""
    digest = hashlib.sha256(f"{rec.pk}\0{made}\0{fmt}\0{lang}\0{comparison}".encode()).hexdigest()[:20]
    return _directory() / f"plan-{rec.pk}-{lang}-{digest}.{fmt}"


def _write(path: Path, body: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(body)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def prepared_document(rec: PlanRecord, fmt: str, lang: str) -> bytes | None:
    """The prepared bytes of this document, or None."""
    if fmt not in PREPARED_FORMATS:
        return None
    try:
        return document_path(rec, fmt, lang).read_bytes()
    except OSError:
        return None


def _store(rec: PlanRecord, path: Path, fmt: str, lang: str, body: bytes) -> None:
    _write(path, body)
    for older in path.parent.glob(f"plan-{rec.pk}-{lang}-*.{fmt}"):  # compared with peers that have since moved
        if older != path:
            older.unlink(missing_ok=True)


def keep_document(rec: PlanRecord, fmt: str, lang: str, body: bytes) -> None:
    """Store a document rendered in a request as the prepared one (the same file a queue task would write)."""
    if fmt in PREPARED_FORMATS:
        _store(rec, document_path(rec, fmt, lang), fmt, lang, body)


def prepare_document(plan_id: int, fmt: DocumentFormat, lang: str) -> str:
    """Render and store the document (the queue task's work); a failure is stored for the page to show."""
    rec = PlanRecord.objects.select_related("enterprise").get(pk=plan_id)
    path = document_path(rec, fmt, lang)
    failed = path.with_suffix(path.suffix + ".failed")
    try:
        body = plan_document(rec, fmt, lang)
    except Exception as exc:  # shown to the person waiting, then raised for the worker's log
        _write(failed, f"{type(exc).__name__}: {exc}"[:500].encode())
        raise
    _store(rec, path, fmt, lang, body)
    failed.unlink(missing_ok=True)
    path.with_suffix(path.suffix + ".queued").unlink(missing_ok=True)
    return path.name


def request_document(rec: PlanRecord, fmt: DocumentFormat, lang: str) -> DocumentState:
    """Ready, failed (with the error), or preparing: queued now unless a recent request queued it already."""
    from wendao.web.enterprises.tasks import prepare_plan_document

    path = document_path(rec, fmt, lang)
    if path.exists():
        return DocumentState("ready")
    failed = path.with_suffix(path.suffix + ".failed")
    queued = path.with_suffix(path.suffix + ".queued")
    if failed.exists():
        error = failed.read_text(encoding="utf-8", errors="replace")
        return DocumentState("failed", error)
    try:
        fresh = time.time() - queued.stat().st_mtime < QUEUED_FOR
    except OSError:
        fresh = False
    if not fresh:
        _write(queued, b"")
        prepare_plan_document.enqueue(rec.pk, fmt, lang)
    return DocumentState("preparing")


def retry_document(rec: PlanRecord, fmt: DocumentFormat, lang: str) -> DocumentState:
    """Forget a failure and ask again."""
    path = document_path(rec, fmt, lang)
    for suffix in (".failed", ".queued"):
        path.with_suffix(path.suffix + suffix).unlink(missing_ok=True)
    return request_document(rec, fmt, lang)
