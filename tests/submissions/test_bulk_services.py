"""The screening queue's bulk services: a report per entry, the checks made once
before anything changes, the roles, a frozen contest; the drafts reminder and the
saved filters."""

import datetime as dt

import pytest
import rules
from django.utils import timezone

from common.errors import DomainError
from contest.models import AuditEntry, Contest
from notifications.models import Message, Notification
from submissions import services
from submissions.enums import SubmissionState
from submissions.models import SavedFilter, Submission
from submissions.selectors import next_in_queue
from tests.factories.contest import ContestFactory, DelegateFactory, RegionFactory
from tests.factories.submissions import SubmissionFactory
from tests.submissions.conftest import ROLES, close_window, set_state

pytestmark = [pytest.mark.django_db]

S = SubmissionState


@pytest.fixture
def queue(contest, category, region, other_region):
    """Three submitted entries (two of the delegate's region, one of the other),
    an eligible one and a draft."""
    submitted = [
        set_state(
            SubmissionFactory(contest=contest, category=category, region=r), S.SUBMITTED
        )
        for r in (region, region, other_region)
    ]
    eligible = set_state(
        SubmissionFactory(contest=contest, category=category, region=region),
        S.ELIGIBLE,
    )
    draft = SubmissionFactory(contest=contest, category=category, region=region)
    return {"submitted": submitted, "eligible": eligible, "draft": draft}


def _ids(entries):
    return [e.pk for e in entries]


def _states(entries):
    return [Submission.objects.get(pk=e.pk).state for e in entries]


def test_bulk_screen_marks_each_entry_and_reports_the_skipped(
    contest, organizer, queue, django_capture_on_commit_callbacks
):
    asked = [*queue["submitted"], queue["eligible"], queue["draft"]]

    with django_capture_on_commit_callbacks(execute=True):
        report = services.bulk_screen(
            contest=contest, submission_ids=_ids(asked), eligible=True, by=organizer
        )

    assert [o.submission_id for o in report.done] == _ids(queue["submitted"])
    assert [(o.submission_id, o.reason) for o in report.skipped] == [
        (
            queue["eligible"].pk,
            "This entry is “Eligible”; only a submitted entry can be screened.",
        ),
        (
            queue["draft"].pk,
            "This entry is “Draft”; only a submitted entry can be screened.",
        ),
    ]
    assert _states(queue["submitted"]) == [S.ELIGIBLE] * 3
    assert _states([queue["draft"]]) == [S.DRAFT]
    screened = Notification.objects.filter(event="submission.screened")
    assert screened.count() == 3
    audit = AuditEntry.objects.get(action="submissions.bulk")
    assert audit.data["done"] == 3
    assert audit.data["skipped"] == 2


def test_bulk_screen_ineligible_needs_one_reason_and_changes_nothing_without(
    contest, organizer, queue, table_rows
):
    before = table_rows()

    with pytest.raises(DomainError) as refused:
        services.bulk_screen(
            contest=contest,
            submission_ids=_ids(queue["submitted"]),
            eligible=False,
            reason="  ",
            by=organizer,
        )

    assert refused.value.field == "reason"
    assert table_rows() == before


def test_bulk_screen_ineligible_gives_every_entry_the_reason(contest, organizer, queue):
    report = services.bulk_screen(
        contest=contest,
        submission_ids=_ids(queue["submitted"]),
        eligible=False,
        reason="Inovasi belum berjalan dua tahun.",
        by=organizer,
    )

    assert len(report.done) == 3
    reasons = set(
        Submission.objects.filter(pk__in=_ids(queue["submitted"])).values_list(
            "state", "screening_reason"
        )
    )
    assert reasons == {(S.INELIGIBLE, "Inovasi belum berjalan dua tahun.")}


def test_bulk_skips_entries_of_another_contest(contest, organizer, queue):
    foreign = SubmissionFactory(contest=ContestFactory())
    set_state(foreign, S.SUBMITTED)

    report = services.bulk_screen(
        contest=contest,
        submission_ids=[foreign.pk, queue["submitted"][0].pk],
        eligible=True,
        by=organizer,
    )

    assert [o.submission_id for o in report.done] == [queue["submitted"][0].pk]
    assert report.skipped[0].reason == "No such entry in this contest."
    assert _states([foreign]) == [S.SUBMITTED]


def test_bulk_refuses_an_empty_selection(contest, organizer):
    with pytest.raises(DomainError) as refused:
        services.bulk_screen(
            contest=contest, submission_ids=[], eligible=True, by=organizer
        )

    assert refused.value.field == "submissions"


