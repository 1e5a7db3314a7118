import datetime as dt
import itertools
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from common.errors import DomainError
from contest.models import AuditEntry
from submissions import services
from submissions.enums import (
    ALLOWED_TRANSITIONS,
    REOPEN_TARGETS,
    ReviewStatus,
    SubmissionState,
)
from submissions.models import Evidence, Submission
from tests.factories.contest import (
    CategoryFactory,
    ContestFactory,
    CriterionFactory,
    StageFactory,
)
from tests.factories.submissions import EvidenceFactory, SubmissionFactory
from tests.submissions.conftest import close_window, set_state

pytestmark = [pytest.mark.django_db]

S = SubmissionState


def _ledger(action="submission.state_changed"):
    return list(AuditEntry.objects.filter(action=action).order_by("seq"))


def _draft_data(category, **extra):
    return {"category": category, "title": "Saninu", **extra}


# ---------------------------------------------------------------- create


def test_create_submission_makes_a_draft_for_the_delegates_region(
    contest, category, delegate, region
):
    submission = services.create_submission(
        contest=contest, by=delegate, **_draft_data(category, agency="  Diskominfo  ")
    )

    assert submission.region == region
    assert submission.state == S.DRAFT
    assert submission.created_by == delegate
    assert submission.agency == "Diskominfo"
    entry = _ledger("submission.created")[0]
    assert entry.actor_email == delegate.email
    assert entry.data["region"] == region.code
    assert entry.data["title"] == "Saninu"


def test_create_submission_refused_outside_the_window(
    contest, category, delegate, table_rows
):
    close_window(contest)

    rows_before = table_rows()
    with pytest.raises(DomainError) as exc:
        services.create_submission(
            contest=contest, by=delegate, **_draft_data(category)
        )

    assert exc.value.status == 409
    assert table_rows() == rows_before
    assert "closed on" in str(exc.value.message)
    assert Submission.objects.count() == 0


def test_create_submission_refused_before_the_window_opens(
    contest, category, delegate, table_rows
):
    contest.submission_opens = timezone.now() + dt.timedelta(days=1)
    contest.submission_closes = timezone.now() + dt.timedelta(days=9)
    contest.save()

    rows_before = table_rows()
    with pytest.raises(DomainError) as exc:
        services.create_submission(
            contest=contest, by=delegate, **_draft_data(category)
        )

    assert exc.value.status == 409
    assert table_rows() == rows_before
    assert "opens on" in str(exc.value.message)
    assert Submission.objects.count() == 0


def test_create_submission_refused_for_a_user_who_is_not_a_delegate(
    contest, category, organizer
):
    with pytest.raises(DomainError) as exc:
        services.create_submission(
            contest=contest, by=organizer, **_draft_data(category)
        )

    assert exc.value.status == 403
    assert Submission.objects.count() == 0


def test_create_submission_refused_for_an_ineligible_region_type(
    contest, category, delegate, region
):
    contest.eligible_region_types = ["kabupaten"]
    contest.save()

    with pytest.raises(DomainError) as exc:
        services.create_submission(
            contest=contest, by=delegate, **_draft_data(category)
        )

    assert region.name in str(exc.value.message)
    assert "kabupaten" in str(exc.value.message)
    assert Submission.objects.count() == 0


def test_create_submission_refused_over_the_limit_names_the_limit(
    contest, category, delegate, region
):
    contest.max_entries_per_region = 2
    contest.save()
    SubmissionFactory.create_batch(2, contest=contest, category=category, region=region)

    with pytest.raises(DomainError) as exc:
        services.create_submission(
            contest=contest, by=delegate, **_draft_data(category)
        )

    message = str(exc.value.message)
    assert exc.value.field == "category"
    assert "already has 2 entries" in message
    assert "at most 2 entries per category" in message
    assert Submission.objects.count() == 2


def test_create_submission_does_not_count_withdrawn_entries(
    contest, category, delegate, region
):
    contest.max_entries_per_region = 1
    contest.save()
    set_state(
        SubmissionFactory(contest=contest, category=category, region=region),
        S.WITHDRAWN,
    )

    submission = services.create_submission(
        contest=contest, by=delegate, **_draft_data(category)
    )

    assert submission.pk is not None


