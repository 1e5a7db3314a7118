"""A frozen contest (its final results published) takes no write to its entries or
their evidence, on any path: the services, the API and the pages.

`WRITERS` lists every public write function of `submissions.services` (and the two
private ones the demo loader calls) with a call that succeeds on an open contest;
`NOT_WRITERS` lists the other public functions with the reason they may run. A test
checks that the two lists cover every module of the package, so a new service must
be placed in one.
"""

import datetime as dt
import importlib
import inspect
import pkgutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from common.errors import DomainError
from contest.models import AuditEntry, Contest
from submissions import services
from submissions.enums import EvidenceKind, ReviewStatus, SubmissionState
from submissions.models import Evidence, Submission
from submissions.rules import allows
from tests.factories.contest import CategoryFactory
from tests.factories.submissions import EvidenceFactory, SubmissionFactory
from tests.submissions import samples
from tests.submissions.conftest import set_state

pytestmark = [pytest.mark.django_db]

S = SubmissionState
FROZEN = "The results are published; this contest no longer changes."


def _pdf(name="laporan.pdf"):
    return SimpleUploadedFile(name, samples.pdf(), content_type="application/pdf")


@pytest.fixture
def world(contest, category, region, delegate, organizer, entry, evidence):
    """A contest with a draft (with evidence), a submitted and an eligible entry of the
    delegate's region, and a second category (the first one is at its limit)."""
    submitted = SubmissionFactory(
        contest=contest, category=category, region=region, title="Sudah Dikirim"
    )
    submitted_evidence = EvidenceFactory(submission=submitted, title="Bukti kirim")
    set_state(submitted, S.SUBMITTED)
    eligible = SubmissionFactory(
        contest=contest, category=category, region=region, title="Sudah Lolos"
    )
    EvidenceFactory(submission=eligible, title="Bukti lolos")
    set_state(eligible, S.ELIGIBLE, screening_reason="Lengkap.")
    earlier = SubmissionFactory(region=region, title="Edisi Lalu")
    submitted.previous_entry = earlier
    submitted.previous_entry_state = "claimed"
    submitted.save()
    question, file_question = _entry_form(contest, entry)
    return SimpleNamespace(
        contest=contest,
        question=question,
        file_question=file_question,
        earlier=earlier,
        category=category,
        other_category=CategoryFactory(contest=contest, name="Ekonomi", slug="ekonomi"),
        delegate=delegate,
        organizer=organizer,
        draft=entry,
        draft_evidence=evidence,
        submitted=submitted,
        submitted_evidence=submitted_evidence,
        eligible=eligible,
        indicator=_indicator(contest),
    )


def _entry_form(contest, draft):
    """A text question and a file question, the latter answered by the draft."""
    from django.core.files.base import ContentFile

    from contest.enums import QuestionKind
    from tests.factories.entry_forms import AnswerFactory, EntryQuestionFactory

    question = EntryQuestionFactory(contest=contest)
    file_question = EntryQuestionFactory(contest=contest, kind=QuestionKind.FILE)
    AnswerFactory(
        submission=draft,
        question=file_question,
        value=None,
        file=ContentFile(samples.pdf(), name="sk.pdf"),
        original_name="sk.pdf",
    )
    return question, file_question


# name -> a call that succeeds on the world above while the contest is open.
def _indicator(contest):
    """An indicator of an indicator stage that opens after the window (the draft
    answers it)."""
    from tests.factories.indicators import IndicatorFactory, IndicatorStageFactory

    later = timezone.now() + dt.timedelta(days=60)
    stage = IndicatorStageFactory(
        contest=contest, opens=later, closes=later + dt.timedelta(days=7)
    )
    return IndicatorFactory(stage=stage)


