"""What a region's delegates hear about their entry: the receipt when it is
submitted (with a receipt number that names its ledger entry), a request for
revision with its deadline, and the screening decision. Each goes to every
delegate of the region in the contest, once, in their own language, with links
to SITE_URL and times in the contest's zone (WITA here)."""

import datetime as dt
import zoneinfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from common.errors import DomainError
from contest.models import AuditEntry
from notifications.models import Notification
from submissions import services
from submissions.enums import SubmissionState
from tests.factories.accounts import UserFactory
from tests.factories.contest import DelegateFactory, RegionFactory
from tests.factories.submissions import EvidenceFactory, SubmissionFactory
from tests.notifications.mailbox import SITE, hosts, html_of

pytestmark = [pytest.mark.django_db]

WITA = zoneinfo.ZoneInfo("Asia/Makassar")
MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July",
           "August", "September", "October", "November", "December"],
    "id": ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli",
           "Agustus", "September", "Oktober", "November", "Desember"],
}  # fmt: skip


def in_wita(value: dt.datetime, language: str) -> str:
    """`value` as the mails write it: "5 March 2099, 16:00 WITA" in English,
    "5 Maret 2099, 16.00 WITA" in Indonesian."""
    local = value.astimezone(WITA)
    month = MONTHS[language][local.month - 1]
    clock = f"{local:%H:%M}" if language == "en" else f"{local:%H.%M}"
    return f"{local.day} {month} {local.year}, {clock} WITA"


@pytest.fixture
def bima():
    return RegionFactory(code="52.72", name="Kota Bima")


@pytest.fixture
def english(contest, bima):
    user = UserFactory(email="operator@bimakota.go.id", name="Rina", language="en")
    return DelegateFactory(contest=contest, region=bima, user=user).user


@pytest.fixture
def indonesian(contest, bima):
    user = UserFactory(email="kominfo@bimakota.go.id", name="Budi", language="id")
    return DelegateFactory(contest=contest, region=bima, user=user).user


@pytest.fixture
def stranger(contest):
    """A delegate of another region, who hears nothing of Bima's entries."""
    return DelegateFactory(contest=contest).user


@pytest.fixture
def entry(contest, bima, english, indonesian, stranger):
    submission = SubmissionFactory(
        contest=contest, region=bima, title="Saninu <E-Lapor>", created_by=english
    )
    EvidenceFactory(submission=submission)
    return submission


def submitted(entry):
    entry.state = SubmissionState.SUBMITTED
    entry.submitted_at = timezone.now()
    entry.save()
    return entry


def by_address():
    return {message.to[0]: message for message in mail.outbox}


# ---------------------------------------------------------------- received


