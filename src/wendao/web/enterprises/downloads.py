"""Handing a stored plan out as a document: one use case for the enterprise's web page, the API and the
programme organiser's participant page.

Every download is audited as ``plan.download`` (which format, language and way, ``via``): programme staff read
a participant's "document downloaded" status from these events (``programmes.services.participants_with_status``).
Before this use case only the enterprise web view recorded it, so a plan fetched through the API or by the
organiser left the status unset (issue 21, rules written twice).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from django.http import HttpResponse

from wendao.report import CONTENT_TYPES, DocumentFormat
from wendao.web.accounts.audit import record
from wendao.web.accounts.types import Visitor
from wendao.web.enterprises.models import PlanRecord
from wendao.web.enterprises.prepared import keep_document, prepared_document
from wendao.web.enterprises.services import plan_document

Via = Literal["web", "api", "organiser"]


@dataclass(frozen=True)
class PlanDownload:
    body: bytes
    content_type: str
    file_name: str

    def response(self, disposition: Literal["attachment", "inline"] = "attachment") -> HttpResponse:
        response = HttpResponse(self.body, content_type=self.content_type)
        response["Content-Disposition"] = f'{disposition}; filename="{self.file_name}"'
        return response


def download_name(rec: PlanRecord, fmt: str, lang: str) -> str:
    return f"wendao-plan-{rec.pk}-{lang}.{fmt}"


def download_plan(user: Visitor, rec: PlanRecord, fmt: DocumentFormat, lang: str, via: Via) -> PlanDownload:
    """The plan as a document, recorded as downloaded by ``user``. The caller has fetched ``rec`` through an access
    helper (the user may see it) and checked the format and language."""
    # prepared in the background (prepared.py) when it was asked for so; otherwise rendered now and kept
    body = prepared_document(rec, fmt, lang)
    if body is None:
        body = plan_document(rec, fmt, lang)
        keep_document(rec, fmt, lang, body)
    record(user, "plan.download", rec, {"format": fmt, "lang": lang, "via": via})
    return PlanDownload(body, CONTENT_TYPES[fmt], download_name(rec, fmt, lang))