def test_create_submission_limit_is_per_category(contest, category, delegate, region):
    contest.max_entries_per_region = 1
    contest.save()
    SubmissionFactory(contest=contest, category=category, region=region)
    other_category = CategoryFactory(contest=contest)

    submission = services.create_submission(
        contest=contest, by=delegate, **_draft_data(other_category)
    )

    assert submission.category == other_category


def test_create_submission_refuses_a_category_of_another_contest(contest, delegate):
    foreign = CategoryFactory(contest=ContestFactory())

    with pytest.raises(DomainError) as exc:
        services.create_submission(contest=contest, by=delegate, **_draft_data(foreign))

    assert exc.value.field == "category"
    assert Submission.objects.count() == 0


def test_create_submission_refuses_a_start_date_in_the_future(
    contest, category, delegate
):
    with pytest.raises(ValidationError) as exc:
        services.create_submission(
            contest=contest,
            by=delegate,
            **_draft_data(
                category, started_on=timezone.localdate() + dt.timedelta(days=5)
            ),
        )

    assert "started_on" in exc.value.message_dict
    assert Submission.objects.count() == 0


# ---------------------------------------------------------------- update and delete


def test_update_submission_saves_and_audits_the_changes(entry, delegate):
    old_title = entry.title

    services.update_submission(
        submission=entry,
        by=delegate,
        data={"title": "Saninu 2.0", "links": ["https://a.id"]},
    )

    entry.refresh_from_db()
    assert entry.title == "Saninu 2.0"
    assert entry.links == ["https://a.id"]
    audit = _ledger("submission.updated")[0]
    assert audit.data["title"] == [old_title, "Saninu 2.0"]


def test_update_submission_refused_after_the_window_closes(
    entry, contest, delegate, table_rows
):
    close_window(contest)
    old_title = entry.title

    rows_before = table_rows()
    with pytest.raises(DomainError) as exc:
        services.update_submission(
            submission=entry, by=delegate, data={"title": "Baru"}
        )

    entry.refresh_from_db()
    assert exc.value.status == 409
    assert table_rows() == rows_before
    assert entry.title == old_title


def test_update_submission_refused_once_submitted(entry, delegate, table_rows):
    set_state(entry, S.SUBMITTED)

    rows_before = table_rows()
    with pytest.raises(DomainError) as exc:
        services.update_submission(
            submission=entry, by=delegate, data={"title": "Baru"}
        )

    assert exc.value.status == 409
    assert table_rows() == rows_before
    assert "Submitted" in str(exc.value.message)


def test_update_submission_refused_for_another_regions_delegate(entry, other_delegate):
    with pytest.raises(DomainError) as exc:
        services.update_submission(
            submission=entry, by=other_delegate, data={"title": "X"}
        )

    assert exc.value.status == 403


def test_update_submission_allowed_during_revision_after_the_window(
    entry, contest, delegate
):
    set_state(entry, S.REVISION_REQUESTED)
    close_window(contest)

    services.update_submission(
        submission=entry, by=delegate, data={"impact": "Naik 40%"}
    )

    entry.refresh_from_db()
    assert entry.impact == "Naik 40%"


def test_update_submission_refused_after_the_revision_deadline(
    entry, contest, delegate, table_rows
):
    set_state(
        entry,
        S.REVISION_REQUESTED,
        revision_deadline=timezone.now() - dt.timedelta(hours=1),
    )
    close_window(contest)

    rows_before = table_rows()
    with pytest.raises(DomainError) as exc:
        services.update_submission(submission=entry, by=delegate, data={"impact": "X"})

    assert exc.value.status == 409
    assert table_rows() == rows_before
    assert "deadline" in str(exc.value.message)


def test_update_submission_checks_the_limit_when_the_category_changes(
    entry, contest, delegate, region
):
    contest.max_entries_per_region = 1
    contest.save()
    full = CategoryFactory(contest=contest, name="Kesehatan", slug="kesehatan")
    SubmissionFactory(contest=contest, category=full, region=region)

    with pytest.raises(DomainError) as exc:
        services.update_submission(
            submission=entry, by=delegate, data={"category": full}
        )

    entry.refresh_from_db()
    assert "Kesehatan" in str(exc.value.message)
    assert entry.category != full


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "ftp://files.example.id/a", "x"]
)
def test_update_submission_refuses_links_that_are_not_http(entry, delegate, url):
    with pytest.raises(ValidationError) as exc:
        services.update_submission(submission=entry, by=delegate, data={"links": [url]})

    entry.refresh_from_db()
    assert "links" in exc.value.message_dict
    assert entry.links == []


