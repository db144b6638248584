"""Create, list and revoke personal API tokens: `manage.py api_token create alice --name "ERP sync"`."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from wendao.web.api.models import ApiToken
from wendao.web.api.tokens import TokenRefusedError, issue_token, revoke_token


class Command(BaseCommand):
    help = "Create (printed once), list or revoke a user's API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="issue a token and print it once")
        create.add_argument("username")
        create.add_argument("--name", default="api", help="what the token is for")
        listing = sub.add_parser("list", help="a user's tokens (never the tokens themselves)")
        listing.add_argument("username")
        revoke = sub.add_parser("revoke", help="revoke one of a user's tokens by its id")
        revoke.add_argument("username")
        revoke.add_argument("token_id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = get_user_model().objects.get(username=options["username"])
        except get_user_model().DoesNotExist:
            raise CommandError(f"username: no user {options['username']!r}") from None
        if options["action"] == "create":
            try:
                token, raw = issue_token(user, options["name"])
            except TokenRefusedError:
                raise CommandError(f"username: {user.username} has no password of their own; no token") from None
            self.stdout.write(f"token #{token.pk} for {user.username} ({token.name}); shown once, store it now:")
            self.stdout.write(raw)
        elif options["action"] == "list":
            for t in ApiToken.objects.filter(user=user):
                state = f"revoked {t.revoked_at:%Y-%m-%d}" if t.revoked_at else "active"
                used = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never"
                self.stdout.write(f"{t.pk}\t{t.prefix}…\t{t.name}\t{state}\tlast used {used}")
        else:
            try:
                token = ApiToken.objects.get(pk=options["token_id"], user=user)
            except ApiToken.DoesNotExist:
                raise CommandError(f"token_id: {user.username} has no token #{options['token_id']}") from None
            revoke_token(user, token)
            self.stdout.write(f"token #{token.pk} revoked")
