"""A criterion's highest score must be above its lowest: one rule (Criterion.clean),
the same answer on the page, the API and the shell, naming `max_score`."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from contest import services
from contest.models import AuditEntry, Criterion
from judging import services as judging_services
from tests.factories.contest import CriterionFactory, StageFactory

pytestmark = [pytest.mark.django_db]

BAD = {"min_score": "5", "max_score": "5"}


@pytest.fixture
def stage(contest):
    return StageFactory(contest=contest, kind="scoring", order=2)


@pytest.fixture
def criterion(stage):
    return CriterionFactory(stage=stage, min_score=0, max_score=10)


def _unchanged(criterion, audit_count):
    stored = Criterion.objects.get(pk=criterion.pk)
    assert (stored.min_score, stored.max_score) == (Decimal("0"), Decimal("10"))
    assert AuditEntry.objects.count() == audit_count


def test_page_create_names_max_score(client, organizer, stage):
    client.force_login(organizer)
    url = reverse(
        "judging:rubric", kwargs={"slug": stage.contest.slug, "stage_pk": stage.pk}
    )
    response = client.post(
        url,
        {"name": "X", "weight": "1", "step": "1", "order": "1", **BAD},
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["max_score"]
    assert not Criterion.objects.filter(stage=stage).exists()


def test_page_edit_names_max_score(client, organizer, criterion):
    audit_count = AuditEntry.objects.count()
    client.force_login(organizer)
    url = reverse(
        "judging:criterion-edit",
        kwargs={
            "slug": criterion.stage.contest.slug,
            "stage_pk": criterion.stage.pk,
            "pk": criterion.pk,
        },
    )
    response = client.post(
        url,
        {"name": "X", "weight": "1", "step": "1", "order": "1", **BAD},
    )
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["max_score"]
    _unchanged(criterion, audit_count)


def _criteria_url(stage):
    return f"/api/v1/contests/{stage.contest.slug}/stages/{stage.pk}/criteria/"


def test_api_create_names_max_score(api, organizer, stage):
    api.force_authenticate(organizer)
    response = api.post(
        _criteria_url(stage), {"name": "X", "weight": "1", **BAD}, format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["max_score"]
    assert not Criterion.objects.filter(stage=stage).exists()


def test_shell_update_against_the_stored_lowest_names_max_score(organizer, criterion):
    audit_count = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as caught:
        judging_services.update_criterion(
            criterion=criterion, by=organizer, data={"max_score": Decimal("0")}
        )
    assert list(caught.value.message_dict) == ["max_score"]
    _unchanged(criterion, audit_count)


def test_shell_service_names_max_score(organizer, stage):
    with pytest.raises(ValidationError) as caught:
        services.create_criterion(
            stage=stage, by=organizer, name="X", weight=Decimal("1"), **BAD
        )
    assert list(caught.value.message_dict) == ["max_score"]
    assert not Criterion.objects.filter(stage=stage).exists()