def test_update_submission_refuses_unknown_fields(entry, delegate):
    with pytest.raises(DomainError) as exc:
        services.update_submission(
            submission=entry, by=delegate, data={"state": "eligible"}
        )

    entry.refresh_from_db()
    assert exc.value.field == "state"
    assert entry.state == S.DRAFT


def test_delete_submission_removes_a_draft_and_its_files(
    entry, evidence, delegate, django_capture_on_commit_callbacks
):
    storage = evidence.file.storage
    name = evidence.file.name

    with django_capture_on_commit_callbacks(execute=True):
        services.delete_submission(submission=entry, by=delegate)

    assert not Submission.objects.filter(pk=entry.pk).exists()
    assert not Evidence.objects.exists()
    assert not storage.exists(name)
    assert _ledger("submission.deleted")[0].data["title"] == entry.title


def test_delete_submission_refused_once_submitted(entry, delegate, table_rows):
    set_state(entry, S.SUBMITTED)

    rows_before = table_rows()
    with pytest.raises(DomainError) as exc:
        services.delete_submission(submission=entry, by=delegate)

    assert exc.value.status == 409
    assert table_rows() == rows_before
    assert Submission.objects.filter(pk=entry.pk).exists()


def test_delete_submission_refused_after_the_window(
    entry, contest, delegate, table_rows
):
    close_window(contest)

    rows_before = table_rows()
    with pytest.raises(DomainError) as exc:
        services.delete_submission(submission=entry, by=delegate)

    assert exc.value.status == 409
    assert table_rows() == rows_before
    assert Submission.objects.filter(pk=entry.pk).exists()


# ---------------------------------------------------------------- submit


def test_submit_submission_moves_a_draft_to_submitted_and_audits(
    entry, evidence, delegate
):
    services.submit_submission(submission=entry, by=delegate)

    entry.refresh_from_db()
    assert entry.state == S.SUBMITTED
    assert entry.submitted_at is not None
    audit = _ledger()[-1]
    assert audit.data == {"from": "draft", "to": "submitted", "reason": ""}
    assert audit.actor_email == delegate.email
    assert audit.object_id == str(entry.pk)


def test_submit_submission_refused_outside_the_window_changes_nothing(
    entry, evidence, contest, delegate, table_rows
):
    close_window(contest)
    before = AuditEntry.objects.count()

    rows_before = table_rows()
    with pytest.raises(DomainError) as exc:
        services.submit_submission(submission=entry, by=delegate)

    entry.refresh_from_db()
    assert exc.value.status == 409
    assert table_rows() == rows_before
    assert entry.state == S.DRAFT
    assert entry.submitted_at is None
    assert AuditEntry.objects.count() == before


def test_submit_submission_refused_with_empty_fields(entry, evidence, delegate):
    entry.problem = ""
    entry.started_on = None
    entry.save()

    with pytest.raises(DomainError) as exc:
        services.submit_submission(submission=entry, by=delegate)

    entry.refresh_from_db()
    assert exc.value.field == "problem"
    assert "problem, started on" in str(exc.value.message)
    assert entry.state == S.DRAFT


def test_submit_submission_refused_without_evidence(entry, delegate):
    with pytest.raises(DomainError) as exc:
        services.submit_submission(submission=entry, by=delegate)

    entry.refresh_from_db()
    assert exc.value.field == "evidence"
    assert entry.state == S.DRAFT


def test_submit_submission_refused_for_another_regions_delegate(
    entry, evidence, other_delegate
):
    with pytest.raises(DomainError) as exc:
        services.submit_submission(submission=entry, by=other_delegate)

    entry.refresh_from_db()
    assert exc.value.status == 403
    assert entry.state == S.DRAFT


def test_submit_submission_refused_when_the_region_is_over_the_limit(
    entry, evidence, contest, category, region, delegate
):
    set_state(
        SubmissionFactory(contest=contest, category=category, region=region),
        S.SUBMITTED,
    )
    contest.max_entries_per_region = 1
    contest.save()

    with pytest.raises(DomainError) as exc:
        services.submit_submission(submission=entry, by=delegate)

    entry.refresh_from_db()
    assert "at most 1 entries per category" in str(exc.value.message)
    assert entry.state == S.DRAFT


