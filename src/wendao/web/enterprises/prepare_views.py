"""The plan page's download buttons for the slow formats: prepared in the background with progress shown
(prepared.py). Without JavaScript the plain download link renders in the request as before."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from wendao.web.enterprises import prepared
from wendao.web.enterprises.access import get_plan_for_user

POLL_SECONDS = 1


@login_required
@require_http_methods(["GET", "POST"])
def plan_prepare(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """GET: the document's state (asks for it when nobody has); POST: try again after a failure. Ready: the
    browser is sent to the download (HX-Redirect, or a plain redirect without htmx)."""
    rec = get_plan_for_user(request.user, pk)
    if fmt not in prepared.PREPARED_FORMATS:
        raise Http404("no such format")
    lang = request.GET.get("lang") or ("en" if (get_language() or "").startswith("en") else "zh")
    if lang not in ("zh", "en"):
        raise Http404("no such language")
    ask = prepared.retry_document if request.method == "POST" else prepared.request_document
    state = ask(rec, fmt, lang)  # type: ignore[arg-type]
    download = reverse("enterprises:plan_download", kwargs={"pk": rec.pk, "fmt": fmt}) + f"?lang={lang}"
    poll = reverse("enterprises:plan_prepare", kwargs={"pk": rec.pk, "fmt": fmt}) + f"?lang={lang}"
    return document_progress(request, state, fmt, poll, download)


def document_progress(
    request: HttpRequest, state: prepared.DocumentState, fmt: str, poll: str, download: str
) -> HttpResponse:
    """The progress of a document being prepared (polling ``poll``), its failure with a retry, or, once it is
    ready, the browser sent to ``download``. Shared by the plan page and the organiser's participant page."""
    if state.state == "ready":
        if getattr(request, "htmx", False):
            response = HttpResponse("")  # the progress goes; htmx sends the browser to the download
            response["HX-Redirect"] = download
            return response
        return redirect(download)
    context = {
        "state": state,
        "fmt": fmt,
        "label": "PDF" if fmt == "pdf" else "Word",
        "poll": poll,
        "poll_seconds": POLL_SECONDS,
        "download": download,
    }
    return render(request, "htmx/document_progress.html", context)
