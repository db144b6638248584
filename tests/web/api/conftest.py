"""API personas: alice and bob each hold a token for their own enterprise (built through the real use cases)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from wendao.web.accounts.models import User
from wendao.web.api.tokens import issue_token


def token_for(user: User, name: str = "tests") -> str:
    return issue_token(user, name)[1]


@pytest.fixture
def alice_token(alice: User) -> str:
    return token_for(alice)


@pytest.fixture
def bob_token(bob: User) -> str:
    return token_for(bob)


class ApiClient:
    """Django's test client with a bearer token and JSON bodies."""

    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.headers = {"authorization": f"Bearer {token}"} if token is not None else {}

    def get(self, url: str, **params: Any) -> Any:
        return self.client.get(url, params, headers=self.headers)

    def put(self, url: str, body: Any) -> Any:
        return self.client.put(url, body, content_type="application/json", headers=self.headers)

    def post(self, url: str, body: Any) -> Any:
        return self.client.post(url, body, content_type="application/json", headers=self.headers)
