import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from common.errors import DomainError
from contest import services
from contest.models import AuditEntry, Delegate, Organizer
from tests.factories.accounts import UserFactory
from tests.factories.contest import CriterionFactory, RegionFactory, StageFactory

pytestmark = [pytest.mark.django_db]


def test_create_contest_makes_creator_organizer(creator):
    host = RegionFactory()
    opens = dt.datetime(2027, 6, 1, tzinfo=dt.UTC)

    contest = services.create_contest(
        by=creator,
        name="Smart City 2027",
        slug="smart-city-2027",
        host_region=host,
        timezone="Asia/Jayapura",
        submission_opens=opens,
        submission_closes=opens + dt.timedelta(days=30),
    )

    assert Organizer.objects.filter(contest=contest, user=creator).exists()
    entry = AuditEntry.objects.get(action="contest.created")
    assert entry.data["slug"] == "smart-city-2027"
    assert entry.actor == creator


def test_create_contest_refuses_window_closing_before_it_opens(creator):
    opens = dt.datetime(2027, 6, 1, tzinfo=dt.UTC)

    with pytest.raises(ValidationError) as excinfo:
        services.create_contest(
            by=creator,
            name="X",
            slug="x",
            host_region=RegionFactory(),
            submission_opens=opens,
            submission_closes=opens,
        )

    assert list(excinfo.value.message_dict) == ["submission_closes"]
    assert not AuditEntry.objects.exists()


def test_update_contest_refuses_unknown_field(contest, organizer):
    with pytest.raises(DomainError) as excinfo:
        services.update_contest(
            contest=contest, by=organizer, data={"created_by": organizer}
        )

    assert excinfo.value.field == "created_by"


def test_create_stage_refuses_screening_with_advancement(contest, organizer):
    with pytest.raises(ValidationError) as excinfo:
        services.create_stage(
            contest=contest,
            by=organizer,
            name="Seleksi",
            order=1,
            kind="screening",
            opens=contest.submission_closes,
            closes=contest.submission_closes + dt.timedelta(days=5),
            advance_per_category=3,
        )

    assert "advance_per_category" in excinfo.value.message_dict


def test_create_stage_refuses_opening_before_submissions(contest, organizer):
    with pytest.raises(ValidationError) as excinfo:
        services.create_stage(
            contest=contest,
            by=organizer,
            name="Awal",
            order=1,
            kind="scoring",
            opens=contest.submission_opens - dt.timedelta(days=1),
            closes=contest.submission_closes,
        )

    assert "opens" in excinfo.value.message_dict


def test_update_stage_refuses_kind_change_with_rubric(contest, organizer, table_rows):
    stage = StageFactory(contest=contest)
    CriterionFactory(stage=stage)

    rows_before = table_rows()
    with pytest.raises(DomainError) as excinfo:
        services.update_stage(stage=stage, by=organizer, data={"kind": "screening"})

    assert excinfo.value.status == 409
    assert table_rows() == rows_before
    stage.refresh_from_db()
    assert stage.kind == "scoring"


def test_create_criterion_refuses_screening_stage(contest, organizer, table_rows):
    stage = StageFactory(contest=contest, kind="screening")

    rows_before = table_rows()
    with pytest.raises(DomainError) as excinfo:
        services.create_criterion(stage=stage, by=organizer, name="Kebaruan", weight=30)

    assert excinfo.value.status == 409
    assert table_rows() == rows_before


def test_invite_delegate_creates_account_and_sends_link(
    contest, organizer, django_capture_on_commit_callbacks
):
    region = RegionFactory()

    with django_capture_on_commit_callbacks(execute=True):
        delegate = services.invite_delegate(
            contest=contest, email="Operator@Bima.go.id", region=region, by=organizer
        )

    assert delegate.user.email == "operator@bima.go.id"
    assert not delegate.user.has_usable_password()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["operator@bima.go.id"]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
    assert contest.name in mail.outbox[0].subject


def test_invite_delegate_links_existing_account(
    contest, organizer, django_capture_on_commit_callbacks
):
    user = UserFactory(email="ada@example.id")

    with django_capture_on_commit_callbacks(execute=True):
        delegate = services.invite_delegate(
            contest=contest,
            email="ada@example.id",
            region=RegionFactory(),
            by=organizer,
        )

    assert delegate.user == user
    assert user.has_usable_password()
    assert "/accounts/password/reset/key/" not in mail.outbox[0].body


def test_invite_delegate_refuses_second_region(contest, organizer, table_rows):
    user = UserFactory()
    services.invite_delegate(
        contest=contest, email=user.email, region=RegionFactory(), by=organizer
    )

    region = RegionFactory()

    rows_before = table_rows()
    with pytest.raises(DomainError) as excinfo:
        services.invite_delegate(
            contest=contest, email=user.email, region=region, by=organizer
        )

    assert (excinfo.value.field, excinfo.value.status) == ("email", 409)
    assert table_rows() == rows_before
    assert Delegate.objects.filter(user=user).count() == 1


def test_invite_delegate_refuses_ineligible_region_type(contest, organizer):
    contest.eligible_region_types = ["provinsi"]
    contest.save()

    with pytest.raises(DomainError) as excinfo:
        services.invite_delegate(
            contest=contest, email="x@example.id", region=RegionFactory(), by=organizer
        )

    assert excinfo.value.field == "region"
    assert not Delegate.objects.exists()


def test_create_criterion_refused_once_sheets_are_submitted(
    contest, organizer, table_rows
):
    from tests.factories.judging import AssignmentFactory, SubmittedSheetFactory

    stage = StageFactory(contest=contest)
    SubmittedSheetFactory(assignment=AssignmentFactory(stage=stage))

    rows_before = table_rows()
    with pytest.raises(DomainError) as excinfo:
        services.create_criterion(stage=stage, by=organizer, name="Baru", weight=10)

    assert excinfo.value.status == 409
    assert table_rows() == rows_before
    assert not stage.criteria.filter(name="Baru").exists()
