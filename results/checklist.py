"""Results' line of the contest's set-up checklist (contest.checklist): the
scoring stages' weights in the final score add up to more than 0. Registered from
ResultsConfig.ready(); one query."""

from __future__ import annotations

from django.utils.translation import gettext as _

from contest.checklist import Gap, SetupFacts
from results.selectors import stage_weights


def check_stage_weights(facts: SetupFacts) -> list[Gap]:
    stages = facts.scoring_stages
    if not stages or any(w > 0 for w in stage_weights(facts.contest, stages).values()):
        return []
    return [
        Gap(
            key="stage_weights",
            message=_(
                "No scoring stage counts in the final score: the stages' weights "
                "must add up to more than 0."
            ),
            url=facts.url("results:settings"),
            action=_("Set the stages' weights"),
        )
    ]
