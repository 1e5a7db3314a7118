"""Expired API tokens are deleted by the schedule (`accounts.expire_tokens`, run by
beat and by `manage.py run_scheduled`); live ones stay and keep working."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from knox.models import AuthToken

from accounts.services import issue_token
from accounts.tasks import expire_tokens
from tests.factories.accounts import UserFactory

pytestmark = [pytest.mark.django_db]


def test_expired_tokens_are_deleted_and_live_ones_kept(client):
    user = UserFactory()
    live, _ = issue_token(user=user)
    issue_token(user=user)
    stale = AuthToken.objects.filter(user=user).order_by("-created").first()
    AuthToken.objects.filter(pk=stale.pk).update(
        expiry=timezone.now() - dt.timedelta(minutes=1)
    )

    assert expire_tokens.delay().get() == 1

    assert list(AuthToken.objects.filter(user=user)) != []
    assert not AuthToken.objects.filter(pk=stale.pk).exists()
    response = client.get("/api/v1/assignments/", HTTP_AUTHORIZATION=f"Token {live}")
    assert response.status_code != 401
    assert expire_tokens.delay().get() == 0


def test_the_schedule_expires_tokens():
    user = UserFactory()
    issue_token(user=user)
    AuthToken.objects.filter(user=user).update(
        expiry=timezone.now() - dt.timedelta(days=1)
    )
    out = io.StringIO()

    call_command("run_scheduled", stdout=out)

    assert "tokens-expiry: 1" in out.getvalue()
    assert not AuthToken.objects.filter(user=user).exists()
