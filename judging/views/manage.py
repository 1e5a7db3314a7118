"""The organizers' judging pages: judges and panels, conflicts, the rubric, the
assignment, progress, reminders and reopening sheets."""

from __future__ import annotations

from functools import cached_property

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import FormView, TemplateView

from common.errors import DomainError
from common.views import (
    ContestFormMixin,
    ServiceFormMixin,
    ServicePostView,
    StageScopedMixin,
    TabMixin,
    object_or_404,
)
from contest.enums import StageKind
from contest.mixins import ContestPermissionMixin
from judging import selectors, services
from judging.enums import Progress, SheetState
from judging.forms import (
    AssignForm,
    AssignmentAddForm,
    ConflictForm,
    CriterionForm,
    JudgeEditForm,
    JudgeInviteForm,
)
from judging.rules import sheet_of
from judging.views.judge import AssignmentMixin


class ManageMixin(ContestPermissionMixin, TabMixin):
    """An organizer's judging page of the contest."""

    permission_required = "judging.manage_judging"


class StageMixin(StageScopedMixin, ManageMixin):
    """An organizer's page of one scoring stage."""

    stage_kind = StageKind.SCORING


def _page(request, queryset, per_page: int):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


class JudgingHomeView(ManageMixin, TemplateView):
    """The contest's judging: its scoring stages and where to go for each."""

    template_name = "judging/manage/home.html"
    tab = "home"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["stages"] = selectors.scoring_stages(self.contest).annotate(
            criterion_count=Count("criteria", distinct=True),
            assignment_count=Count("assignments", distinct=True),
            submitted_count=Count(
                "assignments",
                filter=Q(assignments__sheet__state=SheetState.SUBMITTED),
                distinct=True,
            ),
        )
        context["judge_count"] = self.contest.judges.count()
        return context


JUDGE_FIELDS = ("name", "home_region", "categories", "panels")


def _judge_data(form) -> dict:
    """What the invite and the edit form both give a judge."""
    return {name: form.cleaned_data[name] for name in JUDGE_FIELDS}


class PanelsView(ManageMixin, ContestFormMixin, ServiceFormMixin, FormView):
    """The contest's judges, each category's panel, and a form to invite a judge."""

    template_name = "judging/manage/panels.html"
    form_class = JudgeInviteForm
    tab = "panels"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        judges = list(selectors.judges_of(self.contest))
        context["judges"] = judges
        context["panels"] = selectors.panels_of(self.contest, judges)
        return context

    def form_valid(self, form):
        return self.save_with_service(
            form,
            lambda: services.invite_judge(
                contest=self.contest,
                email=form.cleaned_data["email"],
                by=self.request.user,
                **_judge_data(form),
            ),
            message=lambda judge: (
                _("%(email)s is a judge of this contest; an invitation is on its way.")
                % {"email": judge.user.email}
            ),
            then=reverse("judging:panels", kwargs={"slug": self.contest.slug}),
        )


class JudgeEditView(ManageMixin, ContestFormMixin, ServiceFormMixin, FormView):
    template_name = "judging/manage/judge_form.html"
    form_class = JudgeEditForm
    tab = "panels"

    @cached_property
    def judge(self):
        return object_or_404(
            self.contest.judges.select_related("user"), pk=self.kwargs["pk"]
        )

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["judge"] = self.judge
        return kwargs

    def get_context_data(self, **kwargs):
        kwargs.setdefault("judge", self.judge)
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        return self.save_with_service(
            form,
            lambda: services.update_judge(
                judge=self.judge, by=self.request.user, **_judge_data(form)
            ),
            message=lambda judge: _("“%(judge)s” was saved.") % {"judge": judge},
            then=reverse("judging:panels", kwargs={"slug": self.contest.slug}),
        )


class JudgeRemoveView(ManageMixin, ServicePostView):
    def post(self, request, *args, **kwargs):
        judge = object_or_404(
            self.contest.judges.select_related("user"), pk=kwargs["pk"]
        )
        self.run(
            lambda: services.remove_judge(judge=judge, by=request.user),
            lambda _result: _("%(judge)s is no longer a judge.") % {"judge": judge},
        )
        return redirect("judging:panels", slug=self.contest.slug)


def _conflict_message(result) -> str:
    """What declaring the conflict did to the judge's assignments and sheets."""
    text = _("The conflict of interest was recorded.")
    if result.removed:
        text += " " + ngettext(
            "%(count)d assignment without a submitted sheet was removed.",
            "%(count)d assignments without a submitted sheet were removed.",
            len(result.removed),
        ) % {"count": len(result.removed)}
    if result.kept:
        text += " " + ngettext(
            "%(count)d submitted sheet was kept but excluded from the results; "
            "give the entry another judge on the progress page.",
            "%(count)d submitted sheets were kept but excluded from the results; "
            "give the entries other judges on the progress page.",
            len(result.kept),
        ) % {"count": len(result.kept)}
    return text