def test_submit_submission_refused_for_an_entry_already_submitted(
    entry, evidence, delegate, table_rows
):
    set_state(entry, S.SUBMITTED)

    rows_before = table_rows()
    with pytest.raises(DomainError) as exc:
        services.submit_submission(submission=entry, by=delegate)

    assert exc.value.status == 409
    assert table_rows() == rows_before


def test_resubmit_after_revision_puts_the_entry_back_in_the_queue(
    entry, evidence, contest, delegate
):
    set_state(entry, S.REVISION_REQUESTED)
    evidence.review_status = ReviewStatus.NEEDS_REVISION
    evidence.review_note = "Tanda tangan kurang."
    evidence.save()
    close_window(contest)

    services.submit_submission(submission=entry, by=delegate)

    entry.refresh_from_db()
    evidence.refresh_from_db()
    assert entry.state == S.SUBMITTED
    assert evidence.review_status == ReviewStatus.PENDING
    assert evidence.review_note == "Tanda tangan kurang."
    assert _ledger()[-1].data["from"] == "revision_requested"


def test_resubmit_refused_after_the_revision_deadline(
    entry, evidence, contest, delegate, table_rows
):
    set_state(
        entry,
        S.REVISION_REQUESTED,
        revision_deadline=timezone.now() - dt.timedelta(minutes=1),
    )

    rows_before = table_rows()
    with pytest.raises(DomainError) as exc:
        services.submit_submission(submission=entry, by=delegate)

    entry.refresh_from_db()
    assert exc.value.status == 409
    assert table_rows() == rows_before
    assert entry.state == S.REVISION_REQUESTED


# ---------------------------------------------------------------- withdraw


@pytest.mark.parametrize(
    "state", [S.DRAFT, S.SUBMITTED, S.REVISION_REQUESTED, S.ELIGIBLE]
)
def test_withdraw_submission_from_each_allowed_state(entry, delegate, state):
    set_state(entry, state)

    services.withdraw_submission(
        submission=entry, by=delegate, reason="Fokus ke entri lain"
    )

    entry.refresh_from_db()
    assert entry.state == S.WITHDRAWN
    assert _ledger()[-1].data == {
        "from": str(state),
        "to": "withdrawn",
        "reason": "Fokus ke entri lain",
    }


@pytest.mark.parametrize(
    "state", [S.INELIGIBLE, S.ADVANCED, S.NOT_ADVANCED, S.WITHDRAWN]
)
def test_withdraw_submission_refused_from_other_states(
    entry, delegate, state, table_rows
):
    set_state(entry, state)

    rows_before = table_rows()
    with pytest.raises(DomainError) as exc:
        services.withdraw_submission(submission=entry, by=delegate)

    entry.refresh_from_db()
    assert exc.value.status == 409
    assert table_rows() == rows_before
    assert entry.state == state


def test_withdraw_submission_refused_for_an_organizer(entry, organizer):
    with pytest.raises(DomainError) as exc:
        services.withdraw_submission(submission=entry, by=organizer)

    assert exc.value.status == 403


# ---------------------------------------------------------------- screening


def test_screen_submission_marks_eligible(entry, organizer):
    set_state(entry, S.SUBMITTED)

    services.screen_submission(submission=entry, eligible=True, by=organizer)

    entry.refresh_from_db()
    assert entry.state == S.ELIGIBLE
    assert entry.screened_by == organizer
    assert entry.screened_at is not None
    assert _ledger()[-1].data["to"] == "eligible"


def test_screen_submission_ineligible_with_its_reason(entry, organizer):
    set_state(entry, S.SUBMITTED)

    services.screen_submission(
        submission=entry, eligible=False, reason="Inovasi belum berjalan.", by=organizer
    )

    entry.refresh_from_db()
    assert entry.state == S.INELIGIBLE
    assert entry.screening_reason == "Inovasi belum berjalan."
    assert _ledger()[-1].data["reason"] == "Inovasi belum berjalan."


def test_screen_submission_ineligible_refused_without_a_reason(entry, organizer):
    set_state(entry, S.SUBMITTED)

    with pytest.raises(DomainError) as exc:
        services.screen_submission(
            submission=entry, eligible=False, reason="  ", by=organizer
        )

    entry.refresh_from_db()
    assert exc.value.field == "reason"
    assert entry.state == S.SUBMITTED