WRITERS = {
    "save_answers": lambda w: services.save_answers(
        submission=w.draft, answers={w.question.pk: "SK 188/2021"}, by=w.delegate
    ),
    "save_file_answer": lambda w: services.save_file_answer(
        submission=w.draft, question=w.file_question, file=_pdf("sk.pdf"), by=w.delegate
    ),
    "clear_answer": lambda w: services.clear_answer(
        submission=w.draft, question=w.file_question, by=w.delegate
    ),
    "save_indicator_answers": lambda w: services.save_indicator_answers(
        submission=w.draft,
        answers=[{"criterion": w.indicator.pk, "level": 1}],
        by=w.delegate,
    ),
    "set_submission_state": lambda w: services.set_submission_state(
        submission=w.submitted, new_state=S.ELIGIBLE, by=w.organizer
    ),
    "create_submission": lambda w: services.create_submission(
        contest=w.contest, by=w.delegate, category=w.other_category, title="Baru"
    ),
    "_create_submission": lambda w: services._create_submission(
        contest=w.contest, by=w.delegate, category=w.other_category, title="Baru"
    ),
    "create_submission_on_behalf": lambda w: services.create_submission_on_behalf(
        contest=w.contest,
        by=w.organizer,
        delegate=w.contest.delegates.get(user=w.delegate),
        category=w.other_category,
        title="Baru",
    ),
    "update_submission": lambda w: services.update_submission(
        submission=w.draft, by=w.delegate, data={"title": "Diubah"}
    ),
    "delete_submission": lambda w: services.delete_submission(
        submission=w.draft, by=w.delegate
    ),
    "submit_submission": lambda w: services.submit_submission(
        submission=w.draft, by=w.delegate
    ),
    "withdraw_submission": lambda w: services.withdraw_submission(
        submission=w.eligible, by=w.delegate, reason="Ditarik"
    ),
    "screen_submission": lambda w: services.screen_submission(
        submission=w.submitted, eligible=True, by=w.organizer
    ),
    "request_revision": lambda w: services.request_revision(
        submission=w.submitted,
        deadline=timezone.now() + dt.timedelta(days=3),
        note="Lengkapi data dukung.",
        by=w.organizer,
    ),
    "reopen_submission": lambda w: services.reopen_submission(
        submission=w.eligible, by=w.organizer, reason="Salah klik"
    ),
    "add_evidence_files": lambda w: services.add_evidence_files(
        submission=w.draft, uploads=[_pdf()], by=w.delegate
    ),
    "add_evidence_file": lambda w: services.add_evidence_file(
        submission=w.draft, file=_pdf(), by=w.delegate
    ),
    "_attach_files": lambda w: services._attach_files(
        submission=w.draft, uploads=[_pdf()], by=w.delegate
    ),
    "add_evidence_link": lambda w: services.add_evidence_link(
        submission=w.draft,
        url="https://youtu.be/saninu",
        title="Video",
        by=w.delegate,
    ),
    "edit_evidence": lambda w: services.edit_evidence(
        evidence=w.draft_evidence, title="Judul baru", by=w.delegate
    ),
    "remove_evidence": lambda w: services.remove_evidence(
        evidence=w.draft_evidence, by=w.delegate
    ),
    "apply_bulk_action": lambda w: services.apply_bulk_action(
        contest=w.contest,
        action="ineligible",
        submission_ids=[w.submitted.pk],
        data={"reason": "Berkas tidak lengkap."},
        by=w.organizer,
    ),
    "bulk_screen": lambda w: services.bulk_screen(
        contest=w.contest,
        submission_ids=[w.submitted.pk],
        eligible=True,
        by=w.organizer,
    ),
    "bulk_request_revision": lambda w: services.bulk_request_revision(
        contest=w.contest,
        submission_ids=[w.submitted.pk],
        note="Lengkapi data dukung.",
        deadline=timezone.now() + dt.timedelta(days=3),
        by=w.organizer,
    ),
    "bulk_write_to_delegates": lambda w: services.bulk_write_to_delegates(
        contest=w.contest,
        submission_ids=[w.submitted.pk],
        subject="Jadwal presentasi",
        body="Mohon siapkan bahan presentasi.",
        by=w.organizer,
    ),
    "remind_draft_delegates": lambda w: services.remind_draft_delegates(
        contest=w.contest, by=w.organizer
    ),
    "review_evidence": lambda w: services.review_evidence(
        evidence=w.submitted_evidence, status=ReviewStatus.VALID, by=w.organizer
    ),
    "claim_previous_entry": lambda w: services.claim_previous_entry(
        submission=w.draft, previous_entry=w.earlier, by=w.delegate
    ),
    "confirm_previous_entry": lambda w: services.confirm_previous_entry(
        submission=w.submitted, confirmed=True, by=w.organizer
    ),
}

