from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce, Substr
from django.utils.translation import gettext_lazy as _
from rules.contrib.models import RulesModel

from contest.models import Category, Contest, Criterion, Delegate, Region, Stage
from contest.rules import is_contest_organizer
from judging.enums import (
    PROGRESS_TONES,
    ConflictRule,
    ConflictSource,
    Progress,
    SheetState,
)
from judging.rules import (
    can_declare_conflict,
    can_remove_assignment,
    can_reopen_sheet,
    can_score,
    can_see_peer_scores,
    can_view_conflict,
    can_view_sheet,
    can_write_sheet,
    is_organizer,
    sheet_of,
)
from submissions.models import Submission


class Judge(RulesModel):
    """A user taking part in one contest as a juror."""

    contest = models.ForeignKey(
        Contest,
        verbose_name=_("contest"),
        on_delete=models.CASCADE,
        related_name="judges",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="judge_roles",
    )
    name = models.CharField(_("name"), max_length=150, blank=True)
    home_region = models.ForeignKey(
        Region,
        verbose_name=_("home region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Entries from this region (and its province) are conflicts."),
    )
    categories = models.ManyToManyField(
        Category,
        verbose_name=_("expertise"),
        blank=True,
        related_name="judges",
    )
    panels = models.ManyToManyField(
        Category,
        verbose_name=_("panels"),
        blank=True,
        related_name="panel_judges",
        help_text=_(
            "The categories whose entries this judge scores; none means every category."
        ),
    )
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("judge")
        verbose_name_plural = _("judges")
        ordering = ["contest", "name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "user"], name="judge_unique"),
        ]
        rules_permissions = {
            "add": is_contest_organizer,
            "view": is_contest_organizer,
            "change": is_contest_organizer,
            "delete": is_contest_organizer,
        }

    def __str__(self) -> str:
        return self.name or str(self.user)


