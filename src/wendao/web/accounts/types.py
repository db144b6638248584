"""The types a use-case function takes for "who is asking".

``Visitor`` is what a request carries: the project's ``User``, or Django's ``AnonymousUser`` before sign-in.
Access helpers (``web/<app>/access.py``) take a ``Visitor`` and answer an anonymous or inactive one with
nothing. Use cases that change data take ``Actor``: a signed-in ``User``, or None when the system itself acts
(the demo builder, a task worker).
"""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser

from wendao.web.accounts.models import User

Visitor: TypeAlias = User | AnonymousUser
Actor: TypeAlias = User | None
