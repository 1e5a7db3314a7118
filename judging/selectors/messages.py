"""Who an organizer's message goes to: the groups of a contest's people that
submissions and judging know of, each read with a fixed number of queries
whatever its size (one for the accounts; the count and the first addresses of a
preview are one query each). Also the contest's own e-mail texts."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from contest.models import Category, Contest, Stage
from judging.selectors.progress import late_assignments
from notifications.models import TemplateOverride
from submissions.enums import SubmissionState
from submissions.models import Submission

User = get_user_model()

# An entry still to be (re)submitted by its region.
UNSUBMITTED_STATES = (SubmissionState.DRAFT, SubmissionState.REVISION_REQUESTED)


class MessageGroup(models.TextChoices):
    DRAFTS = "drafts", _("Delegates of regions with unsubmitted entries")
    JUDGES_BEHIND = "judges_behind", _("Judges with unsubmitted score sheets")
    PARTICIPANTS = "participants", _("All participants (delegates and judges)")


@dataclass(frozen=True)
class Audience:
    """A group of the contest's people, narrowed to a stage (judges behind) and
    to a category when given."""

    contest: Contest
    group: str
    stage: Stage | None = None
    category: Category | None = None

    @property
    def label(self) -> str:
        """The group in words, as the log keeps it."""
        words = str(MessageGroup(self.group).label)
        if self.stage is not None:
            words += " · " + gettext("stage %(name)s") % {"name": self.stage.name}
        if self.category is not None:
            words += " · " + gettext("category %(name)s") % {"name": self.category.name}
        return words

    @property
    def filters(self) -> dict:
        return {
            "stage": self.stage.pk if self.stage else None,
            "category": self.category.pk if self.category else None,
        }


def _delegates_of_regions(audience: Audience, entries: QuerySet) -> QuerySet:
    """The user ids of the contest's delegates whose region has one of `entries`."""
    if audience.category is not None:
        entries = entries.filter(category=audience.category)
    theirs = entries.filter(contest=audience.contest, region_id=OuterRef("region_id"))
    return audience.contest.delegates.filter(Exists(theirs)).values("user_id")


def _judges_behind(audience: Audience) -> QuerySet:
    """The user ids of the judges with a sheet of the stage not submitted (an
    entry they are conflicted with left out)."""
    late = late_assignments([audience.stage.pk]).filter(judge_id=OuterRef("pk"))
    if audience.category is not None:
        late = late.filter(submission__category=audience.category)
    return audience.contest.judges.filter(Exists(late)).values("user_id")


def _judges_of_category(audience: Audience) -> QuerySet:
    """The user ids of the contest's judges; with a category, those on its panel
    (a judge of no panel scores every category)."""
    judges = audience.contest.judges.all()
    if audience.category is not None:
        judges = judges.filter(
            Q(panels=audience.category) | Q(panels__isnull=True)
        ).distinct()
    return judges.values("user_id")


def message_recipients(audience: Audience) -> QuerySet:
    """The active accounts with an address in `audience`, each once, by address:
    one query, whatever the group's size."""
    if audience.group == MessageGroup.DRAFTS:
        drafts = Submission.objects.filter(state__in=UNSUBMITTED_STATES)
        members = Q(pk__in=_delegates_of_regions(audience, drafts))
    elif audience.group == MessageGroup.JUDGES_BEHIND:
        members = Q(pk__in=_judges_behind(audience))
    else:
        entries = Submission.objects.exclude(state=SubmissionState.WITHDRAWN)
        members = Q(pk__in=_delegates_of_regions(audience, entries)) | Q(
            pk__in=_judges_of_category(audience)
        )
    return (
        User.objects.filter(members, is_active=True)
        .exclude(email="")
        .order_by("email", "pk")
    )


def template_overrides_of(contest: Contest) -> dict[tuple[str, str], TemplateOverride]:
    """The contest's own e-mail texts by (event, language), one query."""
    rows = TemplateOverride.objects.filter(contest_id=contest.pk).select_related(
        "updated_by"
    )
    return {(row.event, row.language): row for row in rows}
