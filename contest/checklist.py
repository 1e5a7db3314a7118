"""The set-up checklist: what a contest still lacks before it can open.

The contest's set-up page shows it, but part of what it checks belongs to apps
above this one (a category's panel of judges is judging's, the stages' weights in
the final score are results'), and the apps import one way (results > judging >
submissions > contest): this app may not import them, not even inside a function.
So this module is a small registry, as `contest.ledger.register_rows` is: each app
registers its checks from its `AppConfig.ready()` (`register_check`), and
`setup_gaps` runs every registered check. Rendering the list from a view of a higher
app instead would have put the contest's own set-up page in judging or results.

A check is a function of `SetupFacts` answering a list of `Gap`s. The facts (the
contest, its categories, its stages with their rubric's size and weight, its
delegate count) are read once, in three queries, and handed to every check, so a
check adds only the queries of what its own app owns, each a fixed number: the
checklist costs the same number of queries whatever the contest's size.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from contest.enums import StageKind
from contest.models import Category, Contest, Stage


@dataclass(frozen=True)
class Gap:
    """One thing missing: `message` says it in words, `url` is where it is fixed
    (`action` is the link's text), `key` names the kind of gap for code and tests."""

    key: str
    message: str
    url: str
    action: str


@dataclass
class SetupFacts:
    """What every check reads: the stages carry `criterion_count` and
    `weight_total` (the sum of their criteria's weights)."""

    contest: Contest
    categories: list[Category]
    stages: list[Stage]
    delegate_count: int

    @property
    def scoring_stages(self) -> list[Stage]:
        return [stage for stage in self.stages if stage.kind == StageKind.SCORING]

    def url(self, name: str, **kwargs) -> str:
        return reverse(name, kwargs={"slug": self.contest.slug, **kwargs})


Check = Callable[[SetupFacts], list[Gap]]
_checks: list[tuple[int, Check]] = []


def register_check(check: Check, *, order: int) -> Check:
    """Add `check` to the checklist, its gaps listed by `order` (lower first);
    registering the same function twice keeps one."""
    if all(known is not check for _order, known in _checks):
        _checks.append((order, check))
        _checks.sort(key=lambda pair: pair[0])
    return check


def setup_facts(contest: Contest) -> SetupFacts:
    stages = list(
        contest.stages.annotate(
            criterion_count=Count("criteria"), weight_total=Sum("criteria__weight")
        ).order_by("order")
    )
    return SetupFacts(
        contest=contest,
        categories=list(contest.categories.order_by("order", "name")),
        stages=stages,
        delegate_count=contest.delegates.count(),
    )


def setup_gaps(facts: SetupFacts) -> list[Gap]:
    """Every gap of the contest's set-up (`setup_facts(contest)`: the set-up page
    shows the same categories and stages), in the checks' order; empty when the
    contest is ready to open."""
    return [gap for _order, check in _checks for gap in check(facts)]


# ------------------------------------------------------------ the contest's own


def check_categories(facts: SetupFacts) -> list[Gap]:
    if facts.categories:
        return []
    return [
        Gap(
            key="no_category",
            message=_("The contest has no category: entries are made in one."),
            url=facts.url("contest:category-create"),
            action=_("Add a category"),
        )
    ]


def check_stages(facts: SetupFacts) -> list[Gap]:
    """A scoring stage to judge in, and a rubric that can score: at least one
    criterion, with weights that add up to more than 0 (each weight is above 0,
    judging.scoring.sheet_score divides by their sum; they need not add up to 100)."""
    if not facts.scoring_stages:
        return [
            Gap(
                key="no_scoring_stage",
                message=_("The contest has no scoring stage: judges score in one."),
                url=facts.url("contest:stage-create"),
                action=_("Add a stage"),
            )
        ]
    gaps = []
    for stage in facts.scoring_stages:
        rubric = facts.url("judging:rubric", stage_pk=stage.pk)
        if not stage.criterion_count:
            message = _("The stage “%(stage)s” has no criteria to score.")
        elif (stage.weight_total or Decimal(0)) <= 0:
            message = _(
                "The criteria of the stage “%(stage)s” have no weight: their "
                "weights must add up to more than 0."
            )
        else:
            continue
        gaps.append(
            Gap(
                key="rubric",
                message=message % {"stage": stage.name},
                url=rubric,
                action=_("Open the rubric"),
            )
        )
    return gaps


def _when(facts: SetupFacts, moment: dt.datetime) -> str:
    local = timezone.localtime(moment, facts.contest.tzinfo)
    return f"{date_format(local, 'j F Y, H:i')} {facts.contest.timezone_abbreviation}"


def _stage_window_gap(facts: SetupFacts, stage: Stage, message: str) -> Gap:
    return Gap(
        key="window",
        message=message,
        url=facts.url("contest:stage-edit", pk=stage.pk),
        action=_("Edit the stage"),
    )


def check_windows(facts: SetupFacts) -> list[Gap]:
    """Windows in the order the contest runs: no stage opens before submissions
    open (the stage service refuses it; a later change of the contest's window
    can bring it back), a scoring stage opens once submissions have closed, and
    each stage opens after the one before it (by order) has closed. A screening
    stage may run while submissions are still coming in."""
    contest = facts.contest
    gaps = []
    for stage in facts.stages:
        values = {"stage": stage.name, "when": _when(facts, stage.opens)}
        if stage.opens < contest.submission_opens:
            message = _(
                "The stage “%(stage)s” opens on %(when)s, before submissions open."
            )
        elif (
            stage.kind == StageKind.SCORING and stage.opens < contest.submission_closes
        ):
            message = _(
                "The scoring stage “%(stage)s” opens on %(when)s, before "
                "submissions close."
            )
        else:
            continue
        gaps.append(_stage_window_gap(facts, stage, message % values))
    for before, after in zip(facts.stages, facts.stages[1:], strict=False):
        if after.opens < before.closes:
            message = _(
                "The stage “%(after)s” opens on %(when)s, before the stage "
                "“%(before)s” closes (%(closes)s): the stages overlap."
            ) % {
                "after": after.name,
                "before": before.name,
                "when": _when(facts, after.opens),
                "closes": _when(facts, before.closes),
            }
            gaps.append(_stage_window_gap(facts, after, message))
    return gaps


def check_delegates(facts: SetupFacts) -> list[Gap]:
    if facts.delegate_count:
        return []
    return [
        Gap(
            key="no_delegates",
            message=_("No delegate is invited yet: only delegates enter innovations."),
            url=facts.url("contest:delegates"),
            action=_("Invite delegates"),
        )
    ]


register_check(check_categories, order=10)
register_check(check_stages, order=20)
register_check(check_windows, order=30)
register_check(check_delegates, order=90)
