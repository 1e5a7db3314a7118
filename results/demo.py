"""The demo contest's results: the desk evaluation's ranking, who advances, the
places Terbaik I-III of each category and the final publication.

Idempotent: a contest already published is left as it is, and each step is skipped
when it was done before (the advancement, the awards already given). The demo's
scores are illustrative (judging/demo.py), and so are its results; where entries
tie at a cut, the demo organizer takes them in title order, an illustrative
decision recorded like any other.
"""

from __future__ import annotations

from contest.enums import RegionType
from contest.models import Contest
from judging.demo import DESK_STAGE_ORDER
from results import selectors, services
from results.enums import AwardKind
from results.models import AdvancementDecision, Publication


def load_demo_results(contest: Contest) -> Publication | None:
    """Advance the desk evaluation, give the places and publish; answers the final
    publication (None while the demo has no submitted sheet)."""
    published = selectors.final_publication(contest)
    if published is not None:
        return published
    organizer = contest.organizers.select_related("user").order_by("pk").first()
    stage = contest.stages.filter(order=DESK_STAGE_ORDER, kind="scoring").first()
    if organizer is None or stage is None:
        return None
    if not selectors.stage_results(stage).scored:
        return None
    by = organizer.user
    if not AdvancementDecision.objects.filter(stage=stage).exists():
        try:
            services.advance_stage(stage=stage, by=by)
        except services.UndecidedTieError as exc:
            chosen = [
                entry["id"]
                for tie in exc.ties
                for entry in sorted(tie["entries"], key=lambda e: e["title"])[
                    : tie["places"]
                ]
            ]
            services.advance_stage(stage=stage, by=by, tie_break=chosen)
    services.give_place_awards(contest=contest, by=by, places=3)
    _give_regional_awards(contest, by)
    return services.publish_contest(contest=contest, by=by)


def _give_regional_awards(contest: Contest, by) -> None:
    """ "Kepala Daerah Inovatif" to the first region of each type of the regional
    ranking (none where regions tie for it)."""
    board = selectors.contest_standings(contest)
    given = {(a.name, a.region_id) for a in board.awards if a.region_id}
    for region_type, rows in board.regional.items():
        top = [row for row in rows if row.standing.rank == 1]
        if len(top) != 1:
            continue
        name = f"Kepala Daerah Inovatif ({RegionType(region_type).label})"
        if (name, top[0].region.pk) in given:
            continue
        services.assign_award(
            contest=contest,
            name=name,
            kind=AwardKind.REGIONAL,
            region=top[0].region,
            rank=1,
            by=by,
        )
