"""A stored profile the engine refuses, told to a person: the field's name as the profile form shows it and what
is wrong with the value, in the reader's language, never a field id or pydantic's English (issue 13, session 3).

The engine's ``ProfileError.details`` (and ``PlanError.details``) carry each problem as a value (path, kind, limit,
value given); this module renders them for the profile form, the plan pages and the API's 422 body alike. The
engine's one-line English problems are the CLI's; no edge parses them back.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from wendao.engine.plan import PlanError
from wendao.engine.profile import FIGURE_NAMES, ProfileError, ProfileProblem


def _label(loc: tuple[str, ...]) -> str:
    """The field's label on the profile form, else its name in the engine's figure names, else a plain phrase."""
    from wendao.web.enterprises.forms import BASELINE_FIELDS, ProfileForm  # forms imports the engine's models

    en = (get_language() or "zh-hans").startswith("en")
    names = [p for p in loc if not p.isdigit()]
    if not names:
        return _("企业档案")
    last = names[-1]
    form_labels = dict(BASELINE_FIELDS) | {k: f.label for k, f in ProfileForm.base_fields.items() if f.label}
    if last in form_labels:
        return str(form_labels[last])
    if last in FIGURE_NAMES:
        zh, english = FIGURE_NAMES[last]
        return english if en else zh
    first = names[0]
    if first in form_labels:
        return str(form_labels[first])
    return _("企业档案中的一项数据")


def _number(x: Any) -> str:
    if isinstance(x, float) and x.is_integer():
        return f"{x:,.0f}"
    return f"{x:,}" if isinstance(x, int | float) else str(x)


def problem_message(p: ProfileProblem) -> str:
    """One problem as a sentence: "「年营业收入（万元）」不能大于 1,000,000,000（现为 2e9）". """
    label = _label(p.loc)
    given = p.given if p.given not in (None, "") else "—"
    limit = _number(p.limit) if p.limit is not None else ""
    texts = {
        "less_than_equal": _("“%(label)s”不能大于 %(limit)s（现为 %(given)s）"),
        "less_than": _("“%(label)s”应小于 %(limit)s（现为 %(given)s）"),
        "greater_than_equal": _("“%(label)s”不能小于 %(limit)s（现为 %(given)s）"),
        "greater_than": _("“%(label)s”应大于 %(limit)s（现为 %(given)s）"),
        "string_too_long": _("“%(label)s”最多 %(limit)s 个字"),
        "too_long": _("“%(label)s”最多 %(limit)s 条"),
        "string_too_short": _("“%(label)s”至少 %(limit)s 个字"),
        "missing": _("“%(label)s”必须填写"),
        "float_parsing": _("“%(label)s”应为数字（现为 %(given)s）"),
        "int_parsing": _("“%(label)s”应为整数（现为 %(given)s）"),
        "finite_number": _("“%(label)s”应为有限的数（现为 %(given)s）"),
        # codes the catalog does not know (engine/profile.py): the form offers a list; a file or the API may not
        "unknown_city": _("“%(label)s”不是山东省的地市，也不是“省外”（现为 %(given)s）"),
        "unknown_industry": _("“%(label)s”应为制造业大类 C13–C43，可带两位中类，如 C3670（现为 %(given)s）"),
        "unknown_chain": _("“%(label)s”不是知识库中的产业链（现为 %(given)s）"),
        "unknown_system": _("“%(label)s”中有知识库不认识的系统（%(given)s）"),
        "extra_forbidden": _("企业档案没有“%(given_field)s”这一项"),
    }
    text = texts.get(p.kind, _("“%(label)s”的取值无效（现为 %(given)s）"))
    return text % {"label": label, "limit": limit, "given": given, "given_field": p.loc[-1] if p.loc else ""}


def plan_messages(exc: PlanError) -> list[str]:
    """Why no plan could be built, one sentence per problem (a missing budget: "“每年预算（万元）”必须填写")."""
    return [problem_message(p) for p in exc.details] or exc.problems


def problem_entry(p: ProfileProblem, *, at: tuple[str, ...] = ("body",)) -> dict[str, Any]:
    """One problem as an entry of the API's 422 body: where (the field's path under ``at``), its kind as the
    ``type`` (pydantic's, or the engine's own such as ``unknown_city``), the message in the request's language,
    and the figures it was judged on (``ctx``)."""
    ctx = {k: v for k, v in (("limit", p.limit), ("given", p.given)) if v is not None}
    loc: list[str | int] = [*at, *(int(part) if part.isdigit() else part for part in p.loc)]
    return {"loc": loc, "msg": problem_message(p), "type": p.kind, "ctx": ctx}


def profile_lines(exc: ProfileError) -> list[str]:
    """Every problem of a refused profile as a sentence."""
    return [problem_message(p) for p in exc.details] or [_("企业档案无法读取")]


def profile_messages(exc: ProfileError) -> list[str]:
    """Every problem of a refused profile as a sentence, and what to do about it."""
    return [*profile_lines(exc), _("请先在企业档案中修改上述数据，再生成规划。")]
