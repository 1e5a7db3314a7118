"""A stage's computation is kept under the ledger's head (every change the
results are computed from is audited), so every write through a service that
changes the results must show at once: each test warms the kept computation,
makes one write and checks the figures read right after are those computed
afresh (and that they moved). Kept only outside a transaction: these tests run
in autocommit, as the pages do. The published snapshot is prepared once; the
published-results API answers its canonical bytes with an ETag."""

import hashlib
import json
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import transaction

from common.kept import forget_all
from common.views import CSRF_STAND_IN, KeptPageMixin
from contest import ledger
from contest import services as contest_services
from contest.models import Criterion
from judging import services as judging_services
from judging.enums import SheetState
from judging.models import Assignment, ScoreSheet, StageEntry
from results import selectors
from results.api.serializers import PublishedResultsSerializer
from results.selectors import snapshot as snapshot_module
from submissions import services as submission_services
from tests.factories.judging import AssignmentFactory, JudgeFactory
from tests.results.conftest import sheet_reads

pytestmark = [pytest.mark.django_db(transaction=True)]


def figures(computation) -> dict:
    """What the page shows of a computation, comparable across two of them."""
    return {
        "entries": {
            entry.entry_id: (entry.raw_score, entry.normalized_score, entry.rank)
            for entry in computation.results.entries
        },
        "sheets": sorted((s.sheet_id, s.score) for s in computation.sheets),
        "excluded": sorted(s.sheet_id for s in computation.excluded),
    }


def fresh(stage) -> dict:
    cache.clear()
    forget_all()
    return figures(selectors.stage_results(stage, ranked_by="normalized"))


@pytest.fixture
def audited(stage, contest, organizer):
    """The contest's ledger has entries, as a contest run through the services
    has (the factories write rows only)."""
    ledger.record(action="stage.checked", obj=stage, by=organizer, contest=contest)


@pytest.fixture
def warm(stage, scored, audited):
    """The stage's computation kept; answers its figures."""
    cache.clear()
    forget_all()
    first = selectors.stage_results(stage, ranked_by="normalized")
    assert first.key is not None
    before = figures(first)
    assert figures(selectors.stage_results(stage, ranked_by="normalized")) == before
    return before


def read_after(stage, before) -> dict:
    """The figures read right after a write (the kept path), checked against a
    fresh computation and against what was shown before."""
    after = figures(selectors.stage_results(stage, ranked_by="normalized"))
    assert after == fresh(stage)
    assert after != before
    return after


def test_a_kept_computation_skips_the_score_rows(
    stage, scored, audited, django_assert_num_queries
):
    with django_assert_num_queries(4 + sheet_reads()):
        selectors.stage_results(stage, ranked_by="normalized")
    # the rubric, the ledger's head
    with django_assert_num_queries(2):
        selectors.stage_results(stage, ranked_by="normalized")


def test_nothing_is_kept_inside_a_transaction(stage, scored, audited):
    with transaction.atomic():
        computation = selectors.stage_results(stage, ranked_by="normalized")

    assert computation.key is None
    assert len(selectors.stage._kept_here) == 0


@pytest.mark.parametrize("records", [False, True])
def test_a_computation_made_in_a_rolled_back_transaction_is_never_read(
    stage, warm, scored, organizer, records
):
    """A service writes a sheet, computes (before or after it records the change
    in the ledger), then fails: what it computed saw its write, and must not be
    served once the transaction is undone."""
    inside = {}

    def failing_service():
        with transaction.atomic():
            sheet = scored["E1", "A"]
            if records:
                judging_services.reopen_sheet(sheet=sheet, by=organizer)
            else:
                ScoreSheet.objects.filter(pk=sheet.pk).update(
                    state=SheetState.DRAFT, submitted_at=None
                )
            computation = selectors.stage_results(stage, ranked_by="normalized")
            inside.update(figures(computation))
            raise RuntimeError("the service fails after its write")

    with pytest.raises(RuntimeError):
        failing_service()

    assert inside != warm
    assert figures(selectors.stage_results(stage, ranked_by="normalized")) == warm


