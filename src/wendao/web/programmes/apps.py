from __future__ import annotations

from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    """Programmes (cohorts): sessions, participants imported from Excel, discussion groups, visits."""

    name = "wendao.web.programmes"
    label = "programmes"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # every plan honours the steps an enterprise committed to in a group workspace; enterprises builds plans
        # without knowing of programmes (enterprises/plan_hooks.py)
        from wendao.web.enterprises.plan_hooks import register_plan_wrapper
        from wendao.web.programmes.pins import plan_with_commitments

        register_plan_wrapper(plan_with_commitments)
        # the home page: an organiser's overview, and open invitations before a contact's enterprises
        # (enterprises/home_hooks.py)
        from wendao.web.enterprises.home_hooks import register_home_step
        from wendao.web.programmes.home import invitations_first, organiser_overview

        register_home_step(organiser_overview)
        register_home_step(invitations_first)
        # a sign-in by any other route drops the sign-in link a session was opened with (signin_sessions.py)
        from wendao.web.programmes import signin_sessions  # noqa: F401
