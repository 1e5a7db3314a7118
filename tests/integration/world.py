"""The accounts of the multi-process test, written into the site's own database
from its shell (the rest is done over HTTP, as the users would):

    python manage.py shell -c "from tests.integration.world import main; main(OUT)"

An organizer who may create contests, two delegates-to-be (of two regions) and
the codes of those regions, each account with a verified address and the
password of tests.factories.accounts. OUT is a JSON file naming them."""

from __future__ import annotations

import json
from pathlib import Path

from allauth.account.models import EmailAddress

from accounts.models import User
from contest.enums import RegionType
from contest.models import Region
from tests.factories.accounts import PASSWORD


def _account(email: str, *, language: str = "id", **extra) -> User:
    user = User.objects.create_user(
        email=email, password=PASSWORD, language=language, **extra
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def main(out: str) -> None:
    organizer = _account("panitia@kemendagri.example.id", can_create_contests=True)
    delegate = _account("operator@bima.example.id")
    other = _account("operator@sumbawa.example.id", language="en")
    here, there = Region.objects.filter(type=RegionType.KABUPATEN).order_by("code")[:2]
    Path(out).write_text(
        json.dumps(
            {
                "password": PASSWORD,
                "organizer": organizer.email,
                "delegate": delegate.email,
                "other": other.email,
                "region": here.code,
                "other_region": there.code,
            }
        )
    )