@pytest.mark.parametrize("extra", [0, 3])
def test_kept_queries_do_not_grow_with_sheets(
    stage,
    scored,
    criteria,
    contest,
    category,
    audited,
    extra,
    django_assert_num_queries,
):
    from tests.factories.judging import EligibleSubmissionFactory
    from tests.factories.results import submitted_sheet

    judge = JudgeFactory(contest=contest)
    for index in range(extra):
        submission = EligibleSubmissionFactory(contest=contest, category=category)
        submitted_sheet(
            stage=stage,
            judge=judge,
            submission=submission,
            values={criteria[0]: 5 + index, criteria[1]: 5},
        )
    selectors.stage_results(stage, ranked_by="normalized")
    with django_assert_num_queries(2):
        selectors.stage_results(stage, ranked_by="normalized")


def _score(sheet, criteria, values, *, submit=True):
    judging_services.record_sheet(
        sheet=sheet,
        scores=[
            {"criterion": criterion.pk, "value": value}
            for criterion, value in zip(criteria, values, strict=True)
        ],
        comment="",
        submit=submit,
        by=sheet.assignment.judge.user,
    )


def test_a_submitted_sheet_shows_at_once(stage, warm, contest, entries, criteria):
    judge = JudgeFactory(contest=contest)
    StageEntry.objects.get_or_create(stage=stage, submission=entries["E3"])
    sheet = judging_services.ensure_sheet(
        assignment=AssignmentFactory(stage=stage, judge=judge, submission=entries["E3"])
    )
    _score(sheet, criteria, ["10", "10"])

    read_after(stage, warm)


def test_a_reopened_sheet_shows_at_once(stage, warm, scored, organizer):
    judging_services.reopen_sheet(sheet=scored["E1", "A"], by=organizer)

    read_after(stage, warm)


def test_a_sheet_submitted_again_with_other_values_shows_at_once(
    stage, warm, scored, organizer, criteria
):
    sheet = scored["E1", "B"]
    StageEntry.objects.get_or_create(
        stage=stage, submission=sheet.assignment.submission
    )
    judging_services.reopen_sheet(sheet=sheet, by=organizer)
    middle = read_after(stage, warm)
    sheet.refresh_from_db()
    _score(sheet, criteria, ["10", "10"])

    read_after(stage, middle)


def test_a_conflict_declared_after_scoring_excludes_at_once(
    stage, warm, judges, entries, organizer
):
    judging_services.declare_conflict(
        judge=judges["A"], submission=entries["E1"], reason="Kerabat", by=organizer
    )

    after = read_after(stage, warm)
    assert after["excluded"]


def test_a_conflict_no_exclusion_records_yet_shows_at_once(
    stage, warm, judges, entries, contest, organizer
):
    """The judge becomes a delegate of the entry's region: a conflict the rows
    imply before any exclusion records it."""
    contest_services.invite_delegate(
        contest=contest,
        email=judges["A"].user.email,
        region=entries["E1"].region,
        by=organizer,
    )

    after = read_after(stage, warm)
    assert after["excluded"]


def test_an_edited_criterion_shows_at_once(stage, warm, criteria):
    # The rubric's values are part of the key itself, whatever wrote them.
    Criterion.objects.filter(pk=criteria[0].pk).update(max_score=Decimal(20))

    read_after(stage, warm)


def test_a_removed_assignment_shows_at_once(stage, warm, scored, contest):
    """A deletion through the ORM outside a service (a cascade) still gets its
    ledger entry, once the row has one (as every row made by a service has)."""
    assignment = Assignment.objects.get(pk=scored["E3", "C"].assignment_id)
    ledger.record(action="assignment.created", obj=assignment, contest=contest)
    kept = figures(selectors.stage_results(stage, ranked_by="normalized"))
    assert kept == warm

    Assignment.objects.filter(pk=assignment.pk).delete()

    read_after(stage, kept)


