from django.contrib import admin

from contest.admin import ReadOnlyAdmin
from results.models import (
    AdvancementDecision,
    Award,
    Objection,
    Publication,
    ResultsDocuments,
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
    Award,
    Publication,
    Objection,
    ResultsDocuments,
):
    admin.site.register(_model, ReadOnlyAdmin)


@admin.register(StageMinutes)
class StageMinutesAdmin(ReadOnlyAdmin):
    """The minutes' record without a link to the stored file: the file is the
    organizers', served by the permission-checked minutes view, and a storage
    link (on S3, a signed one) must not reach any page."""

    exclude = ["file"]
