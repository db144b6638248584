"""The whole demo, built in one place and in order: each app builds its own demo data, and only this module
knows the sequence (later steps read what earlier ones made).

1. enterprises: the synthetic enterprises with completed assessments (``generate_demo_programme``);
2. enterprises: the demo accounts, and the demo enterprise's member with the Weifang example;
3. programmes: the demo cohort owned by demo-organiser (participants, sessions, groups, the training week);
4. insights: first plans, progress and targets for the cohort;
5. marketplace: demo providers and challenges (they need the accounts and the programme).

Every step is idempotent, so a re-run of ``build_demo`` creates only what is missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from wendao.web.enterprises.demo import DemoAccount, create_demo_accounts, generate_demo_programme
from wendao.web.insights.demo import create_demo_city_official, create_demo_targets
from wendao.web.marketplace.demo import create_demo_marketplace
from wendao.web.programmes.demo import create_demo_cohort


@dataclass(frozen=True)
class DemoBuilt:
    enterprises_added: int
    accounts: list[DemoAccount]


def build_demo(enterprises: int = 300) -> DemoBuilt:
    """The demo platform's data: ``enterprises`` synthetic enterprises, the demo accounts, the cohort with
    its week, plans and targets, and the marketplace."""
    added = generate_demo_programme(enterprises)
    accounts = create_demo_accounts()
    programme = create_demo_cohort()
    if programme is not None:
        create_demo_targets(programme)
        create_demo_city_official()
    create_demo_marketplace()
    return DemoBuilt(added, accounts)
