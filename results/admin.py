from django.contrib import admin

from contest.admin import ReadOnlyAdmin
from results.models import (
    AdvancementDecision,
    Award,
    Objection,
    Publication,
    ScoreBand,
    StageMinutes,
    StageWeight,
)

# Read-only: every results row changes through the results' services (audited,
# refused once the contest is frozen).
for _model in (
    StageWeight,
    ScoreBand,
    AdvancementDecision,
    StageMinutes,
    Award,
    Publication,
    Objection,
):
    admin.site.register(_model, ReadOnlyAdmin)
