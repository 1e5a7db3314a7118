"""Fixtures for the entries' tests: a contest with a delegate, another region's
delegate, a category and entries; the roles every page and endpoint is tried with."""

import datetime as dt

import pytest
from django.utils import timezone

ROLES = [
    "anonymous",
    "delegate",
    "other_delegate",
    "other_organizer",
    "organizer",
    "superuser",
]


@pytest.fixture(autouse=True)
def _english(settings):
    """Messages are asserted in English, their source text (the UI default: id)."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def category(contest):
    from tests.factories.contest import CategoryFactory

    return CategoryFactory(
        contest=contest, name="Pelayanan Publik", slug="pelayanan-publik"
    )


@pytest.fixture
def region(contest, delegate):
    return contest.delegates.get(user=delegate).region


@pytest.fixture
def other_delegate(contest):
    """A delegate of another region in the same contest."""
    from tests.factories.contest import DelegateFactory

    return DelegateFactory(contest=contest).user


@pytest.fixture
def other_region(contest, other_delegate):
    return contest.delegates.get(user=other_delegate).region


@pytest.fixture
def entry(contest, category, region, delegate):
    """A complete draft of the delegate's region, without evidence."""
    from tests.factories.submissions import SubmissionFactory

    return SubmissionFactory(
        contest=contest, category=category, region=region, created_by=delegate
    )


@pytest.fixture
def other_entry(contest, category, other_region, other_delegate):
    """A draft of the other region, with one PDF."""
    from tests.factories.submissions import EvidenceFactory, SubmissionFactory

    submission = SubmissionFactory(
        contest=contest,
        category=category,
        region=other_region,
        created_by=other_delegate,
        title="Rahasia Daerah Lain",
    )
    EvidenceFactory(submission=submission, title="Dokumen daerah lain")
    return submission


@pytest.fixture
def evidence(entry):
    from tests.factories.submissions import EvidenceFactory

    return EvidenceFactory(submission=entry, title="Laporan tahunan")


def close_window(contest):
    """Move the contest's submission window into the past."""
    now = timezone.now()
    contest.submission_opens = now - dt.timedelta(days=30)
    contest.submission_closes = now - dt.timedelta(days=1)
    contest.save(update_fields=["submission_opens", "submission_closes"])


def set_state(submission, state, **fields):
    """Put an entry in a state directly (to arrange a test, not via the workflow)."""
    from submissions.enums import SubmissionState

    if state == SubmissionState.INELIGIBLE:
        fields.setdefault("screening_reason", "Berkas tidak lengkap.")
    if state == SubmissionState.REVISION_REQUESTED:
        fields.setdefault("revision_deadline", timezone.now() + dt.timedelta(days=3))
        fields.setdefault("revision_note", "Lengkapi data dukung.")
    if state != SubmissionState.DRAFT:
        fields.setdefault("submitted_at", timezone.now())
    for name, value in fields.items():
        setattr(submission, name, value)
    submission.state = state
    submission.save()
    return submission
