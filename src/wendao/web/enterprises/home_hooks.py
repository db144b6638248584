"""Where the home page sends a signed-in user, as other apps decide, without enterprises importing them.

Like ``plan_hooks`` for plans (issue 21 item 4: no wrong-way imports). ``views.home`` sends a provider to the
marketplace and a city official to their city's dashboard; then it asks each registered *home step* in turn
(``first_step``) and follows the first answer. Programmes registers two from its ``AppConfig.ready``: an
organiser's overview of their programmes, and a contact's open invitations before their enterprises. A step
returns a response, or None to leave the visitor to the next step and, after the last, to their enterprises.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

HomeStep = Callable[[HttpRequest], HttpResponse | None]

_steps: list[HomeStep] = []


def register_home_step(step: HomeStep) -> None:
    """Ask ``step`` on every home page from now on, after the steps registered before it (once: ``ready`` may
    run again in tests)."""
    if step not in _steps:
        _steps.append(step)


def first_step(request: HttpRequest) -> HttpResponse | None:
    """The first registered step's response for ``request``, or None when no step has one."""
    for step in _steps:
        response = step(request)
        if response is not None:
            return response
    return None