def test_an_entry_withdrawn_shows_at_once(stage, warm, entries, delegate):
    submission_services.withdraw_submission(
        submission=entries["E1"], by=delegate, reason="Ditarik"
    )

    read_after(stage, warm)


def test_the_stage_page_shows_a_reopened_sheet_at_once(
    client, organizer, contest, stage, scored, audited
):
    from django.urls import reverse

    client.force_login(organizer)
    url = reverse("results:stage", kwargs={"slug": contest.slug, "stage_pk": stage.pk})
    first = client.get(url)
    assert first.context["page"].fragment_key is not None
    again = client.get(url)
    judging_services.reopen_sheet(sheet=scored["E1", "A"], by=organizer)

    after = client.get(url)

    assert (first.context["page"].sheet_count, after.context["page"].sheet_count) == (
        9,
        8,
    )
    assert _shown(again) == _shown(first)
    assert _shown(after) != _shown(first)
    assert _shown(after) == _shown(_fresh_page(client, url))


def _shown(response) -> str:
    """The page without its CSRF tokens (new on every request)."""
    return re.sub(
        r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+',
        r"\1",
        response.content.decode(),
    )


def _fresh_page(client, url):
    cache.clear()
    forget_all()
    return client.get(url)


# ---------------------------------------------------------------- the snapshot


def api_url(contest) -> str:
    return f"/api/v1/contests/{contest.slug}/results/"


def test_public_pages_read_the_snapshot_prepared_at_publication(
    client, contest, published, django_assert_num_queries
):
    from django.urls import reverse

    url = reverse("results:gallery", kwargs={"slug": contest.slug})
    # the contest (with its current publication's id), the publication
    with django_assert_num_queries(2):
        client.get(url)
    snapshot_module._kept.clear()
    KeptPageMixin.kept_pages.clear()
    # a process that did not publish prepares it once, then keeps it
    with django_assert_num_queries(3):
        client.get(url)
    KeptPageMixin.kept_pages.clear()
    with django_assert_num_queries(2):
        response = client.get(url)
    assert response.context["page_obj"].paginator.count == 3


def _token_of(response) -> str:
    return re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode()
    ).group(1)


@pytest.mark.parametrize("name", ["results:public", "results:gallery"])
def test_a_visitor_reads_the_kept_page_with_a_csrf_token_of_their_own(
    client, contest, published, name, django_assert_num_queries
):
    from django.test import Client
    from django.urls import reverse

    url = reverse(name, kwargs={"slug": contest.slug})
    first = client.get(url)
    other = Client(enforce_csrf_checks=True)
    with django_assert_num_queries(1):
        kept = other.get(url)

    assert first.context is not None
    assert kept.context is None  # not rendered again
    assert _shown(kept) == _shown(first)
    assert CSRF_STAND_IN not in kept.content.decode()
    # the token works for the visitor it was given to
    answer = other.post(
        reverse("set_language"),
        {"language": "en", "next": url, "csrfmiddlewaretoken": _token_of(kept)},
    )
    assert answer.status_code == 302


def test_signed_in_users_and_visitors_with_messages_get_their_own_page(
    client, contest, published, delegate, rf
):
    from django.contrib import messages
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import Client
    from django.urls import reverse

    from results.views.public import PublicResultsView

    url = reverse("results:public", kwargs={"slug": contest.slug})
    Client().get(url)
    client.force_login(delegate)
    mine = client.get(url)
    request = rf.get(url)
    request.user, request.session = AnonymousUser(), SessionStore()
    request._messages = FallbackStorage(request)
    messages.info(request, "Anda telah keluar.")
    with_message = PublicResultsView.as_view()(request, slug=contest.slug)

    assert mine.context is not None
    assert "Sign in" not in mine.content.decode()
    assert with_message.context_data is not None
    assert "Anda telah keluar." in with_message.content.decode()