def _stage_url(name: str, stage) -> str:
    return reverse(
        f"judging:{name}", kwargs={"slug": stage.contest.slug, "stage_pk": stage.pk}
    )


class ConflictsView(ManageMixin, ContestFormMixin, ServiceFormMixin, FormView):
    """The contest's conflicts of interest (derived and declared), and a form to
    declare one."""

    template_name = "judging/manage/conflicts.html"
    form_class = ConflictForm
    tab = "conflicts"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_obj"] = _page(
            self.request, selectors.conflicts_of(self.contest), 50
        )
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        return self.save_with_service(
            form,
            lambda: services.declare_conflict(
                judge=data["judge"],
                submission=data["submission"],
                reason=data["reason"],
                by=self.request.user,
            ),
            message=_conflict_message,
            then=reverse("judging:conflicts", kwargs={"slug": self.contest.slug}),
        )


class RubricView(StageMixin, ServiceFormMixin, FormView):
    """The stage's criteria, and a form to add one while no sheet is submitted."""

    template_name = "judging/manage/rubric.html"
    form_class = CriterionForm
    tab = "rubric"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["stage"] = self.stage
        return kwargs

    def get_initial(self):
        return {"order": self.stage.criteria.count() + 1, "weight": 10}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        criteria = list(selectors.criteria_of(self.stage))
        context["criteria"] = criteria
        context["total_weight"] = sum(c.weight for c in criteria)
        context["locked"] = selectors.submitted_sheet_exists(self.stage)
        return context

    def form_valid(self, form):
        return self.save_with_service(
            form,
            lambda: services.add_criterion(
                stage=self.stage, by=self.request.user, **form.service_data()
            ),
            message=lambda criterion: (
                _("“%(name)s” was added.") % {"name": criterion.name}
            ),
            then=_stage_url("rubric", self.stage),
        )


