"""Co-organizers and the deletion of a category, a stage or a contest, through the
services, the pages and the API (contest/lifecycle.py)."""

import datetime as dt
import html
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from common.errors import DomainError
from contest import lifecycle
from contest import services as contest_services
from contest.models import AuditEntry, Category, Contest, Criterion, Organizer, Stage
from judging import services as judging_services
from judging.models import Assignment, Judge, StageEntry
from tests.factories.accounts import UserFactory
from tests.factories.contest import RegionFactory
from tests.factories.judging import ScoreSheetFactory
from tests.factories.submissions import SubmissionFactory

pytestmark = [pytest.mark.django_db]

NOW = timezone.now


@pytest.fixture(autouse=True)
def _static_root(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    settings.STATIC_ROOT.mkdir()
    settings.LANGUAGE_CODE = "en"


def text(response) -> str:
    return html.unescape(response.content.decode())


def verify_clean() -> None:
    out = io.StringIO()
    call_command("verify_ledger", stdout=out, stderr=io.StringIO())
    assert "The ledger is intact" in out.getvalue()


@pytest.fixture
def owner(db):
    return UserFactory(can_create_contests=True, email="panitia@kemendagri.example.id")


@pytest.fixture
def built(owner, django_capture_on_commit_callbacks):
    """A contest made through the services: two categories, a screening and a
    scoring stage with two criteria, and a judge on the first category's panel."""
    with django_capture_on_commit_callbacks(execute=True):
        contest = contest_services.create_contest(
            by=owner,
            name="Kontes Inovasi Daerah 2025",
            slug="kid-2025",
            host_region=RegionFactory(),
            timezone="Asia/Makassar",
            submission_opens=NOW() - dt.timedelta(days=5),
            submission_closes=NOW() + dt.timedelta(days=20),
            eligible_region_types=[],
            max_entries_per_region=3,
            is_public=False,
        )
        health, economy = (
            contest_services.create_category(
                contest=contest, by=owner, name=name, slug=slug
            )
            for name, slug in [("Kesehatan", "kesehatan"), ("Ekonomi", "ekonomi")]
        )
        screening = contest_services.create_stage(
            contest=contest,
            by=owner,
            name="Seleksi Administrasi",
            order=1,
            kind="screening",
            opens=contest.submission_closes,
            closes=contest.submission_closes + dt.timedelta(days=7),
        )
        desk = contest_services.create_stage(
            contest=contest,
            by=owner,
            name="Penilaian Dokumen",
            order=2,
            kind="scoring",
            opens=contest.submission_closes + dt.timedelta(days=8),
            closes=contest.submission_closes + dt.timedelta(days=20),
        )
        for n in (1, 2):
            contest_services.create_criterion(
                stage=desk, by=owner, name=f"Kebaruan {n}", weight=50, order=n
            )
        judge = judging_services.invite_judge(
            contest=contest,
            email="juri@example.id",
            by=owner,
            panels=[health],
            categories=[health],
        )
    return {
        "contest": contest,
        "health": health,
        "economy": economy,
        "screening": screening,
        "desk": desk,
        "judge": judge,
    }


# Organizers ----------------------------------------------------------------------


def test_invite_organizer_new_address_is_told_with_password_link(
    built, owner, django_capture_on_commit_callbacks
):
    contest = built["contest"]
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        organizer = lifecycle.invite_organizer(
            contest=contest, email="Wakil@Kemendagri.example.id", by=owner
        )

    assert organizer.user.email == "wakil@kemendagri.example.id"
    assert not organizer.user.has_usable_password()
    assert [m.to for m in mail.outbox] == [["wakil@kemendagri.example.id"]]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
    entry = AuditEntry.objects.filter(action="organizer.added").last()
    assert entry.data == {"user": "wakil@kemendagri.example.id"}


def test_invite_organizer_already_organizer_is_refused_at_email(built, owner):
    with pytest.raises(DomainError) as caught:
        lifecycle.invite_organizer(
            contest=built["contest"], email=owner.email.upper(), by=owner
        )

    assert (caught.value.status, caught.value.field) == (409, "email")


def test_remove_organizer_records_and_removes(built, owner):
    contest = built["contest"]
    other = contest_services.add_organizer(
        contest=contest, user=UserFactory(), by=owner
    )

    lifecycle.remove_organizer(organizer=other, by=owner)

    assert list(contest.organizers.values_list("user", flat=True)) == [owner.pk]
    assert AuditEntry.objects.filter(action="organizer.removed").count() == 1
    verify_clean()


def test_removing_oneself_on_the_page_lands_on_ones_contests(client, built, owner):
    contest = built["contest"]
    contest_services.add_organizer(contest=contest, user=UserFactory(), by=owner)
    mine = contest.organizers.get(user=owner)
    client.force_login(owner)

    response = client.post(f"/manage/{contest.slug}/organizers/{mine.pk}/remove/")

    assert response.status_code == 302
    assert response["Location"] == "/manage/"
    assert not contest.organizers.filter(user=owner).exists()


def test_remove_last_organizer_is_refused_even_oneself(built, owner):
    only = built["contest"].organizers.get()

    with pytest.raises(DomainError) as caught:
        lifecycle.remove_organizer(organizer=only, by=owner)

    assert caught.value.status == 409
    assert Organizer.objects.filter(pk=only.pk).exists()


def test_remove_organizer_refused_on_frozen_contest(built, owner):
    contest = built["contest"]
    other = contest_services.add_organizer(
        contest=contest, user=UserFactory(), by=owner
    )
    Contest.objects.filter(pk=contest.pk).update(frozen_at=NOW())

    with pytest.raises(DomainError) as caught:
        lifecycle.remove_organizer(organizer=other, by=owner)

    assert caught.value.status == 409
    assert Organizer.objects.filter(pk=other.pk).exists()


def test_organizers_page_invites_and_keeps_a_bad_address(client, built, owner):
    client.force_login(owner)
    url = f"/manage/{built['contest'].slug}/organizers/"

    bad = client.post(url, {"email": "bukan-alamat"})
    good = client.post(url, {"email": "kedua@example.id"}, follow=True)

    assert bad.status_code == 200
    assert 'value="bukan-alamat"' in text(bad)
    assert "kedua@example.id" in text(good)
    assert built["contest"].organizers.count() == 2


def test_organizers_page_refused_to_a_delegate(client, built):
    from tests.factories.contest import DelegateFactory

    delegate = DelegateFactory(contest=built["contest"]).user
    client.force_login(delegate)

    response = client.get(f"/manage/{built['contest'].slug}/organizers/")

    assert response.status_code == 403


def test_organizers_api_lists_invites_and_refuses_last_removal(api, built, owner):
    api.force_authenticate(owner)
    url = f"/api/v1/contests/{built['contest'].slug}/organizers/"

    created = api.post(url, {"email": "ketiga@example.id"}, format="json")
    listed = api.get(url)
    api.delete(f"{url}{created.json()['id']}/")
    last = api.delete(f"{url}{built['contest'].organizers.get().pk}/")

    assert created.status_code == 201
    assert [row["email"] for row in listed.json()["results"]] == [
        "ketiga@example.id",
        owner.email,
    ]
    assert last.status_code == 409
    assert "at least one organizer" in last.json()["detail"]


# Deleting a category -------------------------------------------------------------


def test_category_delete_page_says_what_goes_then_deletes(client, built, owner):
    client.force_login(owner)
    health = built["health"]
    url = f"/manage/{built['contest'].slug}/categories/{health.pk}/delete/"

    page = client.get(url)
    done = client.post(url)

    assert page.status_code == 200
    assert "judges' panels that name it" in text(page)
    assert done.status_code == 302
    assert not Category.objects.filter(pk=health.pk).exists()
    assert list(built["judge"].panels.all()) == []
    entry = AuditEntry.objects.filter(action="category.deleted").get()
    assert (entry.object_id, entry.actor_id) == (str(health.pk), owner.pk)
    verify_clean()


def test_category_with_entries_is_refused_with_reason(client, api, built, owner):
    health = built["health"]
    SubmissionFactory(contest=built["contest"], category=health)
    client.force_login(owner)
    api.force_authenticate(owner)
    slug = built["contest"].slug

    page = client.get(f"/manage/{slug}/categories/{health.pk}/delete/")
    posted = client.post(f"/manage/{slug}/categories/{health.pk}/delete/")
    answer = api.delete(f"/api/v1/contests/{slug}/categories/{health.pk}/")

    assert "already has 1 entry" in text(page)
    assert posted.status_code == 409
    assert "already has 1 entry" in text(posted)
    assert answer.status_code == 409
    assert "already has 1 entry" in answer.json()["detail"]
    assert Category.objects.filter(pk=health.pk).exists()


def test_category_delete_api_answers_204(api, built, owner):
    api.force_authenticate(owner)
    economy = built["economy"]

    response = api.delete(
        f"/api/v1/contests/{built['contest'].slug}/categories/{economy.pk}/"
    )

    assert response.status_code == 204
    assert not Category.objects.filter(pk=economy.pk).exists()


# Deleting a stage ----------------------------------------------------------------


def test_stage_delete_takes_rubric_entries_and_assignments(client, built, owner):
    desk = built["desk"]
    entry = SubmissionFactory(
        contest=built["contest"], category=built["health"], state="eligible"
    )
    StageEntry.objects.create(stage=desk, submission=entry)
    Assignment.objects.create(stage=desk, judge=built["judge"], submission=entry)
    client.force_login(owner)
    url = f"/manage/{built['contest'].slug}/stages/{desk.pk}/delete/"

    page = text(client.get(url))
    client.post(url)

    assert "criteria of its rubric" in page
    assert "judge assignments" in page
    assert not Stage.objects.filter(pk=desk.pk).exists()
    assert Criterion.objects.filter(stage_id=desk.pk).count() == 0
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"stage.deleted", "criterion.deleted", "assignment.deleted"} <= actions