@pytest.mark.parametrize("state", [S.DRAFT, S.ELIGIBLE, S.WITHDRAWN])
def test_screen_submission_refused_unless_submitted(
    entry, organizer, state, table_rows
):
    set_state(entry, state)

    rows_before = table_rows()
    with pytest.raises(DomainError) as exc:
        services.screen_submission(submission=entry, eligible=True, by=organizer)

    entry.refresh_from_db()
    assert exc.value.status == 409
    assert table_rows() == rows_before
    assert entry.state == state


def test_screen_submission_refused_for_a_delegate(entry, delegate):
    set_state(entry, S.SUBMITTED)

    with pytest.raises(DomainError) as exc:
        services.screen_submission(submission=entry, eligible=True, by=delegate)

    entry.refresh_from_db()
    assert exc.value.status == 403
    assert entry.state == S.SUBMITTED


def test_screen_submission_refused_for_another_contests_organizer(
    entry, other_organizer
):
    set_state(entry, S.SUBMITTED)

    with pytest.raises(DomainError) as exc:
        services.screen_submission(submission=entry, eligible=True, by=other_organizer)

    assert exc.value.status == 403


def test_screen_submission_refused_while_the_revision_is_open(
    entry, organizer, table_rows
):
    set_state(entry, S.REVISION_REQUESTED)

    rows_before = table_rows()
    with pytest.raises(DomainError) as exc:
        services.screen_submission(
            submission=entry, eligible=False, reason="x", by=organizer
        )

    assert exc.value.status == 409
    assert table_rows() == rows_before


def test_screen_submission_allowed_once_the_revision_deadline_passed(entry, organizer):
    set_state(
        entry,
        S.REVISION_REQUESTED,
        revision_deadline=timezone.now() - dt.timedelta(hours=2),
    )

    services.screen_submission(
        submission=entry, eligible=False, reason="Tidak direvisi.", by=organizer
    )

    entry.refresh_from_db()
    assert entry.state == S.INELIGIBLE


def test_request_revision_sends_the_entry_back_with_a_deadline(entry, organizer):
    set_state(entry, S.SUBMITTED)
    deadline = timezone.now() + dt.timedelta(days=2)

    services.request_revision(
        submission=entry, deadline=deadline, note="Unggah SK inovasi.", by=organizer
    )

    entry.refresh_from_db()
    assert entry.state == S.REVISION_REQUESTED
    assert entry.revision_deadline == deadline
    assert entry.revision_note == "Unggah SK inovasi."
    assert _ledger()[-1].data["reason"] == "Unggah SK inovasi."


def test_request_revision_reads_a_naive_deadline_in_the_contests_time_zone(
    entry, organizer
):
    set_state(entry, S.SUBMITTED)
    soon = timezone.now().date() + dt.timedelta(days=20)
    naive = dt.datetime(soon.year, soon.month, soon.day, 17, 0)

    services.request_revision(
        submission=entry, deadline=naive, note="Revisi", by=organizer
    )

    entry.refresh_from_db()
    local = entry.revision_deadline.astimezone(zoneinfo.ZoneInfo("Asia/Makassar"))
    assert (local.hour, local.day) == (17, soon.day)


def test_request_revision_refused_with_a_past_deadline(entry, organizer):
    set_state(entry, S.SUBMITTED)

    with pytest.raises(DomainError) as exc:
        services.request_revision(
            submission=entry,
            deadline=timezone.now() - dt.timedelta(minutes=5),
            note="Revisi",
            by=organizer,
        )

    entry.refresh_from_db()
    assert exc.value.field == "deadline"
    assert entry.state == S.SUBMITTED


def test_request_revision_refused_without_a_note(entry, organizer):
    set_state(entry, S.SUBMITTED)

    with pytest.raises(DomainError) as exc:
        services.request_revision(
            submission=entry,
            deadline=timezone.now() + dt.timedelta(days=1),
            note="",
            by=organizer,
        )

    assert exc.value.field == "note"


def test_request_revision_refused_for_a_draft(entry, organizer, table_rows):
    rows_before = table_rows()
    with pytest.raises(DomainError) as exc:
        services.request_revision(
            submission=entry,
            deadline=timezone.now() + dt.timedelta(days=1),
            note="Revisi",
            by=organizer,
        )

    assert exc.value.status == 409
    assert table_rows() == rows_before


