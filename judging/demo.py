"""The demo contest's judges (illustrative people, real home regions)."""

from __future__ import annotations

from contest.demo import JUDGES, _user
from contest.models import Contest, Region
from judging.models import Judge


def load_demo_judges(contest: Contest) -> None:
    categories = list(contest.categories.order_by("order"))
    for index, account in enumerate(JUDGES):
        user = _user(account)
        judge, created = Judge.objects.get_or_create(
            contest=contest,
            user=user,
            defaults={
                "name": account.name,
                "home_region": Region.objects.get(code=account.region),
            },
        )
        if created:
            judge.categories.set(
                [
                    categories[index % len(categories)],
                    categories[(index + 2) % len(categories)],
                ]
            )
