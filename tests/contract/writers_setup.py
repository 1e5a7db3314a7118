"""The data of test_many_writers, written into the site's own database from its shell:

    python manage.py shell -c "from tests.contract.writers_setup import main; main(OUT)"

It writes OUT, a JSON file naming what the test's HTTP clients will touch:
- `writers`: a contest open for entries with 8 delegates, each with a draft;
- `sheet`: a judge with one assignment at an open scoring stage of that contest,
  and the stage's two criteria (0-10 in steps of 0.5);
- `publish`: another contest, scored (3 entries, 2 judges), and its organizer.
Every account has the password of tests.factories.accounts and a verified address.
"""

from __future__ import annotations

import functools
import json
from decimal import Decimal
from pathlib import Path

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password

from accounts.models import User
from judging.models import StageEntry
from tests.factories.accounts import PASSWORD
from tests.factories.contest import (
    CategoryFactory,
    ContestFactory,
    DelegateFactory,
    OrganizerFactory,
    RegionFactory,
)
from tests.factories.judging import (
    AssignmentFactory,
    EligibleSubmissionFactory,
    JudgeFactory,
    OpenStageFactory,
    StepCriterionFactory,
)
from tests.factories.results import submitted_sheet
from tests.factories.submissions import SubmissionFactory

DELEGATES = 8


@functools.cache
def password_hash() -> str:
    """One hash for every account: hashing is slow on purpose."""
    return make_password(PASSWORD)


def verified_user() -> User:
    number = User.objects.count()
    user = User.objects.create(
        email=f"akun{number}@example.id", password=password_hash()
    )
    EmailAddress.objects.create(
        user=user, email=user.email, verified=True, primary=True
    )
    return user


def writers_contest() -> dict:
    contest = ContestFactory(slug="kontes-penulis")
    category = CategoryFactory(contest=contest)
    drafts = []
    for _ in range(DELEGATES):
        delegate = DelegateFactory(contest=contest, user=verified_user())
        entry = SubmissionFactory(
            contest=contest, category=category, region=delegate.region
        )
        drafts.append({"email": delegate.user.email, "submission": entry.pk})

    stage = OpenStageFactory(contest=contest, order=1)
    criteria = [
        StepCriterionFactory(stage=stage, name=name, weight=Decimal(50), order=n)
        for n, name in enumerate(["Kebaruan", "Kemanfaatan"], start=1)
    ]
    judge = JudgeFactory(contest=contest, user=verified_user())
    entry = EligibleSubmissionFactory(
        contest=contest, category=category, region=RegionFactory()
    )
    StageEntry.objects.create(stage=stage, submission=entry)
    assignment = AssignmentFactory(stage=stage, judge=judge, submission=entry)
    return {
        "writers": {"slug": contest.slug, "drafts": drafts},
        "sheet": {
            "email": judge.user.email,
            "assignment": assignment.pk,
            "criteria": [criterion.pk for criterion in criteria],
        },
    }


def published_contest() -> dict:
    contest = ContestFactory(slug="kontes-terbit")
    organizer = OrganizerFactory(contest=contest, user=verified_user()).user
    category = CategoryFactory(contest=contest)
    stage = OpenStageFactory(contest=contest, order=1, advance_per_category=1)
    criteria = [
        StepCriterionFactory(stage=stage, name=name, weight=Decimal(50), order=n)
        for n, name in enumerate(["Kebaruan", "Kemanfaatan"], start=1)
    ]
    judges = [JudgeFactory(contest=contest, user=verified_user()) for _ in range(2)]
    for quality in (9, 7, 5):
        entry = EligibleSubmissionFactory(
            contest=contest, category=category, region=RegionFactory()
        )
        StageEntry.objects.create(stage=stage, submission=entry)
        for bias, judge in enumerate(judges):
            submitted_sheet(
                stage=stage,
                judge=judge,
                submission=entry,
                values=dict.fromkeys(criteria, quality - bias),
            )
    return {"publish": {"slug": contest.slug, "email": organizer.email}}


def main(out: str) -> None:
    data = {"password": PASSWORD, **writers_contest(), **published_contest()}
    Path(out).write_text(json.dumps(data))
