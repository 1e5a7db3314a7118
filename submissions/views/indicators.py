"""The delegate's page of an entry's indicators in one indicator stage: a level
and a note per indicator, its evidence, and the validator's verdict."""

from __future__ import annotations

from functools import cached_property

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from common.errors import DomainError
from common.views import object_or_404
from contest.enums import StageKind
from submissions import services
from submissions.rules import allows
from submissions.selectors_indicators import answer_rows
from submissions.services.indicators import save_indicator_answers
from submissions.views.mixins import EntryMixin


def indicators_url(submission, stage) -> str:
    return reverse(
        "submissions:indicators",
        kwargs={
            "slug": submission.contest.slug,
            "pk": submission.pk,
            "stage_pk": stage.pk,
        },
    )


class _StageMixin(EntryMixin):
    permission_required = "submissions.view_indicators"

    @cached_property
    def stage(self):
        stages = self.contest.stages.filter(kind=StageKind.INDICATOR)
        return object_or_404(stages, pk=self.kwargs["stage_pk"])

    def check_delegate(self) -> None:
        if not allows(
            self.request.user, "submissions.answer_indicators", self.submission
        ):
            raise PermissionDenied


class EntryIndicatorsView(_StageMixin, TemplateView):
    template_name = "submissions/indicators/answer.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = answer_rows(self.submission, self.stage)
        context.update(
            stage=self.stage,
            rows=rows,
            can_answer=allows(
                self.request.user, "submissions.answer_indicators", self.submission
            ),
            any_editable=any(row.editable for row in rows),
        )
        return context

    def post(self, request, *args, **kwargs):
        self.check_delegate()
        answers = []
        for row in answer_rows(self.submission, self.stage):
            level = request.POST.get(f"level-{row.criterion.pk}", "").strip()
            if not row.editable or not level:
                continue
            # Anything but a small whole number goes on as it is: the service
            # refuses it naming `level`.
            if level.isascii() and level.isdecimal() and len(level) <= 4:
                level = int(level)
            answers.append(
                {
                    "criterion": row.criterion.pk,
                    "level": level,
                    "note": request.POST.get(f"note-{row.criterion.pk}", ""),
                }
            )
        try:
            save_indicator_answers(
                submission=self.submission, answers=answers, by=request.user
            )
        except DomainError as exc:
            context = self.get_context_data(error=exc.message)
            return self.render_to_response(context, status=exc.status)
        messages.success(request, _("Your answers are saved."))
        return redirect(indicators_url(self.submission, self.stage))


class IndicatorEvidenceView(EntryIndicatorsView):
    """Attach a link or a file to one indicator (the evidence services' checks)."""

    http_method_names = ["post"]
    get = None  # POST only: the page it answers is the GET of its parent

    def post(self, request, *args, **kwargs):
        self.check_delegate()
        criterion = object_or_404(self.stage.criteria.all(), pk=kwargs["criterion_pk"])
        upload = request.FILES.get("file")
        try:
            if upload is not None:
                services.add_evidence_file(
                    submission=self.submission,
                    file=upload,
                    by=request.user,
                    title=request.POST.get("title", ""),
                    criterion=criterion,
                )
            else:
                services.add_evidence_link(
                    submission=self.submission,
                    url=request.POST.get("url", ""),
                    title=request.POST.get("title", ""),
                    by=request.user,
                    criterion=criterion,
                )
        except DomainError as exc:
            context = self.get_context_data(error=exc.message)
            return self.render_to_response(context, status=exc.status)
        messages.success(request, _("The evidence is attached."))
        return redirect(indicators_url(self.submission, self.stage))
