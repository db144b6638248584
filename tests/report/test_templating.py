from __future__ import annotations

import pytest
from jinja2 import UndefinedError

from wendao.report import cohort, html
from wendao.report.templating import template_env


def test_the_plan_and_the_cohort_report_render_through_one_environment_kept_for_the_process() -> None:
    assert html._env() is template_env() is template_env()
    assert "template_env" in vars(cohort)  # the cohort report keeps no environment of its own
    assert not hasattr(cohort, "_env")


def test_the_report_environment_escapes_html_and_refuses_an_undefined_name() -> None:
    env = template_env()
    assert env.from_string("{{ x }}").render(x="<script>") == "&lt;script&gt;"
    with pytest.raises(UndefinedError):
        env.from_string("{{ missing.field }}").render()