@pytest.mark.parametrize(("state", "target"), sorted(REOPEN_TARGETS.items()))
def test_reopen_submission_takes_the_entry_back_one_step(
    entry, organizer, state, target
):
    set_state(entry, state)

    services.reopen_submission(submission=entry, by=organizer, reason="Salah klik")

    entry.refresh_from_db()
    assert entry.state == target
    assert entry.screening_reason == ""
    assert _ledger()[-1].data == {
        "from": str(state),
        "to": target,
        "reason": "Salah klik",
    }


def test_reopen_submission_refused_for_a_draft(entry, organizer, table_rows):
    rows_before = table_rows()
    with pytest.raises(DomainError) as exc:
        services.reopen_submission(submission=entry, by=organizer)

    assert exc.value.status == 409
    assert table_rows() == rows_before


def test_reopen_to_draft_refused_after_the_window(
    entry, contest, organizer, table_rows
):
    set_state(entry, S.SUBMITTED)
    close_window(contest)

    rows_before = table_rows()
    with pytest.raises(DomainError) as exc:
        services.reopen_submission(submission=entry, by=organizer)

    entry.refresh_from_db()
    assert exc.value.status == 409
    assert table_rows() == rows_before
    assert "revision" in str(exc.value.message)
    assert entry.state == S.SUBMITTED


def test_reopen_withdrawn_refused_when_the_region_is_at_its_limit(
    entry, contest, category, region, organizer, table_rows
):
    set_state(entry, S.WITHDRAWN)
    contest.max_entries_per_region = 1
    contest.save()
    SubmissionFactory(contest=contest, category=category, region=region)

    rows_before = table_rows()
    with pytest.raises(DomainError) as exc:
        services.reopen_submission(submission=entry, by=organizer)

    entry.refresh_from_db()
    assert exc.value.status == 409
    assert table_rows() == rows_before
    assert entry.state == S.WITHDRAWN


def test_reopen_refused_for_a_delegate(entry, delegate):
    set_state(entry, S.SUBMITTED)

    with pytest.raises(DomainError) as exc:
        services.reopen_submission(submission=entry, by=delegate)

    assert exc.value.status == 403


# ---------------------------------------------------------------- the one state change

ALLOWED = sorted((a, b) for a, targets in ALLOWED_TRANSITIONS.items() for b in targets)
REFUSED = sorted(
    (a, b)
    for a, b in itertools.product(S.values, S.values)
    if b not in ALLOWED_TRANSITIONS[a]
)


@pytest.mark.parametrize(("old", "new"), ALLOWED)
def test_set_submission_state_allows_each_listed_transition(entry, organizer, old, new):
    set_state(entry, old)
    if new == S.INELIGIBLE:
        entry.screening_reason = "Alasan"
    if new == S.REVISION_REQUESTED:
        entry.revision_deadline = timezone.now() + dt.timedelta(days=1)

    services.set_submission_state(
        submission=entry, new_state=new, by=organizer, reason="r"
    )

    entry.refresh_from_db()
    assert entry.state == new
    assert _ledger()[-1].data == {"from": old, "to": new, "reason": "r"}


@pytest.mark.parametrize(("old", "new"), REFUSED)
def test_set_submission_state_refuses_each_unlisted_transition(
    entry, organizer, old, new, table_rows
):
    set_state(entry, old)

    rows_before = table_rows()
    with pytest.raises(DomainError) as exc:
        services.set_submission_state(submission=entry, new_state=new, by=organizer)

    entry.refresh_from_db()
    assert exc.value.status == 409
    assert table_rows() == rows_before
    assert entry.state == old
    assert _ledger() == []


# ------------------------------------------------------- links, removal, review


def test_add_evidence_link_attaches_a_link(entry, delegate, contest):
    criterion = CriterionFactory(stage=StageFactory(contest=contest))

    evidence = services.add_evidence_link(
        submission=entry,
        url=" https://youtu.be/saninu ",
        title="Video peluncuran",
        criterion=criterion,
        by=delegate,
    )

    assert evidence.url == "https://youtu.be/saninu"
    assert evidence.criterion == criterion
    assert _ledger("evidence.added")[0].data["url"] == "https://youtu.be/saninu"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(document.cookie)",
        "ftp://example.id/a.pdf",
        "file:///etc/passwd",
    ],
)
def test_add_evidence_link_refuses_other_schemes(entry, delegate, url):
    with pytest.raises(DomainError) as exc:
        services.add_evidence_link(
            submission=entry, url=url, title="Tautan", by=delegate
        )

    assert exc.value.field == "url"
    assert not Evidence.objects.exists()