# Public functions of submissions.services that may run on a frozen contest.
NOT_WRITERS = {
    "check_required_answers": "raises or returns; reads the entry's answers",
    "questions_for": "reads the entry form's questions asked of an entry",
    "answer_rows": "reads an entry's answers for the pages that show it",
    "unanswered_required": "reads the required questions an entry has not answered",
    "answer_window": "reads whether an indicator stage takes answers now",
    "reached_stage": "reads whether the entry is among a stage's entries",
    "check_indicator_open": "raises or returns; writes nothing (and says closed)",
    "check_window": "raises or returns; reads the contest's window, writes nothing",
    "check_open_for_changes": "raises or returns; writes nothing (and says frozen)",
    "check_eligibility": "raises or returns; reads the contest's rules, writes nothing",
    "process_evidence_image": (
        "derives a clean copy and a thumbnail of an image stored before the freeze; "
        "without it the image could never be served"
    ),
    "images_waiting": "reads the images still waiting for process_evidence_image",
    "check_revision_request": "raises or returns; checks a note and a deadline",
    "check_bulk_input": "raises or returns; checks what a bulk action needs",
    "filter_params": "pure: the queue's filter values of a query string",
    "save_filter": "an organizer's own saved view of the queue; no entry changes",
    "delete_filter": "an organizer's own saved view of the queue; no entry changes",
    "send_deadline_reminders": (
        "writes only reminders to the outbox, and leaves frozen contests out"
    ),
    "previous_entry_choices": "reads the region's entries in other contests",
}


def _public_functions():
    """The public functions of every module of the `submissions.services` package;
    each is also a name of the package itself (the one the callers import)."""
    modules = [
        importlib.import_module(f"{services.__name__}.{info.name}")
        for info in pkgutil.iter_modules(services.__path__)
    ]
    public = {
        name: obj
        for module in modules
        for name, obj in inspect.getmembers(module, inspect.isfunction)
        if obj.__module__ == module.__name__ and not name.startswith("_")
    }
    unexported = {
        n for n, obj in public.items() if getattr(services, n, None) is not obj
    }
    assert unexported == set(), "re-export each service from submissions.services"
    return set(public)


def _freeze(contest):
    """Freeze the contest's row as the final publication does. The objects the test
    holds keep `frozen_at=None`: a service must read the committed row."""
    Contest.objects.filter(pk=contest.pk).update(frozen_at=timezone.now())


def _everything():
    media = Path(settings.MEDIA_ROOT)
    return {
        "submissions": list(Submission.objects.order_by("pk").values()),
        "evidence": list(Evidence.objects.order_by("pk").values()),
        "ledger": list(AuditEntry.objects.order_by("seq").values_list("pk")),
        "files": sorted(str(p) for p in media.rglob("*") if p.is_file())
        if media.exists()
        else [],
    }


def test_every_public_service_is_listed_as_writer_or_not():
    public = _public_functions()

    unlisted = public - set(WRITERS) - set(NOT_WRITERS)
    stale = (
        (set(WRITERS) | set(NOT_WRITERS))
        - public
        - {
            "_create_submission",
            "_attach_files",
        }
    )

    assert unlisted == set(), "place each new service in WRITERS or NOT_WRITERS"
    assert stale == set()
    assert set(WRITERS).isdisjoint(NOT_WRITERS)


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_writer_works_while_the_contest_is_open(world, name):
    before = _everything()

    WRITERS[name](world)

    assert _everything() != before


@pytest.mark.parametrize("name", sorted(WRITERS))
def test_writer_refused_with_409_once_frozen(world, name, table_rows):
    _freeze(world.contest)
    before = _everything()

    rows_before = table_rows()
    with pytest.raises(DomainError) as exc:
        WRITERS[name](world)

    assert exc.value.status == 409
    assert table_rows() == rows_before
    assert str(exc.value.message) == FROZEN
    assert _everything() == before


def test_check_open_for_changes_says_the_contest_is_frozen(world, table_rows):
    world.contest.refresh_from_db()
    _freeze(world.contest)
    world.contest.refresh_from_db()
    world.draft.contest = world.contest

    rows_before = table_rows()
    with pytest.raises(DomainError) as exc:
        services.check_open_for_changes(world.draft)

    assert exc.value.status == 409
    assert table_rows() == rows_before
    assert str(exc.value.message) == FROZEN


