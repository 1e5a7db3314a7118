"""What the contest's people are told of its results, written to the outbox
(notifications) in the transaction of the publication or the answer: the
provisional results with their objection window, the final results, an
objection answered.

The participants are the delegates of the regions that entered the contest
(an entry past its draft, not withdrawn) and the contest's judges; the
organizers published the results themselves and are not told. Dates are
written in each recipient's language and the contest's time zone, so the plain
data is made once per language (and per right to object), whatever the number
of recipients."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

from contest.models import Contest, Delegate
from judging.models import Judge
from notifications.formatting import link_to, when
from notifications.services import language_of, notify
from results.enums import ObjectionOutcome
from results.models import Objection, Publication
from submissions.enums import SubmissionState
from submissions.models import Submission

User = get_user_model()


def participants(contest: Contest) -> list[User]:
    """The active accounts of the contest's participants, each once, in one
    query; `is_delegate` tells a delegate of an entrant region from a judge."""
    entrant_regions = (
        Submission.objects.filter(contest=contest)
        .exclude(state__in=[SubmissionState.DRAFT, SubmissionState.WITHDRAWN])
        .values("region_id")
    )
    delegate = Delegate.objects.filter(
        contest=contest, user=OuterRef("pk"), region_id__in=entrant_regions
    )
    judge = Judge.objects.filter(contest=contest, user=OuterRef("pk"))
    return list(
        User.objects.filter(is_active=True)
        .exclude(email="")
        .annotate(is_delegate=Exists(delegate), is_judge=Exists(judge))
        .filter(Exists(delegate) | Exists(judge))
        .order_by("pk")
    )


def _tell(
    contest: Contest, *, event: str, recipients: Iterable[User], context_for
) -> int:
    """One notification per recipient, with the plain data
    `context_for(language, user)` answers (made once per language by the
    callers): one insert per recipient and no other query."""
    count = 0
    for user in recipients:
        notify(
            recipient=user,
            event=event,
            context=context_for(language_of(user), user),
            contest_id=contest.pk,
        )
        count += 1
    return count


def notify_provisional(publication: Publication) -> int:
    """Tell every participant the provisional results are out, when the
    objection window opens and closes, and (to those who may object: the
    delegates, or everyone when the organizers opened the objections to all)
    where an objection is filed. Answers how many were told."""
    contest = publication.contest
    slug = contest.slug
    results_url = link_to("results:public", slug=slug)
    object_url = link_to("results:object", slug=slug)
    made: dict[tuple[str, bool], dict] = {}

    def context_for(language: str, user: User) -> dict:
        may_object = publication.objections_open_to_all or user.is_delegate
        key = (language, may_object)
        if key not in made:
            made[key] = {
                "contest_name": contest.name,
                "opens": when(
                    publication.published_at,
                    tzinfo=contest.tzinfo,
                    language=language,
                ),
                "closes": when(
                    publication.objections_close,
                    tzinfo=contest.tzinfo,
                    language=language,
                ),
                "tz": contest.timezone_abbreviation,
                "results_url": results_url,
                "object_url": object_url if may_object else "",
            }
        return made[key]

    return _tell(
        contest,
        event="results.provisional",
        recipients=participants(contest),
        context_for=context_for,
    )


def notify_final(publication: Publication) -> int:
    """Tell every participant the final results are published, with the link to
    them and the digest that anyone can check. Answers how many were told."""
    contest = publication.contest
    slug = contest.slug
    context = {
        "contest_name": contest.name,
        "results_url": link_to("results:public", slug=slug),
        "verify_url": link_to("results:verify", slug=slug),
        "digest": publication.digest,
    }
    return _tell(
        contest,
        event="results.final",
        recipients=participants(contest),
        context_for=lambda _language, _user: context,
    )


def notify_answered(contest: Contest, objections: list[Objection]) -> int:
    """Tell each objector the organizers' answer, in one mail per person for
    the objections answered together (the same outcome and answer). An
    objection whose author's account is gone is answered on the page only."""
    rows = list(
        Objection.objects.filter(pk__in=[o.pk for o in objections])
        .select_related("filed_by", "submission")
        .order_by("pk")
    )
    by_user: dict[int, list[Objection]] = {}
    for row in rows:
        if row.filed_by is not None and row.filed_by.email:
            by_user.setdefault(row.filed_by_id, []).append(row)
    url = link_to("results:my-objections", slug=contest.slug)
    for answered in by_user.values():
        first = answered[0]
        notify(
            recipient=first.filed_by,
            event="results.objection_answered",
            context={
                "contest_name": contest.name,
                "titles": [row.submission.title for row in answered],
                "upheld": first.outcome == ObjectionOutcome.UPHELD,
                "answer": first.answer,
                "url": url,
            },
            contest_id=contest.pk,
        )
    return len(by_user)