def test_bulk_request_revision_sends_back_with_one_note_and_deadline(
    contest, organizer, queue, django_capture_on_commit_callbacks
):
    deadline = timezone.now() + dt.timedelta(days=5)

    with django_capture_on_commit_callbacks(execute=True):
        report = services.bulk_request_revision(
            contest=contest,
            submission_ids=[*_ids(queue["submitted"]), queue["eligible"].pk],
            note="Lengkapi SK inovasi.",
            deadline=deadline,
            by=organizer,
        )

    assert len(report.done) == 3
    assert report.skipped[0].submission_id == queue["eligible"].pk
    rows = Submission.objects.filter(pk__in=_ids(queue["submitted"]))
    assert {(r.state, r.revision_note, r.revision_deadline) for r in rows} == {
        (S.REVISION_REQUESTED, "Lengkapi SK inovasi.", deadline)
    }
    assert (
        Notification.objects.filter(event="submission.revision_requested").count() == 3
    )


@pytest.mark.parametrize(
    ("note", "days", "field"),
    [("", 3, "note"), ("Lengkapi.", -1, "deadline"), ("Lengkapi.", 400, "deadline")],
)
def test_bulk_request_revision_checks_note_and_deadline_first(
    contest, organizer, queue, table_rows, note, days, field
):
    before = table_rows()

    with pytest.raises(DomainError) as refused:
        services.bulk_request_revision(
            contest=contest,
            submission_ids=_ids(queue["submitted"]),
            note=note,
            deadline=timezone.now() + dt.timedelta(days=days),
            by=organizer,
        )

    assert refused.value.field == field
    assert table_rows() == before


def test_bulk_message_reaches_each_delegate_once(
    contest, organizer, queue, delegate, other_delegate, region
):
    second = DelegateFactory(contest=contest, region=region).user
    lonely = SubmissionFactory(contest=contest, region=RegionFactory())
    set_state(lonely, S.SUBMITTED)

    report = services.bulk_write_to_delegates(
        contest=contest,
        submission_ids=[*_ids(queue["submitted"]), lonely.pk],
        subject="Jadwal   presentasi",
        body="Mohon siapkan bahan.",
        by=organizer,
    )

    message = Message.objects.get()
    emails = sorted(message.notifications.values_list("email", flat=True))
    assert emails == sorted([delegate.email, second.email, other_delegate.email])
    assert report.recipients == 3
    assert message.subject == "Jadwal presentasi"
    assert len(report.done) == 3
    assert [(o.submission_id, o.reason) for o in report.skipped] == [
        (lonely.pk, "Its region has no delegate.")
    ]


@pytest.mark.parametrize(
    ("subject", "body", "field"),
    [("", "Isi", "subject"), ("Hal", " ", "body"), ("x" * 151, "Isi", "subject")],
)
def test_bulk_message_checks_subject_and_body(
    contest, organizer, queue, subject, body, field
):
    with pytest.raises(DomainError) as refused:
        services.bulk_write_to_delegates(
            contest=contest,
            submission_ids=_ids(queue["submitted"]),
            subject=subject,
            body=body,
            by=organizer,
        )

    assert refused.value.field == field
    assert Message.objects.count() == 0


BULK_CALLS = {
    "eligible": lambda c, ids, by: services.bulk_screen(
        contest=c, submission_ids=ids, eligible=True, by=by
    ),
    "revision": lambda c, ids, by: services.bulk_request_revision(
        contest=c,
        submission_ids=ids,
        note="Lengkapi.",
        deadline=timezone.now() + dt.timedelta(days=3),
        by=by,
    ),
    "message": lambda c, ids, by: services.bulk_write_to_delegates(
        contest=c, submission_ids=ids, subject="Hal", body="Isi", by=by
    ),
    "remind": lambda c, ids, by: services.remind_draft_delegates(contest=c, by=by),
}
ALLOWED = {"organizer", "superuser"}


@pytest.mark.parametrize("name", sorted(BULK_CALLS))
@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_bulk_actions_are_for_the_contests_organizers(
    request, contest, queue, table_rows, name, role
):
    user = request.getfixturevalue(role)
    before = table_rows()

    if role in ALLOWED:
        BULK_CALLS[name](contest, _ids(queue["submitted"]), user)
        assert table_rows() != before
    else:
        with pytest.raises(DomainError) as refused:
            BULK_CALLS[name](contest, _ids(queue["submitted"]), user)
        assert refused.value.status == 403
        assert table_rows() == before


@pytest.mark.parametrize("role", ROLES)
def test_screen_submissions_predicate_per_role(request, contest, role):
    user = request.getfixturevalue(role) if role != "anonymous" else None
    if user is None:
        from django.contrib.auth.models import AnonymousUser

        user = AnonymousUser()

    allowed = rules.has_perm("submissions.screen_submissions", user, contest)

    assert allowed is (role in ALLOWED)