def test_stage_with_a_sheet_is_refused(api, built, owner):
    desk = built["desk"]
    entry = SubmissionFactory(
        contest=built["contest"], category=built["health"], state="eligible"
    )
    assignment = Assignment.objects.create(
        stage=desk, judge=built["judge"], submission=entry
    )
    ScoreSheetFactory(assignment=assignment)
    api.force_authenticate(owner)

    response = api.delete(f"/api/v1/contests/{built['contest'].slug}/stages/{desk.pk}/")

    assert response.status_code == 409
    assert "1 score sheet" in response.json()["detail"]
    assert Stage.objects.filter(pk=desk.pk).exists()


def test_stage_whose_criteria_hold_evidence_is_refused(api, built, owner):
    from tests.factories.submissions import EvidenceFactory

    desk = built["desk"]
    entry = SubmissionFactory(contest=built["contest"], category=built["health"])
    EvidenceFactory(submission=entry, criterion=desk.criteria.first())
    api.force_authenticate(owner)

    response = api.delete(f"/api/v1/contests/{built['contest'].slug}/stages/{desk.pk}/")

    assert response.status_code == 409
    assert "1 piece of evidence" in response.json()["detail"]
    assert Stage.objects.filter(pk=desk.pk).exists()


def test_stage_with_its_minutes_is_refused(api, built, owner):
    from results.models import StageMinutes

    desk = built["desk"]
    StageMinutes.objects.create(
        stage=desk,
        file="minutes/x.pdf",
        sha256="0" * 64,
        ledger_head_hash="0" * 64,
        generated_at=NOW(),
    )
    api.force_authenticate(owner)

    response = api.delete(f"/api/v1/contests/{built['contest'].slug}/stages/{desk.pk}/")

    assert response.status_code == 409
    assert "minutes" in response.json()["detail"]
    assert Stage.objects.filter(pk=desk.pk).exists()