def test_submitting_sends_the_receipt_to_each_delegate_of_the_region(
    contest, entry, english, indonesian, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_submission(submission=entry, by=english)

    entry.refresh_from_db()
    messages = by_address()
    assert sorted(messages) == sorted([english.email, indonesian.email])
    en, idn = messages[english.email], messages[indonesian.email]
    assert en.subject == "Entry received: Saninu <E-Lapor>"
    assert idn.subject == "Entri diterima: Saninu <E-Lapor>"
    assert "Hello Rina," in en.body
    assert f"Contest: {contest.name}" in en.body
    assert f"Submitted on: {in_wita(entry.submitted_at, 'en')}" in en.body
    assert f"Receipt number: {entry.receipt_number}" in en.body
    assert "screen the entry administratively" in en.body
    assert "goes on to judging" in en.body
    assert f"Diajukan pada: {in_wita(entry.submitted_at, 'id')}" in idn.body
    assert f"Nomor tanda terima: {entry.receipt_number}" in idn.body
    page = reverse("submissions:detail", kwargs={"slug": contest.slug, "pk": entry.pk})
    assert f"{SITE}{page}" in en.body
    assert f'href="{SITE}{page}"' in html_of(idn)
    assert "Saninu &lt;E-Lapor&gt;" in html_of(en)
    for message in (en, idn):
        assert hosts(message.body) == {"inovasi.example.go.id"}
        assert hosts(html_of(message)) == {"inovasi.example.go.id"}
    assert {row.language for row in Notification.objects.all()} == {"en", "id"}


def test_the_receipt_number_names_the_ledger_entry_of_the_submission(
    contest, entry, english, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_submission(submission=entry, by=english)

    entry.refresh_from_db()
    contest_pk, entry_pk, seq, digits = entry.receipt_number.split("-")
    ledger_entry = AuditEntry.objects.get(seq=int(seq))
    assert (int(contest_pk), int(entry_pk)) == (contest.pk, entry.pk)
    assert ledger_entry.object_id == str(entry.pk)
    assert ledger_entry.action == "submission.state_changed"
    assert ledger_entry.data["to"] == SubmissionState.SUBMITTED
    assert ledger_entry.hash.upper().startswith(digits)
    assert len(digits) == 8


def receipt_of(entry) -> str:
    entry.refresh_from_db(fields=["receipt_number"])
    return entry.receipt_number


def test_a_resubmission_gets_a_new_receipt(
    entry, english, indonesian, organizer, django_capture_on_commit_callbacks
):
    services.submit_submission(submission=entry, by=english)
    first = receipt_of(entry)
    services.request_revision(
        submission=entry,
        deadline=timezone.now() + dt.timedelta(days=5),
        note="Lengkapi data dukung.",
        by=organizer,
    )

    with django_capture_on_commit_callbacks(execute=True):
        services.submit_submission(submission=entry, by=english)

    second = receipt_of(entry)
    assert second not in ("", first)
    messages = by_address()
    assert messages[english.email].subject == (
        "Revised entry received: Saninu <E-Lapor>"
    )
    assert messages[indonesian.email].subject == (
        "Entri hasil revisi diterima: Saninu <E-Lapor>"
    )
    assert f"Receipt number: {second}" in messages[english.email].body


def test_submitting_on_the_page_sends_the_receipt(
    client, contest, entry, english, indonesian, django_capture_on_commit_callbacks
):
    client.force_login(indonesian)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("submissions:submit", kwargs={"slug": contest.slug, "pk": entry.pk})
        )

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.receipt_number
    assert sorted(by_address()) == sorted([english.email, indonesian.email])
    assert entry.receipt_number in by_address()[english.email].body


def test_submitting_through_the_api_sends_the_receipt(
    api, contest, entry, english, indonesian, django_capture_on_commit_callbacks
):
    api.force_authenticate(english)

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            f"/api/v1/contests/{contest.slug}/submissions/{entry.pk}/submit/"
        )

    assert response.status_code == 200
    assert response.json()["state"] == SubmissionState.SUBMITTED
    entry.refresh_from_db()
    assert sorted(by_address()) == sorted([english.email, indonesian.email])
    assert entry.receipt_number in by_address()[indonesian.email].body


def test_a_refused_submission_sends_nothing(
    contest, bima, english, django_capture_on_commit_callbacks
):
    bare = SubmissionFactory(contest=contest, region=bima)  # no evidence

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(DomainError),
    ):
        services.submit_submission(submission=bare, by=english)

    assert mail.outbox == []
    assert Notification.objects.count() == 0
    bare.refresh_from_db()
    assert bare.receipt_number == ""


# ---------------------------------------------------------------- revision


@pytest.fixture
def deadline():
    """Ten days ahead at 08:00 UTC: 16:00 WITA."""
    day = timezone.now() + dt.timedelta(days=10)
    return day.astimezone(dt.UTC).replace(hour=8, minute=0, second=0, microsecond=0)