@pytest.mark.parametrize("name", sorted(BULK_CALLS))
def test_bulk_actions_refused_once_the_contest_is_frozen(
    contest, organizer, queue, table_rows, name
):
    Contest.objects.filter(pk=contest.pk).update(frozen_at=timezone.now())
    before = table_rows()

    with pytest.raises(DomainError) as refused:
        BULK_CALLS[name](contest, _ids(queue["submitted"]), organizer)

    assert refused.value.status == 409
    assert table_rows() == before


# ---------------------------------------------------------------- drafts reminder


def test_remind_draft_delegates_reminds_each_draft_region_once_a_day(
    contest, organizer, delegate, queue
):
    count = services.remind_draft_delegates(contest=contest, by=organizer)

    rows = Notification.objects.filter(event="submission.deadline")
    assert count == 1
    assert list(rows.values_list("email", flat=True)) == [delegate.email]
    assert rows.get().context["drafts"] == [queue["draft"].title]
    with pytest.raises(DomainError) as again:
        services.remind_draft_delegates(contest=contest, by=organizer)
    assert again.value.status == 409
    assert rows.count() == 1


def test_remind_draft_delegates_next_day_reminds_again(contest, organizer, queue):
    services.remind_draft_delegates(contest=contest, by=organizer)

    count = services.remind_draft_delegates(
        contest=contest, by=organizer, now=timezone.now() + dt.timedelta(days=1)
    )

    assert count == 1


def test_remind_draft_delegates_refused_once_the_window_closed(
    contest, organizer, queue
):
    close_window(contest)

    with pytest.raises(DomainError) as refused:
        services.remind_draft_delegates(contest=contest, by=organizer)

    assert refused.value.status == 409
    assert Notification.objects.count() == 0


def test_remind_draft_delegates_refused_without_drafts(contest, organizer):
    with pytest.raises(DomainError) as refused:
        services.remind_draft_delegates(contest=contest, by=organizer)

    assert str(refused.value.message) == "No draft is waiting to be submitted."


# ---------------------------------------------------------------- saved filters


def test_save_filter_keeps_only_the_queue_values_and_replaces_by_name(
    contest, organizer
):
    first = services.save_filter(
        contest=contest,
        name="Belum disaring",
        params={"state": "submitted", "page": "3", "evil": "x", "q": " "},
        by=organizer,
    )

    second = services.save_filter(
        contest=contest,
        name=" Belum   disaring ",
        params={"state": "submitted", "q": "kota"},
        by=organizer,
    )

    assert first.pk == second.pk
    assert SavedFilter.objects.get().params == {"q": "kota", "state": "submitted"}


@pytest.mark.parametrize(
    ("name", "params", "field"),
    [("", {"state": "submitted"}, "name"), ("Kosong", {"page": "2"}, "params")],
)
def test_save_filter_names_the_wrong_field(contest, organizer, name, params, field):
    with pytest.raises(DomainError) as refused:
        services.save_filter(contest=contest, name=name, params=params, by=organizer)

    assert refused.value.field == field


def test_save_filter_is_for_organizers(contest, delegate):
    with pytest.raises(DomainError) as refused:
        services.save_filter(
            contest=contest, name="x", params={"state": "submitted"}, by=delegate
        )

    assert refused.value.status == 403


def test_delete_filter_only_by_its_owner(contest, organizer, superuser):
    saved = services.save_filter(
        contest=contest, name="Milik saya", params={"q": "x"}, by=organizer
    )

    with pytest.raises(DomainError) as refused:
        services.delete_filter(saved=saved, by=superuser)
    services.delete_filter(saved=saved, by=organizer)

    assert refused.value.status == 404
    assert SavedFilter.objects.count() == 0


# ---------------------------------------------------------------- pure helpers


def test_filter_params_drops_unknown_and_empty_values():
    params = services.filter_params(
        {"q": " bima ", "state": "", "page": "2", "sort": "-title", "category": [1]}
    )

    assert params == {"q": "bima", "sort": "-title"}


@pytest.mark.parametrize(
    ("ids", "current", "expected"),
    [([1, 2, 3], 1, 2), ([1, 2, 3], 3, None), ([1, 2, 3], 9, None), ([], 1, None)],
)
def test_next_in_queue(ids, current, expected):
    assert next_in_queue(ids, current) == expected


def test_bulk_message_sent_again_a_moment_later_is_refused(
    contest, organizer, queue, delegate
):
    ids = _ids(queue["submitted"])
    services.bulk_write_to_delegates(
        contest=contest, submission_ids=ids, subject="Hal", body="Isi", by=organizer
    )

    with pytest.raises(DomainError) as again:
        services.bulk_write_to_delegates(
            contest=contest, submission_ids=ids, subject="Hal", body="Isi", by=organizer
        )
    other_text = services.bulk_write_to_delegates(
        contest=contest, submission_ids=ids, subject="Hal", body="Lain", by=organizer
    )

    assert again.value.status == 409
    assert other_text.recipients == 2
    assert Message.objects.count() == 2
