"""Judging's lines of the contest's set-up checklist (contest.checklist): each
category's panel has judges, as many as a scoring stage asks for each entry.
Registered from JudgingConfig.ready(); two queries whatever the contest's size."""

from __future__ import annotations

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from contest.checklist import Gap, SetupFacts
from judging.models import Judge


def _panel_sizes(facts: SetupFacts) -> dict[int, int]:
    """Each category's number of judges: those who chose its panel, plus those
    with no panel chosen (they sit on every one, as judging.selectors.panels_of)."""
    judges = Judge.objects.filter(contest=facts.contest)
    everywhere = judges.annotate(chosen=Count("panels")).filter(chosen=0).count()
    chosen = dict(
        Judge.panels.through.objects.filter(judge__contest=facts.contest)
        .values("category_id")
        .annotate(n=Count("judge_id"))
        .values_list("category_id", "n")
    )
    return {c.pk: everywhere + chosen.get(c.pk, 0) for c in facts.categories}


def check_panels(facts: SetupFacts) -> list[Gap]:
    if not facts.categories:
        return []
    sizes = _panel_sizes(facts)
    needed = max((s.judges_per_entry for s in facts.scoring_stages), default=1)
    url = facts.url("judging:panels")
    gaps = []
    for category in facts.categories:
        size = sizes[category.pk]
        if size == 0:
            message = _("The panel of the category “%(category)s” has no judges.") % {
                "category": category.name
            }
        elif size < needed:
            message = ngettext(
                "The panel of the category “%(category)s” has %(size)d judge; a "
                "scoring stage asks for %(needed)d per entry.",
                "The panel of the category “%(category)s” has %(size)d judges; a "
                "scoring stage asks for %(needed)d per entry.",
                size,
            ) % {"category": category.name, "size": size, "needed": needed}
        else:
            continue
        gaps.append(Gap(key="panel", message=message, url=url, action=_("Add judges")))
    return gaps
