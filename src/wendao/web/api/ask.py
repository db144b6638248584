"""Ask wendao through the open API: the same use case as the web box (wendao.web.enterprises.asking.answer_for).

The enterprise or plan named in the body is fetched through the access helpers: members only, anyone else 404.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.errors import ValidationError

from wendao.engine.ask import MAX_QUESTION_CHARS, Answer, QuestionError
from wendao.web.api.schemas import ErrorOut, ValidationErrorOut
from wendao.web.enterprises.asking import answer_for

router = Router(tags=["ask"])


class AskIn(Schema):
    question: str = Field(
        max_length=MAX_QUESTION_CHARS * 2, description="in Chinese (simplified or traditional) or English"
    )
    enterprise: int | None = Field(
        default=None, ge=1, le=2_147_483_647, description="answer with this enterprise's latest plan"
    )
    plan: int | None = Field(
        default=None, ge=1, le=2_147_483_647, description="answer with this plan's figures (wins over enterprise)"
    )


@router.post("", response={200: Answer, 401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut})
def ask_question(request: HttpRequest, payload: AskIn) -> Any:
    """A participant's question -> what is asked (``kind``) and the answer from the engine, with the enterprise
    figures it used and its sources. Without an enterprise or plan the answer uses catalog facts only."""
    try:
        return answer_for(request.auth, payload.question, payload.enterprise, payload.plan)  # type: ignore[attr-defined]
    except QuestionError as exc:
        raise ValidationError([{"loc": ["body", "payload", "question"], "msg": exc.en, "type": exc.code}]) from None