def test_a_new_publication_shows_at_once_on_the_kept_pages(
    client, contest, organizer, scored
):
    import datetime as dt

    from django.urls import reverse
    from django.utils import timezone

    from results import services

    services.give_place_awards(contest=contest, by=organizer, places=1)
    provisional = services.publish_provisional(
        contest=contest,
        by=organizer,
        objections_close=timezone.now() + dt.timedelta(days=3),
    )
    url = reverse("results:public", kwargs={"slug": contest.slug})
    before = client.get(url)
    again = client.get(url)
    second = services.publish_provisional(
        contest=contest,
        by=organizer,
        objections_close=timezone.now() + dt.timedelta(days=5),
    )

    after = client.get(url)

    assert _closes(provisional, contest) in before.content.decode()
    assert again.context is None
    assert after.context is not None
    assert _closes(second, contest) in after.content.decode()
    assert _closes(provisional, contest) not in after.content.decode()


def _closes(publication, contest) -> str:
    """The objection window's end as the public pages show it."""
    from django.template.defaultfilters import date
    from django.utils import timezone

    with timezone.override(contest.tzinfo):
        return date(timezone.localtime(publication.objections_close), "j M Y, H:i")


def test_published_results_answer_the_stored_bytes_with_an_etag(
    api, contest, published
):
    response = api.get(api_url(contest))

    assert response.status_code == 200
    assert response["ETag"] == f'"{published.digest}"'
    assert response.json() == json.loads(
        json.dumps(PublishedResultsSerializer(published).data)
    )
    snapshot = json.dumps(
        response.json()["snapshot"],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode()
    assert hashlib.sha256(snapshot).hexdigest() == published.digest


def test_published_results_answer_304_to_their_etag(
    api, contest, published, django_assert_num_queries
):
    etag = f'"{published.digest}"'

    with django_assert_num_queries(2):
        response = api.get(api_url(contest), HTTP_IF_NONE_MATCH=f'"x", W/{etag}')
    other = api.get(api_url(contest), HTTP_IF_NONE_MATCH='"0"')

    assert (response.status_code, response.content) == (304, b"")
    assert response["ETag"] == etag
    assert other.status_code == 200


# ---------------------------------------------------------------- kept for organizers


def test_an_organizers_stage_page_is_kept_for_them_and_checked_on_every_request(
    client, organizer, contest, stage, scored, audited, django_assert_max_num_queries
):
    from django.urls import reverse

    from tests.factories.contest import OrganizerFactory

    url = reverse("results:stage", kwargs={"slug": contest.slug, "stage_pk": stage.pk})
    client.force_login(organizer)
    first = client.get(url)

    # Kept: the session, the user, the contest, the roles, the stage and the
    # ledger's head; nothing of the results.
    with django_assert_max_num_queries(7):
        again = client.get(url)
    assert _shown(again) == _shown(first)
    assert _token_of(again) != CSRF_STAND_IN

    # Another organizer gets a page of their own (their name in the header).
    other = OrganizerFactory(contest=contest).user
    client.force_login(other)
    theirs = client.get(url)
    assert other.email in theirs.content.decode()
    assert organizer.email not in theirs.content.decode()

    # Whoever may no longer see the stage is refused, kept page or not.
    contest.organizers.filter(user=other).delete()
    assert client.get(url).status_code in (403, 404)


def test_a_shared_cache_hands_the_computation_to_another_process(
    settings, tmp_path, stage, scored, audited
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from results.selectors import stage as stage_module

    # A cache other processes read (files here; Redis on a site).
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }
    first = selectors.stage_results(stage, ranked_by="normalized")
    # Another process: nothing kept of its own, the shared cache has it.
    stage_module._kept_here.clear()

    with CaptureQueriesContext(connection) as queries:
        second = selectors.stage_results(stage, ranked_by="normalized")

    assert figures(second) == figures(first)
    assert not [q for q in queries.captured_queries if "judging_score" in q["sql"]]
    assert cache.get(first.key) is not None


def test_a_cache_of_this_process_alone_is_not_written(stage, scored, audited):
    computed = selectors.stage_results(stage, ranked_by="normalized")

    assert computed.key is not None
    assert cache.get(computed.key) is None
    assert figures(selectors.stage_results(stage, ranked_by="normalized")) == (
        figures(computed)
    )
