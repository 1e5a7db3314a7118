"""An organizer's message to a group of the contest's people: who is in each
group (read with a fixed number of queries), the preview, the sending through
the outbox (one mail per address, the same text, the mail frame in each
recipient's language), the log with each mail's state, the ledger, and the
refusals (a frozen contest, a group changed since the preview, a stranger)."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from common.errors import DomainError
from contest.models import AuditEntry
from judging.selectors.messages import Audience, MessageGroup, message_recipients
from judging.services.messages import audience_of, preview_message, send_message
from notifications.enums import NotificationState
from notifications.models import Message, Notification
from submissions.enums import SubmissionState
from tests.factories.accounts import UserFactory
from tests.factories.contest import (
    CategoryFactory,
    DelegateFactory,
    RegionFactory,
    StageFactory,
)
from tests.factories.judging import (
    AssignmentFactory,
    DeclaredConflictFactory,
    JudgeFactory,
    OpenStageFactory,
    SubmittedSheetFactory,
)
from tests.factories.submissions import SubmissionFactory
from tests.notifications.mailbox import SITE

pytestmark = [pytest.mark.django_db]

BODY = (
    "Batas pengajuan tinggal tiga hari.\n\n"
    "Panduan: https://example.go.id/panduan & <b>FAQ</b>"
)


@pytest.fixture
def english(settings):
    """The pages in English (their Indonesian is the integrator's catalog)."""
    settings.LANGUAGE_CODE = "en"


def _delegate(contest, email, *, state=None, category=None, language="id"):
    """A delegate of a new region, with an entry in `state` when given."""
    user = UserFactory(email=email, language=language)
    region = RegionFactory()
    DelegateFactory(contest=contest, user=user, region=region)
    if state is not None:
        extra = {"category": category} if category is not None else {}
        if state == SubmissionState.REVISION_REQUESTED:
            extra["revision_deadline"] = timezone.now() + dt.timedelta(days=3)
        SubmissionFactory(contest=contest, region=region, state=state, **extra)
    return user


def _emails(audience):
    return list(message_recipients(audience).values_list("email", flat=True))


def _send(audience, organizer, **overrides):
    values = {
        "audience": audience,
        "subject": "Pengingat pengajuan",
        "body": BODY,
        "by": organizer,
        "expected_count": None,
    }
    values.update(overrides)
    return send_message(**values)


# ---------------------------------------------------------------- the groups


def test_drafts_are_the_delegates_of_regions_with_unsubmitted_entries(contest):
    _delegate(contest, "a@draft.id", state=SubmissionState.DRAFT)
    _delegate(contest, "b@revise.id", state=SubmissionState.REVISION_REQUESTED)
    _delegate(contest, "c@done.id", state=SubmissionState.SUBMITTED)
    _delegate(contest, "d@none.id")

    emails = _emails(Audience(contest=contest, group=MessageGroup.DRAFTS))

    assert emails == ["a@draft.id", "b@revise.id"]


def test_drafts_of_one_category(contest):
    water, roads = CategoryFactory(contest=contest), CategoryFactory(contest=contest)
    _delegate(contest, "a@water.id", state=SubmissionState.DRAFT, category=water)
    _delegate(contest, "b@roads.id", state=SubmissionState.DRAFT, category=roads)

    audience = Audience(contest=contest, group=MessageGroup.DRAFTS, category=water)

    assert _emails(audience) == ["a@water.id"]


def test_every_delegate_of_a_region_gets_it_and_an_inactive_account_does_not(
    contest,
):
    user = _delegate(contest, "a@draft.id", state=SubmissionState.DRAFT)
    region = contest.delegates.get(user=user).region
    DelegateFactory(contest=contest, region=region, user__email="b@draft.id")
    DelegateFactory(
        contest=contest,
        region=region,
        user=UserFactory(email="c@draft.id", is_active=False),
    )

    emails = _emails(Audience(contest=contest, group=MessageGroup.DRAFTS))

    assert emails == ["a@draft.id", "b@draft.id"]


def test_judges_behind_have_an_unsubmitted_sheet_in_the_stage(contest):
    stage = OpenStageFactory(contest=contest)
    late = AssignmentFactory(stage=stage, judge__user__email="late@juri.id")
    done = AssignmentFactory(stage=stage, judge__user__email="done@juri.id")
    SubmittedSheetFactory(assignment=done)
    other_stage = AssignmentFactory(
        stage=OpenStageFactory(contest=contest), judge__user__email="other@juri.id"
    )
    conflicted = AssignmentFactory(stage=stage, judge__user__email="konflik@juri.id")
    DeclaredConflictFactory(judge=conflicted.judge, submission=conflicted.submission)

    audience = Audience(contest=contest, group=MessageGroup.JUDGES_BEHIND, stage=stage)

    assert _emails(audience) == ["late@juri.id"]
    assert late.judge.user.email != other_stage.judge.user.email


def test_judges_behind_of_one_category(contest):
    stage = OpenStageFactory(contest=contest)
    water = CategoryFactory(contest=contest)
    AssignmentFactory(
        stage=stage, judge__user__email="a@juri.id", submission__category=water
    )
    AssignmentFactory(stage=stage, judge__user__email="b@juri.id")

    audience = Audience(
        contest=contest, group=MessageGroup.JUDGES_BEHIND, stage=stage, category=water
    )

    assert _emails(audience) == ["a@juri.id"]


def test_participants_are_delegates_with_entries_and_the_judges(contest):
    water, roads = CategoryFactory(contest=contest), CategoryFactory(contest=contest)
    _delegate(contest, "a@water.id", state=SubmissionState.SUBMITTED, category=water)
    _delegate(contest, "b@roads.id", state=SubmissionState.DRAFT, category=roads)
    _delegate(contest, "c@withdrawn.id", state=SubmissionState.WITHDRAWN)
    _delegate(contest, "d@none.id")
    JudgeFactory(contest=contest, user__email="e@every.id")
    JudgeFactory(contest=contest, user__email="f@water.id", panels=[water])
    JudgeFactory(contest=contest, user__email="g@roads.id", panels=[roads])

    everyone = Audience(contest=contest, group=MessageGroup.PARTICIPANTS)
    of_water = Audience(
        contest=contest, group=MessageGroup.PARTICIPANTS, category=water
    )

    assert _emails(everyone) == [
        "a@water.id",
        "b@roads.id",
        "e@every.id",
        "f@water.id",
        "g@roads.id",
    ]
    assert _emails(of_water) == ["a@water.id", "e@every.id", "f@water.id"]


@pytest.mark.parametrize("size", [1, 3])
def test_the_recipients_are_read_in_one_query_whatever_their_number(
    contest, size, django_assert_num_queries
):
    stage = OpenStageFactory(contest=contest)
    for n in range(size):
        _delegate(contest, f"d{n}@draft.id", state=SubmissionState.DRAFT)
        AssignmentFactory(stage=stage)
    audiences = [
        Audience(contest=contest, group=MessageGroup.DRAFTS),
        Audience(contest=contest, group=MessageGroup.JUDGES_BEHIND, stage=stage),
        Audience(contest=contest, group=MessageGroup.PARTICIPANTS),
    ]

    with django_assert_num_queries(3):
        found = [list(message_recipients(audience)) for audience in audiences]

    assert [len(people) for people in found] == [size, size, 2 * size]


# ---------------------------------------------------------------- the group's checks


def test_judges_behind_need_an_open_scoring_stage(contest):
    closed = StageFactory(
        contest=contest,
        opens=timezone.now() - dt.timedelta(days=9),
        closes=timezone.now() - dt.timedelta(days=2),
    )

    with pytest.raises(DomainError) as missing:
        audience_of(
            contest=contest,
            group=MessageGroup.JUDGES_BEHIND,
            stage_id=None,
            category_id=None,
        )
    with pytest.raises(DomainError) as not_open:
        audience_of(
            contest=contest,
            group=MessageGroup.JUDGES_BEHIND,
            stage_id=closed.pk,
            category_id=None,
        )

    assert missing.value.field == "stage"
    assert not_open.value.field == "stage"


def test_a_category_of_another_contest_is_refused(contest):
    stranger = CategoryFactory()

    with pytest.raises(DomainError) as refused:
        audience_of(
            contest=contest,
            group=MessageGroup.DRAFTS,
            stage_id=None,
            category_id=stranger.pk,
        )

    assert refused.value.field == "category"


# ---------------------------------------------------------------- sending


def test_preview_counts_and_shows_the_first_addresses(contest, organizer):
    for n in range(7):
        _delegate(contest, f"d{n}@draft.id", state=SubmissionState.DRAFT)

    preview = preview_message(
        audience=Audience(contest=contest, group=MessageGroup.DRAFTS), by=organizer
    )

    assert preview.count == 7
    assert preview.first == [f"d{n}@draft.id" for n in range(5)]
    assert not Notification.objects.exists()


def test_a_message_goes_to_each_address_through_the_outbox(
    contest, organizer, django_capture_on_commit_callbacks
):
    _delegate(contest, "a@draft.id", state=SubmissionState.DRAFT)
    _delegate(contest, "b@draft.id", state=SubmissionState.DRAFT, language="en")
    audience = Audience(contest=contest, group=MessageGroup.DRAFTS)

    with django_capture_on_commit_callbacks(execute=True):
        message = _send(audience, organizer, expected_count=2)

    by_address = {m.to[0]: m for m in mail.outbox}
    assert sorted(by_address) == ["a@draft.id", "b@draft.id"]
    for sent in mail.outbox:
        assert sent.subject == "Pengingat pengajuan"
        assert sent.body.startswith(BODY)
    indonesian, english = by_address["a@draft.id"], by_address["b@draft.id"]
    (id_html, _kind), *_rest = indonesian.alternatives
    assert "Pesan ini dikirim ke a@draft.id oleh Inovasi Award." in id_html
    assert f"A message from the organizers of {contest.name}." in english.body
    assert f"{SITE}/contests/{contest.slug}/" in english.body
    (html, _kind), *_rest = english.alternatives
    assert "&amp; &lt;b&gt;FAQ&lt;/b&gt;" in html
    assert '<a href="https://example.go.id/panduan"' in html
    assert "This message was sent to b@draft.id by Inovasi Award." in html
    rows = Notification.objects.filter(message=message)
    assert rows.count() == 2
    assert set(rows.values_list("event", "state", "contest_id")) == {
        ("message", NotificationState.SENT, contest.pk)
    }
    assert (message.recipient_count, message.sent_by) == (2, organizer)
    assert message.group_label == str(MessageGroup.DRAFTS.label)


def test_sending_is_recorded_in_the_ledger(contest, organizer):
    _delegate(contest, "a@draft.id", state=SubmissionState.DRAFT)
    water = CategoryFactory(contest=contest)
    SubmissionFactory(
        contest=contest,
        region=contest.delegates.get().region,
        category=water,
        state=SubmissionState.DRAFT,
    )

    message = _send(
        Audience(contest=contest, group=MessageGroup.DRAFTS, category=water),
        organizer,
    )

    entry = AuditEntry.objects.get(action="message.sent")
    assert entry.actor == organizer
    assert entry.contest == contest
    assert entry.data == {
        "message": message.pk,
        "group": "drafts",
        "stage": None,
        "category": water.pk,
        "recipients": 1,
        "subject": "Pengingat pengajuan",
    }


def test_a_group_changed_since_the_preview_is_refused(contest, organizer):
    _delegate(contest, "a@draft.id", state=SubmissionState.DRAFT)
    audience = Audience(contest=contest, group=MessageGroup.DRAFTS)
    _delegate(contest, "b@draft.id", state=SubmissionState.DRAFT)

    with pytest.raises(DomainError) as refused:
        _send(audience, organizer, expected_count=1)

    assert refused.value.status == 409
    assert "2" in str(refused.value.message)
    assert not Message.objects.exists()
    assert not Notification.objects.exists()


def test_an_empty_group_is_refused(contest, organizer):
    with pytest.raises(DomainError) as refused:
        _send(Audience(contest=contest, group=MessageGroup.DRAFTS), organizer)

    assert refused.value.status == 409
    assert not Message.objects.exists()


@pytest.mark.parametrize(
    ("field", "values"),
    [("subject", {"subject": "  "}), ("body", {"body": "x" * 5001})],
)
def test_the_text_is_checked(contest, organizer, field, values):
    _delegate(contest, "a@draft.id", state=SubmissionState.DRAFT)

    with pytest.raises(DomainError) as refused:
        _send(Audience(contest=contest, group=MessageGroup.DRAFTS), organizer, **values)

    assert refused.value.field == field
    assert not Message.objects.exists()


def test_a_frozen_contest_sends_no_message(contest, organizer):
    _delegate(contest, "a@draft.id", state=SubmissionState.DRAFT)
    contest.frozen_at = timezone.now()
    contest.save(update_fields=["frozen_at"])
    audience = Audience(contest=contest, group=MessageGroup.DRAFTS)

    with pytest.raises(DomainError) as refused:
        _send(audience, organizer)
    with pytest.raises(DomainError) as preview_refused:
        preview_message(audience=audience, by=organizer)

    assert refused.value.status == preview_refused.value.status == 409
    assert not Message.objects.exists()
    assert not AuditEntry.objects.filter(action="message.sent").exists()


@pytest.mark.parametrize("who", ["delegate", "other_organizer"])
def test_only_the_organizers_send(contest, request, who):
    _delegate(contest, "a@draft.id", state=SubmissionState.DRAFT)

    with pytest.raises(DomainError) as refused:
        _send(
            Audience(contest=contest, group=MessageGroup.DRAFTS),
            request.getfixturevalue(who),
        )

    assert refused.value.status == 403
    assert not Message.objects.exists()


# ---------------------------------------------------------------- the page


def _url(contest, name="judging:messages", **kwargs):
    return reverse(name, kwargs={"slug": contest.slug, **kwargs})


def _form(**values):
    data = {
        "group": "drafts",
        "stage": "",
        "category": "",
        "subject": "Pengingat pengajuan",
        "body": BODY,
    }
    data.update(values)
    return data


def _hidden(content: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', content)
    return match.group(1) if match else ""


def test_the_page_previews_then_sends_what_was_previewed(
    client, contest, organizer, english, django_capture_on_commit_callbacks
):
    for n in range(3):
        _delegate(contest, f"d{n}@draft.id", state=SubmissionState.DRAFT)
    client.force_login(organizer)

    preview = client.post(_url(contest), _form(step="preview"))
    page = preview.content.decode()
    fingerprint = _hidden(page, "previewed")
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(
            _url(contest),
            _form(step="send", previewed=fingerprint, expected_count="3"),
        )

    assert preview.status_code == 200
    assert "d0@draft.id, d1@draft.id, d2@draft.id" in page
    assert "Send to 3 people" in page
    assert _hidden(page, "expected_count") == "3"
    assert "Pengingat pengajuan" in page
    message = Message.objects.get()
    assert sent.status_code == 302
    assert sent["Location"] == _url(contest, "judging:message-detail", pk=message.pk)
    assert len(mail.outbox) == 3


def test_a_changed_text_is_previewed_again_not_sent(client, contest, organizer):
    _delegate(contest, "a@draft.id", state=SubmissionState.DRAFT)
    client.force_login(organizer)
    preview = client.post(_url(contest), _form(step="preview"))
    fingerprint = _hidden(preview.content.decode(), "previewed")

    again = client.post(
        _url(contest),
        _form(step="send", previewed=fingerprint, body="Teks yang lain."),
    )

    assert again.status_code == 200
    assert "Teks yang lain." in again.content.decode()
    assert not Message.objects.exists()


def test_the_page_keeps_the_text_on_an_error(client, contest, organizer, english):
    client.force_login(organizer)

    response = client.post(
        _url(contest), _form(step="preview", group="judges_behind", subject="Halo")
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose the scoring stage whose judges are behind." in page
    assert 'value="Halo"' in page
    assert "Batas pengajuan tinggal tiga hari." in page
    assert not Message.objects.exists()


def test_the_log_lists_each_message_and_its_recipients_states(
    client, contest, organizer, english
):
    _delegate(contest, "a@draft.id", state=SubmissionState.DRAFT)
    _delegate(contest, "b@draft.id", state=SubmissionState.DRAFT)
    message = _send(Audience(contest=contest, group=MessageGroup.DRAFTS), organizer)
    message.notifications.filter(email="b@draft.id").update(
        state=NotificationState.FAILED, last_error="SMTPRecipientsRefused"
    )
    client.force_login(organizer)

    log = client.get(_url(contest)).content.decode()
    detail = client.get(_url(contest, "judging:message-detail", pk=message.pk))

    assert "Pengingat pengajuan" in log
    assert organizer.email in log
    assert "1 failed" in log
    page = detail.content.decode()
    assert detail.status_code == 200
    assert "a@draft.id" in page
    assert "SMTPRecipientsRefused" in page
    assert "?event=message&amp;state=failed" in page


def test_another_contests_message_is_not_found(client, contest, organizer):
    other = Message.objects.create(
        contest_id=contest.pk + 1000,
        group="drafts",
        group_label="x",
        subject="x",
        body="x",
    )
    client.force_login(organizer)

    response = client.get(_url(contest, "judging:message-detail", pk=other.pk))

    assert response.status_code == 404


def test_the_organizers_tabs_link_the_messages(client, contest, organizer):
    client.force_login(organizer)

    page = client.get(reverse("contest:setup", kwargs={"slug": contest.slug}))

    assert _url(contest) in page.content.decode()
    assert _url(contest, "judging:templates") in page.content.decode()
