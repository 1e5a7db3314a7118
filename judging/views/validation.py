"""The validation pages of an indicator stage: a validator's queue and the
indicators of one assigned entry with a verdict form each (htmx), the
organizers' progress, and the quality-control sample."""

from __future__ import annotations

from functools import cached_property

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from common.errors import DomainError
from common.views import StageScopedMixin
from contest.enums import StageKind
from contest.mixins import ContestPermissionMixin
from contest.rules import is_contest_organizer
from judging.enums import QualityCheck, Verdict
from judging.selectors import validation as reads
from judging.services import validation as services

MAX_ID = 2**31 - 1


def _id(value) -> int:
    value = int(value)
    if not 1 <= value <= MAX_ID:
        raise Http404
    return value


class ValidationMixin(LoginRequiredMixin, ContestPermissionMixin, StageScopedMixin):
    permission_required = "judging.validate_indicators"
    stage_kind = StageKind.INDICATOR

    @cached_property
    def is_organizer(self) -> bool:
        return is_contest_organizer.test(self.request.user, self.contest)

    def queue_url(self) -> str:
        return reverse(
            "judging:validation-queue",
            kwargs={"slug": self.contest.slug, "stage_pk": self.stage.pk},
        )

    def get_context_data(self, **kwargs):
        kwargs.setdefault("is_organizer", self.is_organizer)
        kwargs.setdefault("stage_open", self.stage.is_open())
        return super().get_context_data(**kwargs)


class ValidationQueueView(ValidationMixin, TemplateView):
    """A validator's assigned entries with their verdicts counted; for an
    organizer the stage's progress."""

    template_name = "judging/validation/queue.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        count = len(reads.indicators_of(self.stage))
        queue = list(reads.validation_queue(self.stage, self.request.user))
        for assignment in queue:
            done = assignment.n_valid + assignment.n_invalid + assignment.n_revision
            assignment.n_pending = max(count - done, 0)
        context["queue"] = queue
        if self.is_organizer:
            context["progress"] = reads.validation_progress(self.stage)
        return context


class ValidationEntryView(ValidationMixin, TemplateView):
    """One entry's indicators: the level claimed, its points, the evidence and
    the verdict form (the assigned validator, while the stage is open)."""

    template_name = "judging/validation/entry.html"

    @cached_property
    def entry(self):
        entries = reads.validation_entries(self.stage, self.request.user)
        entry = entries.filter(pk=_id(self.kwargs["submission_pk"])).first()
        if entry is None:
            raise Http404
        return entry

    @cached_property
    def can_validate(self) -> bool:
        return (
            self.stage.is_open()
            and reads.validation_queue(self.stage, self.request.user)
            .filter(submission=self.entry)
            .exists()
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            entry=self.entry,
            rows=reads.indicator_rows(self.stage, [self.entry.pk])[self.entry.pk],
            can_validate=self.can_validate,
            verdicts=[Verdict.VALID, Verdict.INVALID, Verdict.REVISION],
        )
        return context


class ValidationVerdictView(ValidationEntryView):
    """POST a verdict on one indicator; an htmx request gets the indicator's
    block back, any other is sent back to the entry's page."""

    http_method_names = ["post"]
    get = None  # POST only: the page it answers is the GET of its parent

    def post(self, request, *args, **kwargs):
        criterion = self.stage.criteria.filter(pk=_id(kwargs["criterion_pk"])).first()
        if criterion is None:
            raise Http404
        error, status = "", 200
        try:
            services.record_validation(
                stage=self.stage,
                submission=self.entry,
                criterion=criterion,
                verdict=request.POST.get("verdict", ""),
                note=request.POST.get("note", ""),
                by=request.user,
            )
        except DomainError as exc:
            error, status = exc.message, exc.status
        if request.headers.get("HX-Request"):
            rows = reads.indicator_rows(self.stage, [self.entry.pk])[self.entry.pk]
            row = next(r for r in rows if r.criterion.pk == criterion.pk)
            context = self.get_context_data(row=row, error=error)
            return self.response_class(
                request=request,
                template="judging/validation/_indicator.html",
                context=context,
                status=status,
            )
        if error:
            context = self.get_context_data(error=error)
            return self.render_to_response(context, status=status)
        messages.success(request, _("The verdict is saved."))
        return redirect(
            reverse(
                "judging:validation-entry",
                kwargs={
                    "slug": self.contest.slug,
                    "stage_pk": self.stage.pk,
                    "submission_pk": self.entry.pk,
                },
            )
        )


class QcSampleView(ValidationMixin, TemplateView):
    """The quality-control sample: drawn by an organizer (POST), each sampled
    validation confirmed or overturned by an organizer or another judge."""

    template_name = "judging/validation/qc.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sample"] = reads.qc_sample(self.stage, self.request.user)
        context["waiting"] = QualityCheck.SAMPLED
        context["verdicts"] = [Verdict.VALID, Verdict.INVALID, Verdict.REVISION]
        return context

    def post(self, request, *args, **kwargs):
        try:
            drawn = services.draw_qc_sample(stage=self.stage, by=request.user)
        except DomainError as exc:
            context = self.get_context_data(error=exc.message)
            return self.render_to_response(context, status=exc.status)
        messages.success(
            request,
            _("%(count)s validations were drawn for quality control.")
            % {"count": len(drawn)},
        )
        return redirect(request.path)


class QcReviewView(QcSampleView):
    http_method_names = ["post"]
    get = None  # POST only: the page it answers is the GET of its parent

    def post(self, request, *args, **kwargs):
        pk = _id(kwargs["pk"])
        validation = next(
            (v for v in reads.qc_sample(self.stage, request.user) if v.pk == pk), None
        )
        if validation is None:
            raise Http404
        verdict = request.POST.get("verdict") or None
        try:
            services.review_qc(
                validation=validation,
                by=request.user,
                overturn=request.POST.get("overturn") == "1",
                note=request.POST.get("note", ""),
                verdict=verdict,
            )
        except DomainError as exc:
            context = self.get_context_data(error=exc.message)
            return self.render_to_response(context, status=exc.status)
        messages.success(request, _("The check is saved."))
        return redirect(
            reverse(
                "judging:validation-qc",
                kwargs={"slug": self.contest.slug, "stage_pk": self.stage.pk},
            )
        )