class ConflictOfInterest(RulesModel):
    """A (judge, entry) pair that must not be assigned.

    Derived conflicts follow from the regions (see judging/conflicts.py) and are kept in
    step with them by the assignment service; declared ones are entered by an organizer
    or by the judge, with a reason.
    """

    judge = models.ForeignKey(
        Judge,
        verbose_name=_("judge"),
        on_delete=models.CASCADE,
        related_name="conflicts",
    )
    submission = models.ForeignKey(
        Submission,
        verbose_name=_("entry"),
        on_delete=models.CASCADE,
        related_name="conflicts",
    )
    source = models.CharField(
        _("source"), max_length=10, choices=ConflictSource.choices
    )
    rule = models.CharField(
        _("rule"), max_length=20, choices=ConflictRule.choices, blank=True
    )
    reason = models.TextField(_("reason"), blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("declared by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        ordering = ["judge", "submission", "source"]
        constraints = [
            models.UniqueConstraint(
                fields=["judge", "submission", "source"], name="conflict_unique"
            ),
            models.CheckConstraint(
                condition=(Q(source=ConflictSource.DERIVED) & ~Q(rule=""))
                | (Q(source=ConflictSource.DECLARED) & Q(rule="")),
                name="conflict_rule_iff_derived",
            ),
        ]
        rules_permissions = {
            "view": can_view_conflict,
            "delete": is_organizer,
        }

    def __str__(self) -> str:
        return f"{self.judge} / {self.submission}"

    @property
    def reason_text(self) -> str:
        if self.source == ConflictSource.DERIVED:
            return str(ConflictRule(self.rule).label)
        return self.reason


class StageEntry(models.Model):
    """An entry taking part in a scoring stage: every eligible entry for the first
    scoring stage, then only those advanced from the stage before."""

    stage = models.ForeignKey(
        Stage,
        verbose_name=_("stage"),
        on_delete=models.CASCADE,
        related_name="stage_entries",
    )
    submission = models.ForeignKey(
        Submission,
        verbose_name=_("entry"),
        on_delete=models.CASCADE,
        related_name="stage_entries",
    )
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("stage entry")
        verbose_name_plural = _("stage entries")
        ordering = ["stage", "submission"]
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "submission"], name="stage_entry_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.submission} @ {self.stage}"


class AssignmentQuerySet(models.QuerySet):
    """Assignments with the conflict-of-interest rule as a query: the one place the
    rule of judging/conflicts.py is written in SQL, read by the predicates (through
    the rows they hold) and by the selectors alike."""

    def with_conflict_flag(self) -> AssignmentQuerySet:
        """Annotate `conflicted`: derived from the regions' province codes (the
        judge's home region or a region they are a delegate of in the contest),
        computed from the current rows, or declared. Stored derived rows are only a
        record of the rule (kept in step by sync_derived_conflicts) and never decide.
        """
        declared = ConflictOfInterest.objects.filter(
            judge_id=OuterRef("judge_id"),
            submission_id=OuterRef("submission_id"),
            source=ConflictSource.DECLARED,
        )
        delegate = Delegate.objects.annotate(province=Substr("region_id", 1, 2)).filter(
            contest_id=OuterRef("judge__contest_id"),
            user_id=OuterRef("judge__user_id"),
            province=OuterRef("entry_province"),
        )
        return self.annotate(
            judge_province=Coalesce(Substr("judge__home_region_id", 1, 2), Value("")),
            entry_province=Substr("submission__region_id", 1, 2),
        ).annotate(
            conflicted=Case(
                When(
                    Q(judge_province=F("entry_province"))
                    | Q(Exists(declared))
                    | Q(Exists(delegate)),
                    then=True,
                ),
                default=False,
                output_field=models.BooleanField(),
            ),
        )

    def without_conflict(self) -> AssignmentQuerySet:
        return self.with_conflict_flag().filter(conflicted=False)


class Assignment(RulesModel):
    """A judge asked to score one entry at one scoring stage."""

    stage = models.ForeignKey(
        Stage,
        verbose_name=_("stage"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    judge = models.ForeignKey(
        Judge,
        verbose_name=_("judge"),
        on_delete=models.RESTRICT,
        related_name="assignments",
    )
    submission = models.ForeignKey(
        Submission,
        verbose_name=_("entry"),
        on_delete=models.RESTRICT,
        related_name="assignments",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("assigned"), auto_now_add=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["stage", "submission", "judge"]
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "judge", "submission"], name="assignment_unique"
            ),
        ]
        rules_permissions = {
            "add": is_organizer,
            "view": can_view_sheet,
            "delete": can_remove_assignment,
            "score": can_score,
            # Role only: the service then checks the window and the sheet (409).
            "write": can_write_sheet,
            "see_peers": can_see_peer_scores,
            "declare_conflict": can_declare_conflict,
            "manage": is_organizer,
        }

    def __str__(self) -> str:
        return f"{self.judge} → {self.submission} ({self.stage})"

    @property
    def progress(self) -> str:
        """Not started / draft / submitted; selectors load the sheet with it."""
        sheet = sheet_of(self)
        if sheet is None:
            return Progress.NOT_STARTED
        if sheet.state == SheetState.SUBMITTED:
            return Progress.SUBMITTED
        return Progress.DRAFT

    @property
    def progress_label(self) -> str:
        return str(Progress(self.progress).label)

    @property
    def progress_tone(self) -> str:
        return PROGRESS_TONES[self.progress]


class ScoreSheet(RulesModel):
    """A judge's scores for one assignment; `version` counts its saves (optimistic
    concurrency: a save names the version it started from)."""

    assignment = models.OneToOneField(
        Assignment,
        verbose_name=_("assignment"),
        on_delete=models.CASCADE,
        related_name="sheet",
    )
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=SheetState.choices,
        default=SheetState.DRAFT,
    )
    comment = models.TextField(_("overall comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=0)
    excluded_at = models.DateTimeField(
        _("excluded from the results"), null=True, blank=True
    )
    excluded_reason = models.TextField(_("why it is excluded"), blank=True)
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)

    class Meta:
        verbose_name = _("score sheet")
        verbose_name_plural = _("score sheets")
        ordering = ["assignment"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(state=SheetState.SUBMITTED) & Q(submitted_at__isnull=False)
                )
                | (Q(state=SheetState.DRAFT) & Q(submitted_at__isnull=True)),
                name="sheet_submitted_at_iff_submitted",
            ),
        ]
        rules_permissions = {
            "view": can_view_sheet,
            "change": can_score,
            "reopen": can_reopen_sheet,
        }

    def __str__(self) -> str:
        return f"{self.assignment} [{self.state}]"

    @property
    def is_submitted(self) -> bool:
        return self.state == SheetState.SUBMITTED


class Score(models.Model):
    """One criterion's value (and comment) on a sheet; a value may be missing in a
    draft."""

    sheet = models.ForeignKey(
        ScoreSheet,
        verbose_name=_("score sheet"),
        on_delete=models.CASCADE,
        related_name="scores",
    )
    criterion = models.ForeignKey(
        Criterion,
        verbose_name=_("criterion"),
        on_delete=models.CASCADE,
        related_name="scores",
    )
    value = models.DecimalField(
        _("score"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        ordering = ["sheet", "criterion__order", "criterion_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["sheet", "criterion"], name="score_unique_per_criterion"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.value}"


class ReminderLog(models.Model):
    """One reminder e-mail to one judge about one stage on one day (so that sending the
    reminders twice on a day e-mails nobody twice)."""

    stage = models.ForeignKey(
        Stage, verbose_name=_("stage"), on_delete=models.CASCADE, related_name="+"
    )
    judge = models.ForeignKey(
        Judge, verbose_name=_("judge"), on_delete=models.CASCADE, related_name="+"
    )
    sent_on = models.DateField(_("sent on"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "judge", "sent_on"], name="reminder_once_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.judge} · {self.stage} · {self.sent_on}"


# The app's models are found here; Pack lives in its own module.
from judging.models_formats import IndicatorValidation, Slot  # noqa: E402, F401
from judging.pack_models import Pack  # noqa: E402, F401
