"""Login throttling (security issue, finding 7): device cookies, exponential back-off, a per-address cap across
usernames. Neither attack of the finding works: a colleague behind the same NAT cannot lock the owner out of the
browser they signed in with before, and one address cannot spray passwords across every username."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.hashers import make_password
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from tests.web.conftest import PASSWORD, make_user
from wendao.web.accounts import ratelimit
from wendao.web.accounts.models import LoginFailure, Role, User

pytestmark = pytest.mark.django_db

VENUE = "10.8.0.1"  # one NAT address for a whole training class


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture(autouse=True)
def _fast_hasher(settings: Any) -> None:
    # hundreds of password checks below; PBKDF2 is not what is under test
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    c = Clock()
    monkeypatch.setattr(timezone, "now", c)
    return c


def login(client: Client, username: str, password: str, ip: str = VENUE, **extra: Any) -> Any:
    return client.post(reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=ip, **extra)


def outcome(response: Any) -> str:
    """signed-in, invalid_login (the password was checked and wrong) or throttled (refused before that).
    locked_out was the code of the flat username + IP lockout this policy replaced: these tests tell what
    that did to the owner, too."""
    if response.status_code == 302:
        return "signed-in"
    code: str = response.context["form"].errors.as_data()["__all__"][0].code
    return "throttled" if code in ("throttled", "locked_out") else code


def signed_in_browser(username: str, ip: str = VENUE) -> Client:
    """A browser that signed in as ``username`` once (so it holds the device cookie) and signed out again."""
    browser = Client()
    assert outcome(login(browser, username, PASSWORD, ip)) == "signed-in"
    browser.post(reverse("accounts:logout"))
    return browser


# --- (a) the NAT attack --------------------------------------------------------------------------------------------


def test_a_colleague_behind_the_same_nat_cannot_lock_the_owner_out_of_their_browser(clock: Clock) -> None:
    make_user("alice")
    make_user("bob")
    alice_browser = signed_in_browser("alice")

    bob_browser = Client()
    outcomes = []
    for _ in range(10):
        outcomes.append(outcome(login(bob_browser, "alice", "guess")))
        clock.advance(1)
    assert outcomes[:5] == ["invalid_login"] * 5
    assert set(outcomes[5:]) == {"throttled"}  # bob is held up after five guesses

    # a fresh browser at the venue is held up too, even with the right password ...
    assert outcome(login(Client(), "alice", PASSWORD)) == "throttled"
    # ... but alice's own browser is not: she signs in with her password
    response = login(alice_browser, "alice", PASSWORD)
    assert outcome(response) == "signed-in"
    assert alice_browser.session["_auth_user_id"]


def test_the_device_cookie_is_signed_and_bound_to_its_username(clock: Clock) -> None:
    make_user("alice")
    make_user("bob")
    bob_browser = signed_in_browser("bob")  # a valid cookie, but for bob
    forged = Client()
    forged.cookies[ratelimit.DEVICE_COOKIE] = "alice:nonce:signature"
    for _ in range(5):
        login(Client(), "alice", "guess")
    assert outcome(login(bob_browser, "alice", PASSWORD)) == "throttled"
    assert outcome(login(forged, "alice", PASSWORD)) == "throttled"


def test_the_device_cookie_is_httponly_lax_long_lived_and_secure_with_secure_cookies(settings: Any) -> None:
    make_user("alice")
    cookie = login(Client(), "alice", PASSWORD).cookies[ratelimit.DEVICE_COOKIE]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == 180 * 24 * 60 * 60
    assert not cookie["secure"]
    settings.SESSION_COOKIE_SECURE = True  # what WENDAO_SECURE_COOKIES=1 sets
    assert login(Client(), "alice", PASSWORD).cookies[ratelimit.DEVICE_COOKIE]["secure"]


def test_a_device_cookie_that_keeps_failing_is_held_up_itself(clock: Clock) -> None:
    make_user("alice")
    browser = signed_in_browser("alice")
    outcomes = [outcome(login(browser, "alice", "guess")) for _ in range(6)]
    assert outcomes == ["invalid_login"] * 5 + ["throttled"]
    refused = login(browser, "alice", PASSWORD)
    assert outcome(refused) == "throttled"
    assert "此浏览器上的登录失败次数过多" in refused.content.decode()
    # the cookie's failures are its own: browsers without it are not held up by them
    assert outcome(login(Client(), "alice", PASSWORD)) == "signed-in"


# --- (b) password spraying -----------------------------------------------------------------------------------------


def test_one_address_spraying_across_usernames_is_held_up(clock: Clock) -> None:
    for i in range(25):
        make_user(f"user{i:02d}")
    sprayer = Client()
    outcomes = []
    for i in range(25):
        outcomes.append(outcome(login(sprayer, f"user{i:02d}", "Summer2026!")))
        clock.advance(5)
    # failures on 20 usernames are the allowance; the 21st is the one too many, then nothing is checked
    assert outcomes == ["invalid_login"] * 21 + ["throttled"] * 4
    assert LoginFailure.objects.count() == 21
    # the 26th username from that address is refused even with its right password
    make_user("user25")
    assert outcome(login(Client(), "user25", PASSWORD)) == "throttled"
    # other addresses are not affected, nor is a browser holding that username's device cookie
    assert outcome(login(Client(), "user25", PASSWORD, ip="10.9.0.1")) == "signed-in"
    trusted = signed_in_browser("user00", ip="10.9.0.1")
    assert outcome(login(trusted, "user00", PASSWORD)) == "signed-in"
    # the hold ends when the oldest failures leave the ten-minute window
    clock.advance(10 * 60)
    assert outcome(login(Client(), "user25", PASSWORD)) == "signed-in"


def test_a_class_of_300_behind_one_nat_with_typos_is_not_held_up(clock: Clock) -> None:
    """Typos that end in a sign-in do not count as spraying; a handful of forgotten passwords do not reach
    the cap."""
    hashed = make_password(PASSWORD)
    User.objects.bulk_create(User(username=f"p{i:03d}", password=hashed) for i in range(300))
    results = []
    browser = Client()  # one client whose cookies are cleared is a new browser each time (and much faster)

    def attempt(username: str, password: str) -> str:
        browser.cookies.clear()
        return outcome(login(browser, username, password))

    for i in range(300):
        if i % 5 == 0:  # one in five mistypes first
            results.append(attempt(f"p{i:03d}", "typo"))
        results.append(attempt(f"p{i:03d}", PASSWORD))
        clock.advance(1)
    for i in range(10):  # ten forgot their password and give up
        results.append(attempt(f"forgot{i}", "no idea"))
    assert "throttled" not in results
    assert results.count("signed-in") == 300


# --- (c) exponential back-off, capped ------------------------------------------------------------------------------


def test_the_back_off_doubles_from_30_seconds_and_is_capped_at_15_minutes() -> None:
    assert [ratelimit.backoff_seconds(n) for n in range(13)] == [0] * 5 + [30, 60, 120, 240, 480, 900, 900, 900]
    assert ratelimit.backoff_seconds(10_000) == 900


def test_each_failure_after_the_fifth_doubles_the_wait(clock: Clock) -> None:
    make_user("alice")
    for _ in range(5):
        assert outcome(login(Client(), "alice", "guess")) == "invalid_login"
    for wait in (30, 60, 120, 240, 480, 900, 900):
        clock.advance(wait - 1)
        assert outcome(login(Client(), "alice", "guess")) == "throttled"
        clock.advance(1)
        assert outcome(login(Client(), "alice", "guess")) == "invalid_login"
    # after a day without failures the slate is clean
    clock.advance(24 * 60 * 60 + 1)
    assert outcome(login(Client(), "alice", PASSWORD)) == "signed-in"


def test_the_refusal_says_in_chinese_when_to_try_again(clock: Clock) -> None:
    make_user("alice")
    for _ in range(5):
        login(Client(), "alice", "guess")
    clock.advance(10)
    text = login(Client(), "alice", PASSWORD).content.decode()
    local = timezone.localtime(clock.now + timedelta(seconds=20))
    assert "登录尝试过于频繁，请 20 秒后" in text
    assert local.strftime("%H:%M:%S") in text
    assert "在您此前成功登录过的浏览器上登录不受此限制" in text


# --- (d) a held-up attempt never reaches the password --------------------------------------------------------------


def test_a_throttled_attempt_with_the_right_password_is_refused_without_checking_it(
    clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_user("alice")
    for _ in range(5):
        login(Client(), "alice", "guess")
    checked: list[str] = []
    real = ModelBackend.authenticate

    def spy(self: Any, request: Any, username: Any = None, password: Any = None, **kwargs: Any) -> Any:
        checked.append(username)
        return real(self, request, username=username, password=password, **kwargs)

    monkeypatch.setattr(ModelBackend, "authenticate", spy)
    browser = Client()
    response = login(browser, "alice", PASSWORD)
    assert outcome(response) == "throttled"
    assert checked == []
    assert "_auth_user_id" not in browser.session
    assert ratelimit.DEVICE_COOKIE not in response.cookies
    assert LoginFailure.objects.count() == 5  # held-up attempts are not counted: waiting is the way forward


def test_the_admin_sign_in_follows_the_same_policy(clock: Clock) -> None:
    make_user("root", Role.ADMIN).__class__.objects.filter(username="root").update(is_staff=True, is_superuser=True)
    url = reverse("admin:login")
    for _ in range(5):
        client = Client()
        client.post(url, {"username": "root", "password": "guess"}, REMOTE_ADDR=VENUE)
    browser = Client()
    response = browser.post(url, {"username": "root", "password": PASSWORD}, REMOTE_ADDR=VENUE)
    assert response.status_code == 200
    assert "_auth_user_id" not in browser.session
    assert "登录尝试过于频繁" in response.content.decode()


def test_every_password_check_goes_through_the_throttled_backend(settings: Any) -> None:
    assert settings.AUTHENTICATION_BACKENDS == ["wendao.web.accounts.backends.ThrottledModelBackend"]


# --- (e) no username enumeration -----------------------------------------------------------------------------------


def test_unknown_and_known_usernames_are_throttled_alike(clock: Clock) -> None:
    make_user("alice")

    def run(username: str, ip: str) -> list[tuple[str, str]]:
        seen = []
        for step in range(9):
            response = login(Client(), username, "guess", ip=ip)
            errors = [str(e) for e in response.context["form"].non_field_errors()]
            seen.append((outcome(response), *errors))
            clock.advance(17 if step % 2 else 3)
        return seen

    start = clock.now
    known = run("alice", "10.1.0.1")
    clock.now = start + timedelta(days=2)
    unknown = run("nobody-here", "10.2.0.1")
    assert known == unknown
    assert {o for o, *_ in known} == {"invalid_login", "throttled"}


# --- client address ------------------------------------------------------------------------------------------------


def test_the_client_address_comes_from_the_trusted_proxy_only(settings: Any) -> None:
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9")
    settings.WENDAO_FORWARDED_FOR_HOPS = 0
    assert ratelimit.client_ip(request) == "127.0.0.1"
    settings.WENDAO_FORWARDED_FOR_HOPS = 1  # one nginx: the last entry is what it saw; the first is forgeable
    assert ratelimit.client_ip(request) == "203.0.113.9"
    garbage = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="not-an-address")
    assert ratelimit.client_ip(garbage) == "127.0.0.1"


def test_the_refusal_is_translated(clock: Clock) -> None:
    make_user("alice")
    for _ in range(5):
        login(Client(), "alice", "guess")
    clock.advance(1)
    text = login(Client(headers={"accept-language": "en"}), "alice", PASSWORD).content.decode()
    assert "Too many sign-in attempts. Please try again in 29 seconds" in text