class CriterionEditView(StageMixin, ServiceFormMixin, FormView):
    template_name = "judging/manage/criterion_form.html"
    form_class = CriterionForm
    tab = "rubric"

    @cached_property
    def criterion(self):
        return object_or_404(self.stage.criteria.all(), pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["stage"] = self.stage
        kwargs["instance"] = self.criterion
        return kwargs

    def get_context_data(self, **kwargs):
        kwargs.setdefault("criterion", self.criterion)
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        return self.save_with_service(
            form,
            lambda: services.update_criterion(
                criterion=self.criterion,
                by=self.request.user,
                data=form.service_data(),
            ),
            message=lambda criterion: (
                _("“%(name)s” was saved.") % {"name": criterion.name}
            ),
            then=_stage_url("rubric", self.stage),
        )


class CriterionRemoveView(StageMixin, ServicePostView):
    def post(self, request, *args, **kwargs):
        criterion = object_or_404(self.stage.criteria.all(), pk=kwargs["pk"])
        name = criterion.name
        self.run(
            lambda: services.remove_criterion(criterion=criterion, by=request.user),
            lambda _result: _("“%(name)s” was removed.") % {"name": name},
        )
        return redirect(_stage_url("rubric", self.stage))


class AssignmentsView(StageMixin, ServiceFormMixin, FormView):
    """Run the assignment (GET shows the form and the current assignments; POST runs
    it and shows what it did: loads, conflicts avoided, shortfalls)."""

    template_name = "judging/manage/assignments.html"
    form_class = AssignForm
    tab = "assignments"
    run = None

    def get_initial(self):
        return {"judges_per_entry": self.stage.judges_per_entry}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["run"] = self.run
        if self.run is not None:
            context["run_loads"] = sorted(
                self.run.loads.items(), key=lambda item: (str(item[0]), item[0].pk)
            )
        context["add_form"] = kwargs.get("add_form") or AssignmentAddForm(
            stage=self.stage
        )
        context["page_obj"] = selectors.assignments_page_of_stage(
            self.stage, self.request.GET.get("page")
        )
        context["entry_count"] = selectors.stage_entries(self.stage).count()
        return context

    def form_valid(self, form):
        self.run = self.run_service(
            form,
            lambda: services.assign_judges(
                stage=self.stage,
                judges_per_entry=form.cleaned_data["judges_per_entry"],
                by=self.request.user,
            ),
        )
        if self.run is None:
            return self.form_invalid(form)
        messages.success(
            self.request,
            ngettext(
                "%(count)d assignment was made.",
                "%(count)d assignments were made.",
                len(self.run.created),
            )
            % {"count": len(self.run.created)},
        )
        return self.render_to_response(self.get_context_data(form=form))


class AssignmentAddView(StageMixin, ServicePostView):
    def post(self, request, *args, **kwargs):
        form = AssignmentAddForm(request.POST, stage=self.stage)
        if not form.is_valid():
            for name, errors in form.errors.items():
                for error in errors:
                    messages.error(
                        request,
                        _("%(field)s: %(error)s")
                        % {"field": form.fields[name].label, "error": error},
                    )
        else:
            judge = form.cleaned_data["judge"]
            self.run(
                lambda: services.add_assignment(
                    stage=self.stage,
                    judge=judge,
                    submission=form.cleaned_data["submission"],
                    by=request.user,
                ),
                lambda a: (
                    _("%(judge)s now scores “%(title)s”.")
                    % {"judge": judge, "title": a.submission.title}
                ),
            )
        return redirect(_stage_url("assignments", self.stage))


class AssignmentRemoveView(StageMixin, ServicePostView):
    def post(self, request, *args, **kwargs):
        assignment = object_or_404(
            self.stage.assignments.select_related("judge", "submission"),
            pk=kwargs["pk"],
        )
        self.run(
            lambda: services.remove_assignment(assignment=assignment, by=request.user),
            lambda _result: (
                _("%(judge)s no longer scores “%(title)s”.")
                % {"judge": assignment.judge, "title": assignment.submission.title}
            ),
        )
        return redirect(_stage_url("assignments", self.stage))


class ProgressView(StageMixin, TemplateView):
    """Per judge and per category: not started, draft, submitted; the entries whose
    judges disagree; reminders."""

    template_name = "judging/manage/progress.html"
    tab = "progress"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        by_judge, by_category = selectors.progress_rows(self.stage)
        context["by_judge"] = by_judge
        context["by_category"] = by_category
        flagged = selectors.flagged_page(self.stage, self.request.GET.get("page"))
        context["flagged_page"] = flagged
        context["flagged"] = flagged.object_list
        assigned = any(row.total for row in by_judge)
        context["short"] = (
            list(selectors.entries_short_of_judges(self.stage)[:50])
            if assigned
            else None
        )
        context["totals"] = {
            "total": sum(row.total for row in by_judge),
            Progress.NOT_STARTED: sum(row.not_started for row in by_judge),
            Progress.DRAFT: sum(row.draft for row in by_judge),
            Progress.SUBMITTED: sum(row.submitted for row in by_judge),
        }
        context["excluded"] = list(selectors.excluded_sheets(self.stage)[:100])
        context["late_count"] = sum(1 for row in by_judge if row.late)
        context["stage_open"] = self.stage.is_open()
        return context


class ExtraJudgeView(StageMixin, ServicePostView):
    def post(self, request, *args, **kwargs):
        submission = object_or_404(
            selectors.stage_entries(self.stage), pk=kwargs["submission_pk"]
        )
        self.run(
            lambda: services.add_extra_judge(
                stage=self.stage, submission=submission, by=request.user
            ),
            lambda a: (
                _("%(judge)s now also scores “%(title)s”.")
                % {"judge": a.judge, "title": submission.title}
            ),
        )
        return redirect(_stage_url("progress", self.stage))


class RemindView(StageMixin, ServicePostView):
    def post(self, request, *args, **kwargs):
        self.run(
            lambda: services.request_reminders(stage=self.stage, by=request.user),
            lambda count: (
                ngettext(
                    "A reminder is on its way to %(count)d judge.",
                    "Reminders are on their way to %(count)d judges.",
                    count,
                )
                % {"count": count}
                if count
                else _(
                    "No reminder was sent: every judge with sheets to submit was "
                    "already reminded today, or none has any."
                )
            ),
        )
        return redirect(_stage_url("progress", self.stage))


class ReopenSheetView(AssignmentMixin, ServicePostView):
    """An organizer sends a submitted sheet back to its judge."""

    permission_required = "judging.manage_assignment"

    def post(self, request, *args, **kwargs):
        sheet = sheet_of(self.assignment)

        def reopen():
            if sheet is None:
                raise DomainError(_("Only a submitted sheet can be reopened."))
            return services.reopen_sheet(
                sheet=sheet, by=request.user, reason=request.POST.get("reason", "")
            )

        self.run(
            reopen,
            lambda _result: (
                _("The sheet is open again for %(judge)s.")
                % {"judge": self.assignment.judge}
            ),
        )
        return redirect("judging:sheet", pk=self.assignment.pk)