def test_add_evidence_link_refuses_a_criterion_of_another_contest(entry, delegate):
    foreign = CriterionFactory()

    with pytest.raises(DomainError) as exc:
        services.add_evidence_link(
            submission=entry,
            url="https://a.id",
            title="T",
            criterion=foreign,
            by=delegate,
        )

    assert exc.value.field == "criterion"
    assert not Evidence.objects.exists()


def test_add_evidence_link_refused_outside_the_window(
    entry, contest, delegate, table_rows
):
    close_window(contest)

    rows_before = table_rows()
    with pytest.raises(DomainError) as exc:
        services.add_evidence_link(
            submission=entry, url="https://a.id", title="T", by=delegate
        )

    assert exc.value.status == 409
    assert table_rows() == rows_before
    assert not Evidence.objects.exists()


def test_remove_evidence_deletes_it_and_its_file(
    evidence, delegate, django_capture_on_commit_callbacks
):
    storage, name = evidence.file.storage, evidence.file.name

    with django_capture_on_commit_callbacks(execute=True):
        services.remove_evidence(evidence=evidence, by=delegate)

    assert not Evidence.objects.exists()
    assert not storage.exists(name)
    assert _ledger("evidence.removed")[0].data["title"] == evidence.title


def test_remove_evidence_refused_outside_the_window(
    evidence, contest, delegate, table_rows
):
    close_window(contest)

    rows_before = table_rows()
    with pytest.raises(DomainError) as exc:
        services.remove_evidence(evidence=evidence, by=delegate)

    assert exc.value.status == 409
    assert table_rows() == rows_before
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    assert evidence.file.storage.exists(evidence.file.name)


def test_remove_evidence_allowed_during_revision_before_the_deadline(
    entry, evidence, contest, delegate
):
    set_state(entry, S.REVISION_REQUESTED)
    close_window(contest)

    services.remove_evidence(evidence=evidence, by=delegate)

    assert not Evidence.objects.exists()


def test_review_evidence_records_status_and_note(entry, evidence, organizer):
    set_state(entry, S.SUBMITTED)

    services.review_evidence(
        evidence=evidence,
        status=ReviewStatus.INVALID,
        note="Bukan dokumen resmi.",
        by=organizer,
    )

    evidence.refresh_from_db()
    assert evidence.review_status == ReviewStatus.INVALID
    assert evidence.review_note == "Bukan dokumen resmi."
    assert evidence.reviewed_by == organizer
    assert _ledger("evidence.reviewed")[0].data["to"] == "invalid"


@pytest.mark.parametrize("status", [ReviewStatus.INVALID, ReviewStatus.NEEDS_REVISION])
def test_review_evidence_refused_without_a_note(entry, evidence, organizer, status):
    set_state(entry, S.SUBMITTED)

    with pytest.raises(DomainError) as exc:
        services.review_evidence(
            evidence=evidence, status=status, note="", by=organizer
        )

    evidence.refresh_from_db()
    assert exc.value.field == "note"
    assert evidence.review_status == ReviewStatus.PENDING


def test_review_evidence_refused_for_a_draft(evidence, organizer, table_rows):
    rows_before = table_rows()
    with pytest.raises(DomainError) as exc:
        services.review_evidence(
            evidence=evidence, status=ReviewStatus.VALID, by=organizer
        )

    assert exc.value.status == 409
    assert table_rows() == rows_before


def test_review_evidence_refused_for_a_delegate(entry, evidence, delegate):
    set_state(entry, S.SUBMITTED)

    with pytest.raises(DomainError) as exc:
        services.review_evidence(
            evidence=evidence, status=ReviewStatus.VALID, by=delegate
        )

    assert exc.value.status == 403


def test_evidence_factory_stores_a_generated_name(evidence):
    assert evidence.file.name.startswith(
        f"evidence/{evidence.submission.contest_id}/{evidence.submission_id}/"
    )
    assert EvidenceFactory._meta.model is Evidence