def test_process_evidence_image_still_runs_once_frozen(world):
    image = Evidence.objects.create(
        submission=world.eligible,
        kind=EvidenceKind.FILE,
        title="Foto",
        file=SimpleUploadedFile("foto.jpg", samples.jpeg_with_gps()),
        original_name="foto.jpg",
        content_type="image/jpeg",
        size=1,
    )
    _freeze(world.contest)

    services.process_evidence_image(evidence=image)

    image.refresh_from_db()
    assert image.processed_at is not None
    assert image.thumbnail.name != ""


# ---------------------------------------------------------------- the API


def _api_url(entry=None, name="detail", contest=None):
    if entry is None:
        return reverse("submission-list", kwargs={"contest_slug": contest.slug})
    return reverse(
        f"submission-{name}",
        kwargs={"contest_slug": entry.contest.slug, "pk": entry.pk},
    )


API_CALLS = {
    "create": lambda api, w: api.post(
        _api_url(contest=w.contest),
        {"category": w.other_category.pk, "title": "Baru"},
        format="json",
    ),
    "patch": lambda api, w: api.patch(
        _api_url(w.draft), {"title": "Diubah"}, format="json"
    ),
    "delete": lambda api, w: api.delete(_api_url(w.draft)),
    "evidence link": lambda api, w: api.post(
        _api_url(w.draft, "evidence"),
        {"url": "https://youtu.be/saninu", "title": "Video"},
        format="json",
    ),
    "evidence file": lambda api, w: api.post(
        _api_url(w.draft, "evidence"),
        {"file": _pdf(), "title": "Laporan"},
        format="multipart",
    ),
    "submit": lambda api, w: api.post(_api_url(w.draft, "submit")),
    "screen": lambda api, w: api.post(
        _api_url(w.submitted, "screen"), {"eligible": True}, format="json"
    ),
}
API_ROLE = {"screen": "organizer"}


@pytest.mark.parametrize("call", sorted(API_CALLS))
def test_api_write_refused_with_409_once_frozen(api, world, call, table_rows):
    api.force_authenticate(getattr(world, API_ROLE.get(call, "delegate")))
    _freeze(world.contest)
    before = _everything()

    rows_before = table_rows()
    response = API_CALLS[call](api, world)

    assert response.status_code == 409
    assert table_rows() == rows_before
    assert response.json()["detail"] == FROZEN
    assert _everything() == before


@pytest.mark.parametrize("call", sorted(API_CALLS))
def test_api_write_accepted_while_open(api, world, call):
    api.force_authenticate(getattr(world, API_ROLE.get(call, "delegate")))

    response = API_CALLS[call](api, world)

    assert response.status_code in (200, 201, 204)


# ---------------------------------------------------------------- the pages


def _page(name, entry, **kwargs):
    return reverse(
        f"submissions:{name}",
        kwargs={"slug": entry.contest.slug, "pk": entry.pk, **kwargs},
    )


PAGE_POSTS = {
    "create": (
        "delegate",
        lambda w: reverse("submissions:create", kwargs={"slug": w.contest.slug}),
        lambda w: {"category": w.other_category.pk, "title": "Baru"},
    ),
    "edit": (
        "delegate",
        lambda w: _page("edit", w.draft),
        lambda w: {"category": w.category.pk, "title": "Diubah", "links": ""},
    ),
    "evidence upload": (
        "delegate",
        lambda w: _page("evidence", w.draft),
        lambda w: {"files": [_pdf()], "title": ""},
    ),
    "evidence link": (
        "delegate",
        lambda w: _page("evidence-link", w.draft),
        lambda w: {"url": "https://youtu.be/saninu", "title": "Video"},
    ),
    "evidence remove": (
        "delegate",
        lambda w: _page("evidence-remove", w.draft, evidence_pk=w.draft_evidence.pk),
        lambda w: {},
    ),
    "submit": ("delegate", lambda w: _page("submit", w.draft), lambda w: {}),
    "delete": ("delegate", lambda w: _page("delete", w.draft), lambda w: {}),
    "withdraw": (
        "delegate",
        lambda w: _page("withdraw", w.eligible),
        lambda w: {"reason": "Ditarik"},
    ),
    "screen": (
        "organizer",
        lambda w: _page("screen", w.submitted),
        lambda w: {"screen-decision": "eligible", "screen-reason": ""},
    ),
    "request revision": (
        "organizer",
        lambda w: _page("request-revision", w.submitted),
        lambda w: {
            "revision-deadline": (
                timezone.localtime(
                    timezone.now() + dt.timedelta(days=3), w.contest.tzinfo
                ).strftime("%Y-%m-%dT%H:%M")
            ),
            "revision-note": "Lengkapi.",
        },
    ),
    "reopen": (
        "organizer",
        lambda w: _page("reopen", w.eligible),
        lambda w: {"reopen-reason": "Salah klik"},
    ),
    "evidence review": (
        "organizer",
        lambda w: _page(
            "evidence-review", w.submitted, evidence_pk=w.submitted_evidence.pk
        ),
        lambda w: {
            f"ev{w.submitted_evidence.pk}-review_status": ReviewStatus.VALID,
            f"ev{w.submitted_evidence.pk}-review_note": "",
        },
    ),
}