def test_stage_delete_refused_to_a_judge(api, built):
    api.force_authenticate(built["judge"].user)
    desk = built["desk"]

    response = api.delete(f"/api/v1/contests/{built['contest'].slug}/stages/{desk.pk}/")

    assert response.status_code == 403
    assert Stage.objects.filter(pk=desk.pk).exists()


# Deleting a contest --------------------------------------------------------------


def test_contest_delete_page_deletes_and_keeps_the_ledger(client, built, owner):
    contest = built["contest"]
    client.force_login(owner)
    url = f"/manage/{contest.slug}/delete/"

    page = text(client.get(url))
    done = client.post(url)

    assert "<strong>2</strong> categories" in page
    assert "<strong>2</strong> criteria" in page
    assert done.status_code == 302
    assert done["Location"] == "/manage/"
    assert not Contest.objects.filter(pk=contest.pk).exists()
    assert not Judge.objects.filter(pk=built["judge"].pk).exists()
    entry = AuditEntry.objects.get(action="contest.deleted")
    assert (entry.contest_slug, entry.actor_id) == ("kid-2025", owner.pk)
    verify_clean()


def test_a_deleted_contests_waiting_mails_are_given_up_and_its_texts_go(
    client, built, owner
):
    from notifications import services as notification_services
    from notifications.enums import NotificationState
    from notifications.models import Notification, TemplateOverride

    contest = built["contest"]
    waiting = notification_services.notify(
        recipient=owner, event="invitation", context={}, contest_id=contest.pk
    )
    TemplateOverride.objects.create(
        contest_id=contest.pk, event="invitation", language="id", subject="S", body="B"
    )
    client.force_login(owner)

    client.post(f"/manage/{contest.slug}/delete/")

    waiting.refresh_from_db()
    assert waiting.state == NotificationState.FAILED
    assert waiting.last_error
    assert not TemplateOverride.objects.filter(contest_id=contest.pk).exists()
    assert notification_services.sweep() == 0
    assert Notification.objects.filter(pk=waiting.pk).exists()


