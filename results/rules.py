"""Who may see and do what with the results (checked against the contest).

Before a publication only the contest's organizers see any score. A publication (the
final one, or provisional results with their objection window) opens the public
results, read from its snapshot; the certificates and each region's feedback come
only with the final publication.
"""

from __future__ import annotations

import rules
from django.utils import timezone

from contest.rules import contest_of, is_contest_organizer, is_delegate_of
from results.enums import PublicationKind
from submissions.rules import is_region_delegate


def _kinds(contest) -> dict:
    """The contest's publications as {kind: newest objections_close or None},
    read once per contest object."""
    cached = getattr(contest, "_results_publications", None)
    if cached is None:
        from results.models import Publication

        cached = {}
        for kind, closes, open_to_all in (
            Publication.objects.filter(contest_id=contest.pk)
            .order_by("published_at", "pk")
            .values_list("kind", "objections_close", "objections_open_to_all")
        ):
            cached[kind] = closes
            cached[OPEN_TO_ALL] = open_to_all
        contest._results_publications = cached
    return cached


# A key of _kinds(): whether the newest publication opened objections to everyone.
OPEN_TO_ALL = "objections_open_to_all"


@rules.predicate
def is_published(user, contest) -> bool:
    """Results are out: final, or provisional."""
    contest = contest_of(contest)
    return contest is not None and bool(_kinds(contest))


@rules.predicate
def is_published_finally(user, contest) -> bool:
    contest = contest_of(contest)
    return contest is not None and (
        contest.frozen_at is not None or PublicationKind.FINAL in _kinds(contest)
    )


@rules.predicate
def is_objection_window_open(user, contest) -> bool:
    contest = contest_of(contest)
    if contest is None:
        return False
    kinds = _kinds(contest)
    if PublicationKind.FINAL in kinds:
        return False
    closes = kinds.get(PublicationKind.PROVISIONAL)
    return closes is not None and timezone.now() < closes


@rules.predicate
def are_objections_open_to_all(user, contest) -> bool:
    """The organizers opened the current objection window to every signed-in
    user, not only the contest's delegates."""
    contest = contest_of(contest)
    return contest is not None and bool(_kinds(contest).get(OPEN_TO_ALL))


@rules.predicate
def is_signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


can_manage_results = is_contest_organizer
can_view_public_results = is_published
can_file_objection = (
    is_signed_in
    & is_objection_window_open
    & (is_delegate_of | are_objections_open_to_all)
)
can_read_certificates = is_published_finally
can_read_feedback = is_published_finally & (is_delegate_of | is_contest_organizer)


@rules.predicate
def is_delegate_of_region(user, contest_region) -> bool:
    """A delegate of this region in this contest (`contest_region`: a pair)."""
    contest, region = contest_region
    if not user.is_authenticated:
        return False
    return contest.delegates.filter(user_id=user.pk, region_id=region.pk).exists()


@rules.predicate
def can_read_region_feedback(user, contest_region) -> bool:
    """A region's feedback, asked of `(contest, region)`: the contest's feedback is
    open to the user (can_read_feedback), and the region is theirs; an organizer
    reads every region's."""
    contest, _region = contest_region
    if not can_read_feedback.test(user, contest):
        return False
    return is_contest_organizer.test(user, contest) or is_delegate_of_region.test(
        user, contest_region
    )


rules.add_perm("results.manage_results", can_manage_results)
rules.add_perm("results.view_results", can_view_public_results)
rules.add_perm("results.file_objection", can_file_objection)
# The objections list holds the user's own (an organizer's: all of the contest's),
# scoped by its selector: only a signed-in user has any.
rules.add_perm("results.list_objections", is_signed_in)
rules.add_perm("results.read_certificates", can_read_certificates)
rules.add_perm("results.read_feedback", can_read_feedback)
rules.add_perm("results.read_region_feedback", can_read_region_feedback)


# An entry's dashboard (results.selectors.dashboard), asked of the entry: its
# region's delegates and the contest's organizers.
can_view_entry_dashboard = is_region_delegate | is_contest_organizer
rules.add_perm("results.view_entry_dashboard", can_view_entry_dashboard)


# An indicator stage's live ranking (results.selectors.index), asked of the stage:
# its contest's organizers, and anyone once the organizer opens it to the public.
@rules.predicate
def is_index_ranking_public(user, stage) -> bool:
    return bool(
        stage is not None
        and getattr(stage, "is_indicator", False)
        and stage.ranking_public
    )


can_view_index_ranking = is_contest_organizer | is_index_ranking_public
rules.add_perm("results.view_index_ranking", can_view_index_ranking)