PAGES_THAT_REDIRECT = {"evidence remove"}


def _shows_error(response, message):
    """The message is shown as an error: a form's, an alert's or a flashed toast."""
    text = response.content.decode()
    return any(
        shape.format(message) in text
        for shape in ("<li>{}</li>", 'role="alert"><p>{}</p>', 'toast-text">{}</p>')
    )


@pytest.mark.parametrize("name", sorted(PAGE_POSTS))
def test_page_post_refused_with_a_message_once_frozen(client, world, name, table_rows):
    role, url, data = PAGE_POSTS[name]
    client.force_login(getattr(world, role))
    _freeze(world.contest)
    before = _everything()

    rows_before = table_rows()
    response = client.post(url(world), data(world), follow=True)

    if name in PAGES_THAT_REDIRECT:
        assert response.redirect_chain[0][1] == 302
    else:
        assert (response.redirect_chain, response.status_code) == ([], 409)
        assert table_rows() == rows_before
    assert _shows_error(response, FROZEN)
    assert _everything() == before


@pytest.mark.parametrize("name", sorted(PAGE_POSTS))
def test_page_post_accepted_while_open(client, world, name):
    role, url, data = PAGE_POSTS[name]
    client.force_login(getattr(world, role))

    response = client.post(url(world), data(world))

    assert response.status_code == 302


def test_pages_offer_no_change_once_frozen(client, world):
    client.force_login(world.delegate)
    _freeze(world.contest)

    draft = client.get(_page("detail", world.draft)).content.decode()
    eligible = client.get(_page("detail", world.eligible)).content.decode()

    assert _page("edit", world.draft) not in draft
    assert _page("submit", world.draft) not in draft
    assert _page("withdraw", world.eligible) not in eligible


def test_screening_page_offers_no_decision_once_frozen(client, world):
    client.force_login(world.organizer)
    _freeze(world.contest)

    submitted = client.get(_page("screening-detail", world.submitted)).content
    eligible = client.get(_page("screening-detail", world.eligible)).content

    assert _page("screen", world.submitted) not in submitted.decode()
    assert _page("request-revision", world.submitted) not in submitted.decode()
    assert _page("reopen", world.eligible) not in eligible.decode()


@pytest.mark.parametrize(
    ("role", "page", "which"),
    [("delegate", "detail", "draft"), ("organizer", "screening-detail", "submitted")],
)
def test_entry_pages_say_the_contest_is_frozen(client, world, role, page, which):
    client.force_login(getattr(world, role))
    url = _page(page, getattr(world, which))
    open_text = client.get(url).content.decode()
    _freeze(world.contest)

    frozen_text = client.get(url).content.decode()

    assert FROZEN not in open_text
    assert FROZEN in frozen_text


@pytest.mark.parametrize(
    ("perm", "role", "which"),
    [
        ("submissions.change_submission", "delegate", "draft"),
        ("submissions.submit_submission", "delegate", "draft"),
        ("submissions.delete_submission", "delegate", "draft"),
        ("submissions.withdraw_submission", "delegate", "eligible"),
        ("submissions.screen_submission", "organizer", "submitted"),
        ("submissions.request_revision_submission", "organizer", "submitted"),
        ("submissions.reopen_submission", "organizer", "eligible"),
    ],
)
def test_entry_permission_ends_once_frozen(world, perm, role, which):
    user, entry = getattr(world, role), getattr(world, which)
    allowed_while_open = allows(user, perm, entry)
    entry.contest.frozen_at = timezone.now()

    allowed_once_frozen = allows(user, perm, entry)

    assert (allowed_while_open, allowed_once_frozen) == (True, False)