def test_a_revision_request_gives_the_notes_and_the_deadline_in_the_contests_zone(
    contest,
    entry,
    english,
    indonesian,
    organizer,
    deadline,
    django_capture_on_commit_callbacks,
):
    submitted(entry)

    with django_capture_on_commit_callbacks(execute=True):
        services.request_revision(
            submission=entry,
            deadline=deadline,
            note="Lampirkan SK Wali Kota tentang Saninu.",
            by=organizer,
        )

    messages = by_address()
    assert sorted(messages) == sorted([english.email, indonesian.email])
    en, idn = messages[english.email], messages[indonesian.email]
    assert en.subject == "Revision requested: Saninu <E-Lapor>"
    assert idn.subject == "Permintaan revisi: Saninu <E-Lapor>"
    assert "Lampirkan SK Wali Kota tentang Saninu." in en.body
    assert "16:00 WITA" in in_wita(deadline, "en")
    assert f"Submit the revised entry by {in_wita(deadline, 'en')}." in en.body
    assert in_wita(deadline, "id") in idn.body
    assert "Hal yang perlu direvisi:" in idn.body
    page = reverse("submissions:detail", kwargs={"slug": contest.slug, "pk": entry.pk})
    assert f"{SITE}{page}" in en.body
    assert hosts(en.body) == hosts(html_of(idn)) == {"inovasi.example.go.id"}


def test_a_refused_revision_request_sends_nothing(
    entry, organizer, django_capture_on_commit_callbacks
):
    submitted(entry)

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(DomainError),
    ):
        services.request_revision(
            submission=entry,
            deadline=timezone.now() + dt.timedelta(days=3),
            note="",
            by=organizer,
        )

    assert mail.outbox == []


# ---------------------------------------------------------------- screening


def test_an_eligible_decision_says_judging_comes_next(
    contest, entry, english, indonesian, organizer, django_capture_on_commit_callbacks
):
    submitted(entry)

    with django_capture_on_commit_callbacks(execute=True):
        services.screen_submission(submission=entry, eligible=True, by=organizer)

    messages = by_address()
    assert sorted(messages) == sorted([english.email, indonesian.email])
    en, idn = messages[english.email], messages[indonesian.email]
    assert en.subject == "Screening result: Saninu <E-Lapor> is eligible"
    assert idn.subject == (
        "Hasil seleksi administrasi: Saninu <E-Lapor> memenuhi syarat"
    )
    assert "passed the administrative screening: it is eligible." in en.body
    assert "the entry goes on to judging" in en.body
    assert "Reason" not in en.body
    assert hosts(en.body) == hosts(html_of(en)) == {"inovasi.example.go.id"}


def test_an_ineligible_decision_on_the_page_gives_the_reason(
    client, contest, entry, english, indonesian, organizer,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    submitted(entry)
    client.force_login(organizer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse(
                "submissions:screen", kwargs={"slug": contest.slug, "pk": entry.pk}
            ),
            {
                "screen-decision": "ineligible",
                "screen-reason": "Belum berjalan 2 tahun.",
            },
        )

    assert response.status_code == 302
    messages = by_address()
    en, idn = messages[english.email], messages[indonesian.email]
    assert en.subject == "Screening result: Saninu <E-Lapor> is not eligible"
    assert idn.subject == (
        "Hasil seleksi administrasi: Saninu <E-Lapor> tidak memenuhi syarat"
    )
    assert "Reason: Belum berjalan 2 tahun." in en.body
    assert "Alasan: Belum berjalan 2 tahun." in idn.body
    assert "does not go on to judging" in en.body
    page = reverse("submissions:detail", kwargs={"slug": contest.slug, "pk": entry.pk})
    assert f'href="{SITE}{page}"' in html_of(en)


def test_screening_through_the_api_tells_the_delegates(
    api, contest, entry, english, indonesian, organizer,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    submitted(entry)
    api.force_authenticate(organizer)

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            f"/api/v1/contests/{contest.slug}/submissions/{entry.pk}/screen/",
            {"eligible": True, "reason": "Lengkap."},
            format="json",
        )

    assert response.status_code == 200
    assert sorted(by_address()) == sorted([english.email, indonesian.email])
    assert "The organizers' notes: Lengkap." in by_address()[english.email].body


def test_the_api_shows_the_receipt_number_to_the_delegates(
    api, contest, entry, english, django_capture_on_commit_callbacks
):
    api.force_authenticate(english)
    path = f"/api/v1/contests/{contest.slug}/submissions/{entry.pk}/"
    before = api.get(path).json()["receipt_number"]

    with django_capture_on_commit_callbacks(execute=True):
        api.post(f"{path}submit/")

    entry.refresh_from_db()
    assert before == ""
    assert api.get(path).json()["receipt_number"] == entry.receipt_number != ""
