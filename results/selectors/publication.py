"""A contest's publications and objections, and the checks of a publication
against its digest and the ledger.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone

from contest import ledger
from contest.ledger import canonical_json
from contest.models import AuditEntry, Contest
from results.enums import (
    ObjectionOutcome,
    PublicationKind,
)
from results.models import (
    Objection,
    Publication,
)

# ---------------------------------------------------------------- publications


def publications_of(contest: Contest) -> QuerySet[Publication]:
    """The contest's publications, newest first, without their snapshots."""
    return (
        Publication.objects.filter(contest=contest)
        .defer("snapshot")
        .order_by("-published_at", "-pk")
    )


def final_publication(contest: Contest) -> Publication | None:
    return Publication.objects.filter(
        contest=contest, kind=PublicationKind.FINAL
    ).first()


def is_published_finally(contest: Contest) -> bool:
    return Publication.objects.filter(
        contest=contest, kind=PublicationKind.FINAL
    ).exists()


# Which publication the public sees: the final results, else the newest
# provisional ones ("final" sorts before "provisional").
CURRENT_FIRST = ("kind", "-published_at", "-pk")


def current_publication(
    contest: Contest, *, with_snapshot: bool = True
) -> Publication | None:
    """What the public sees: the final results, else the newest provisional ones."""
    qs = Publication.objects.filter(contest=contest)
    if not with_snapshot:
        qs = qs.defer("snapshot")
    return qs.order_by(*CURRENT_FIRST).first()


def current_publication_id() -> Subquery:
    """On Contest: the id of its current publication (`current_publication`), in
    the contest's own query. A publication never changes once made."""
    return Subquery(
        Publication.objects.filter(contest=OuterRef("pk"))
        .order_by(*CURRENT_FIRST)
        .values("pk")[:1]
    )


def open_provisional(
    contest: Contest, at=None, *, with_snapshot: bool = True
) -> Publication | None:
    """The provisional results whose objection window is open now, if any."""
    at = at or timezone.now()
    if is_published_finally(contest):
        return None
    qs = Publication.objects.filter(
        contest=contest,
        kind=PublicationKind.PROVISIONAL,
        objections_close__gt=at,
    )
    if not with_snapshot:
        qs = qs.defer("snapshot")
    return qs.order_by("-published_at", "-pk").first()


def objections_of(contest: Contest) -> QuerySet[Objection]:
    return (
        Objection.objects.filter(publication__contest=contest)
        .select_related(
            "publication", "submission", "submission__region", "filed_by", "answered_by"
        )
        .order_by("filed_at", "pk")
    )


def objections_filed_by(user, contest: Contest) -> QuerySet[Objection]:
    """The objections `user` filed in the contest, with their answers."""
    if not getattr(user, "is_authenticated", False):
        return Objection.objects.none()
    return (
        Objection.objects.filter(publication__contest=contest, filed_by=user)
        .select_related("submission", "submission__region", "publication")
        .order_by("filed_at", "pk")
    )


def pending_objection_count(contest: Contest) -> int:
    return Objection.objects.filter(
        publication__contest=contest, outcome=ObjectionOutcome.PENDING
    ).count()


def publication_ledger_entry(publication: Publication) -> AuditEntry | None:
    """The ledger entry that recorded the publication (its seq and hash)."""
    return (
        AuditEntry.objects.filter(
            action="results.published",
            object_type__in=ledger.labels_of(Publication._meta.label_lower),
            object_id=str(publication.pk),
        )
        .only("seq", "hash", "created_at")
        .first()
    )


@dataclass(frozen=True)
class PublicationProblem:
    publication_id: int
    reason: str


def publication_problems(
    contest_slug: str | None = None,
) -> tuple[int, list[PublicationProblem]]:
    """Check every publication: its stored digest is the SHA-256 of its snapshot's
    canonical JSON, and a "results.published" ledger entry of it records that
    digest. Answers how many were checked and the problems found."""
    publications = Publication.objects.order_by("pk")
    if contest_slug:
        publications = publications.filter(contest__slug=contest_slug)
    recorded: dict[str, list[dict]] = defaultdict(list)
    for object_id, data in AuditEntry.objects.filter(
        action="results.published",
        object_type__in=ledger.labels_of(Publication._meta.label_lower),
    ).values_list("object_id", "data"):
        recorded[object_id].append(data)
    problems = []
    checked = 0
    for publication in publications.iterator(chunk_size=100):
        checked += 1
        digest = hashlib.sha256(canonical_json(publication.snapshot)).hexdigest()
        if digest != publication.digest:
            problems.append(
                PublicationProblem(
                    publication.pk, "the snapshot does not match its digest"
                )
            )
        entries = recorded.get(str(publication.pk), [])
        if not entries:
            problems.append(
                PublicationProblem(publication.pk, "no ledger entry records it")
            )
        elif not any(
            data.get("digest") == publication.digest
            and data.get("kind") == publication.kind
            for data in entries
        ):
            problems.append(
                PublicationProblem(publication.pk, "the ledger records another digest")
            )
    return checked, problems