def test_contest_with_entries_is_refused(api, built, owner):
    contest = built["contest"]
    SubmissionFactory(contest=contest, category=built["economy"])
    api.force_authenticate(owner)

    response = api.delete(f"/api/v1/contests/{contest.slug}/")

    assert response.status_code == 409
    assert "This contest already has 1 entry" in response.json()["detail"]
    assert Contest.objects.filter(pk=contest.pk).exists()


def test_frozen_contest_is_never_deleted(client, built, owner):
    contest = built["contest"]
    Contest.objects.filter(pk=contest.pk).update(frozen_at=NOW())
    client.force_login(owner)

    response = client.post(f"/manage/{contest.slug}/delete/")

    assert response.status_code == 409
    assert "no longer changes" in text(response)
    assert Contest.objects.filter(pk=contest.pk).exists()


def test_contest_delete_refused_to_others(api, built):
    contest = built["contest"]
    api.force_authenticate(built["judge"].user)
    judge_answer = api.delete(f"/api/v1/contests/{contest.slug}/")
    api.force_authenticate(None)

    anonymous = api.delete(f"/api/v1/contests/{contest.slug}/")

    assert judge_answer.status_code == 403
    assert anonymous.status_code in (401, 404)
    assert Contest.objects.filter(pk=contest.pk).exists()


def test_setup_page_links_the_lifecycle_pages(client, built, owner):
    client.force_login(owner)
    slug = built["contest"].slug

    page = text(client.get(f"/manage/{slug}/"))

    assert f'href="/manage/{slug}/organizers/"' in page
    assert f'href="/manage/{slug}/clone/"' in page
    assert f'href="/manage/{slug}/delete/"' in page
    assert f'href="/manage/{slug}/categories/{built["health"].pk}/delete/"' in page
    assert f'href="/manage/{slug}/stages/{built["desk"].pk}/delete/"' in page


def test_setup_page_hides_copy_from_organizer_without_creator_right(
    client, built, owner
):
    co_organizer = UserFactory()
    contest_services.add_organizer(
        contest=built["contest"], user=co_organizer, by=owner
    )
    client.force_login(co_organizer)
    slug = built["contest"].slug

    page = text(client.get(f"/manage/{slug}/"))

    assert f'href="/manage/{slug}/organizers/"' in page
    assert f'href="/manage/{slug}/clone/"' not in page
