"""English pages set Latin type before the CJK font: Noto Sans CJK's apostrophe is a full-width glyph, so on an
English page "This week’s timetable" read "This week’ s timetable" (the demo at 390 px, session 8)."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTH_OF = """(text) => { const s = document.createElement('span'); s.textContent = text;
  document.querySelector('main').appendChild(s); const w = s.getBoundingClientRect().width; s.remove(); return w; }"""


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_an_apostrophe_is_narrow_on_english_pages_and_chinese_pages_keep_the_cjk_font(
    live_server: Any, chromium: Any, language: str
) -> None:
    context = chromium.new_context(
        locale="en-US" if language == "en" else "zh-CN", viewport={"width": 390, "height": 844}
    )
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    assert page.evaluate("document.documentElement.lang") == language
    apostrophe, letter = page.evaluate(WIDTH_OF, "’"), page.evaluate(WIDTH_OF, "n")
    family = page.evaluate("getComputedStyle(document.body).fontFamily")
    if language == "en":
        assert apostrophe < letter, (apostrophe, letter)
    else:
        assert family.startswith('"Noto Sans CJK SC"'), family
    context.close()
