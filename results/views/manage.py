"""The organizers' results pages: stage results, explanations, advancement,
minutes, settings, awards, objections and publication.
"""

from __future__ import annotations

from functools import cached_property

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import FormView, TemplateView

from common.errors import DomainError
from common.kept import KeptInProcess
from common.views import (
    ContestFormMixin,
    KeptPageMixin,
    ServiceFormMixin,
    ServicePostView,
    StageScopedMixin,
    TabMixin,
    object_or_404,
)
from contest import ledger
from contest.enums import StageKind
from contest.mixins import ContestPermissionMixin
from judging.selectors import scoring_stages
from results import selectors, services
from results.enums import PLACE_NAMES, PublicationKind
from results.forms import (
    AdvanceForm,
    AwardForm,
    BandFormSet,
    BulkResolveObjectionsForm,
    PlaceAwardsForm,
    ProvisionalForm,
    ResolveObjectionForm,
    StageWeightsForm,
)
from results.models import Award, Objection
from results.selectors.regional import regional_groups
from results.views.public import _read, region_type_label
from submissions.models import Submission

RESULTS_PAGE_SIZE = 200
# A rendering of the ranking is found again by everything it shows (its key).
RESULTS_KEPT_SECONDS = 24 * 3600


# ---------------------------------------------------------------- organizers


class ManageMixin(ContestPermissionMixin, TabMixin):
    """An organizer's results page of the contest."""

    permission_required = "results.manage_results"


class StageMixin(StageScopedMixin, ManageMixin):
    """An organizer's results page of one scoring stage."""

    stage_kind = StageKind.SCORING


class ResultsHomeView(ManageMixin, TemplateView):
    """The contest's results: the final standings (a preview until published),
    each scoring stage, the publications and what is left to do."""

    template_name = "results/manage/home.html"
    tab = "home"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            board = selectors.contest_standings(self.contest)
        except DomainError as exc:
            board = None
            context["board_error"] = str(exc.message)
        context["board"] = board
        context["groups"] = board.by_category() if board else []
        context["regional"] = regional_groups(
            self.contest, board, type_label=region_type_label
        )
        context["publications"] = list(selectors.publications_of(self.contest))
        context["final"] = next(
            (p for p in context["publications"] if p.is_final), None
        )
        context["provisional_open"] = selectors.open_provisional(
            self.contest, with_snapshot=False
        )
        context["pending_objections"] = selectors.pending_objection_count(self.contest)
        context["provisional_form"] = ProvisionalForm()
        return context


class StageResultsView(KeptPageMixin, StageMixin, TemplateView):
    """A stage's ranking (raw and normalized side by side), reliability, judges'
    leniency and score distributions.

    Kept whole per organizer, page and language under the ledger's head (every
    input of the page is audited: sheets, stage entries, the rubric, decisions,
    minutes, publications, judges) and whether the stage is open; the
    permission checks run on every request before the kept page is answered."""

    template_name = "results/manage/stage.html"
    tab = "stages"
    kept_for_signed_in = True
    # Organizers' pages apart from the visitors' (KeptPageMixin.kept_pages): one
    # per organizer, page and minute must not push the public pages out.
    kept_pages = KeptInProcess(32)

    def kept_key(self) -> tuple | None:
        stamp = ledger.kept_stamp()
        if stamp is None:
            return None
        return (stamp, self.stage.pk, self.stage.is_open())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        basis = self.request.GET.get("ranked_by", "")
        page = selectors.stage_page(
            self.stage,
            ranked_by=basis if basis in selectors.RANK_BASES else None,
        )
        context["page"] = page
        category = self.request.GET.get("category", "")
        chosen = int(category) if category.isdigit() and len(category) < 12 else None
        keys = page.row_keys(chosen)
        page_obj = Paginator(keys, RESULTS_PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        # Loaded only where the ranking's rendering is not kept.
        context["groups"] = SimpleLazyObject(
            lambda: page.rows_of(list(page_obj.object_list))
        )
        context["page_obj"] = page_obj
        context["kept_for"] = RESULTS_KEPT_SECONDS
        context["can_advance"] = (
            page.decision is None and page.next_stage is not None and not page.published
        )
        return context


class EntryExplainView(StageMixin, TemplateView):
    """How an entry's score at a stage comes about, sheet by sheet and criterion by
    criterion."""

    template_name = "results/manage/explain.html"
    tab = "stages"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        submission = object_or_404(
            Submission.objects.filter(contest=self.contest).select_related(
                "category", "region"
            ),
            pk=self.kwargs["submission_pk"],
        )
        explanation = selectors.explain_entry(self.stage, submission)
        if not explanation.sheets and explanation.result is None:
            raise Http404
        context["entry"] = submission
        context["explanation"] = explanation
        return context


class AdvanceView(StageMixin, ServiceFormMixin, FormView):
    """Who advances to the next stage: the cut of each category, the ties at it to
    decide, optional quotas per region type."""

    template_name = "results/manage/advance.html"
    form_class = AdvanceForm
    tab = "stages"
    ranking_url = "results:stage"

    @cached_property
    def basis(self) -> str:
        data = self.request.POST if self.request.method == "POST" else self.request.GET
        value = data.get("ranked_by", "")
        return value if value in selectors.RANK_BASES else selectors.RANK_NORMALIZED

    @cached_property
    def preview(self):
        return selectors.advancement_preview(self.stage, ranked_by=self.basis)

    def get_initial(self):
        return {**super().get_initial(), "ranked_by": self.basis}

    def dispatch(self, request, *args, **kwargs):
        self.ties = None
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["ties_for"] = self.ties_for
        return kwargs

    def ties_for(self, quotas: dict[str, int]) -> list[dict]:
        """The ties at the cut that the form's quotas give: the entries it offers
        to choose among (after a refused choice, the service's)."""
        if self.ties is not None:
            return self.ties
        if not quotas:
            return self.preview.ties
        try:
            return selectors.advancement_preview(
                self.stage, quotas=quotas, ranked_by=self.basis
            ).ties
        except DomainError:
            return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        preview = self.preview
        submissions = preview.submissions
        context["preview"] = preview
        context["advancing"] = [submissions[i] for i in preview.cut.advanced]
        context["ties"] = self.ties if self.ties is not None else preview.ties
        context["next_stage"] = selectors.next_scoring_stage(self.stage)
        context["decided"] = hasattr(self.stage, "advancement")
        context["ranking_url"] = self.ranking_url
        return context

    def advanced_message(self) -> str:
        return _(
            "The entries advanced; the minutes of %(stage)s are being written."
        ) % {"stage": self.stage.name}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.advance_stage(
                stage=self.stage,
                by=self.request.user,
                tie_break=data["tie_break"],
                quotas=data["quotas"],
                ranked_by=data["ranked_by"],
            )
        except services.UndecidedTieError as exc:
            self.ties = exc.ties
            form = self.get_form()
            form.is_valid()
            form.add_error(None, str(exc.message))
            return self.form_invalid(form)
        except DomainError as exc:
            form.add_error(
                exc.field if exc.field in form.fields else None, str(exc.message)
            )
            return self.form_invalid(form)
        messages.success(self.request, self.advanced_message())
        return redirect(
            self.ranking_url, slug=self.contest.slug, stage_pk=self.stage.pk
        )


class MinutesView(StageMixin, View):
    """GET: the newest minutes (PDF) of the stage; POST: write them again now."""

    http_method_names = ["get", "post"]

    def get(self, request, *args, **kwargs):
        minutes = self.stage.minutes.order_by("-generated_at", "-pk").first()
        if minutes is None:
            raise Http404
        response = HttpResponse(
            _read(minutes.file.name), content_type="application/pdf"
        )
        filename = f"berita-acara-{self.contest.slug}-{self.stage.order}.pdf"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "private, no-store"
        return response

    def post(self, request, *args, **kwargs):
        services.request_minutes(stage=self.stage, by=request.user)
        messages.success(
            request, _("The minutes are being written; download them in a moment.")
        )
        return redirect("results:stage", slug=self.contest.slug, stage_pk=self.stage.pk)


class SettingsView(ManageMixin, TemplateView):
    """The weight of each scoring stage in the final score, and the score bands."""

    template_name = "results/manage/settings.html"
    tab = "settings"

    @cached_property
    def stages(self):
        return list(scoring_stages(self.contest))

    def weights_form(self, data=None):
        return StageWeightsForm(
            data,
            stages=self.stages,
            weights=selectors.stage_weights(self.contest, self.stages),
            prefix="weights",
        )

    def bands_formset(self, data=None):
        initial = [
            {"threshold": threshold, "label": label}
            for threshold, label in selectors.score_bands(self.contest)
        ]
        return BandFormSet(data, initial=initial, prefix="bands")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("weights_form", self.weights_form())
        context.setdefault("bands_formset", self.bands_formset())
        context["published"] = self.contest.is_frozen
        return context

    def post(self, request, *args, **kwargs):
        weights_form = self.weights_form(request.POST)
        bands_formset = self.bands_formset(request.POST)
        status = 400
        if weights_form.is_valid() and bands_formset.is_valid():
            try:
                services.set_results_settings(
                    contest=self.contest,
                    weights=weights_form.weights() if self.stages else {},
                    bands=bands_formset.bands(),
                    by=request.user,
                )
            except DomainError as exc:
                status = exc.status
                messages.error(request, str(exc.message))
            else:
                messages.success(request, _("The results settings are saved."))
                return redirect("results:settings", slug=self.contest.slug)
        # Sent back with its errors: 400 for bad input, the service's status for
        # a refusal (409 once the contest is frozen).
        return self.render_to_response(
            self.get_context_data(
                weights_form=weights_form, bands_formset=bands_formset
            ),
            status=status,
        )


class AwardsView(ManageMixin, ContestFormMixin, ServiceFormMixin, FormView):
    template_name = "results/manage/awards.html"
    form_class = AwardForm
    tab = "awards"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["awards"] = list(selectors.awards_of(self.contest))
        context["places_form"] = PlaceAwardsForm()
        context["place_names"] = PLACE_NAMES
        context["published"] = self.contest.is_frozen
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        return self.save_with_service(
            form,
            lambda: services.assign_award(
                contest=self.contest,
                name=data["name"],
                kind=data["kind"],
                submission=data.get("submission"),
                region=data.get("region"),
                rank=data.get("rank"),
                cluster=data.get("cluster"),
                by=self.request.user,
            ),
            message=lambda award: _("“%(name)s” is given.") % {"name": award},
            then=reverse("results:awards", kwargs={"slug": self.contest.slug}),
        )


class PlaceAwardsView(ManageMixin, ServicePostView):
    def post(self, request, *args, **kwargs):
        form = PlaceAwardsForm(request.POST)
        places = form.cleaned_data["places"] if form.is_valid() else 3

        def success(report) -> str:
            text = ngettext(
                "%(count)d award given.", "%(count)d awards given.", len(report.created)
            ) % {"count": len(report.created)}
            if report.tied_categories:
                text += " " + _("Ties to decide by hand in: %(categories)s.") % {
                    "categories": ", ".join(c.name for c in report.tied_categories)
                }
            return text

        self.run(
            lambda: services.give_place_awards(
                contest=self.contest, by=request.user, places=places
            ),
            success,
        )
        return redirect("results:awards", slug=self.contest.slug)


class AwardRemoveView(ManageMixin, ServicePostView):
    def post(self, request, *args, **kwargs):
        award = object_or_404(
            Award.objects.filter(contest=self.contest), pk=kwargs["pk"]
        )
        self.run(
            lambda: services.remove_award(award=award, by=request.user),
            lambda _result: _("The award is removed."),
        )
        return redirect("results:awards", slug=self.contest.slug)


class ObjectionsView(ManageMixin, TemplateView):
    template_name = "results/manage/objections.html"
    tab = "objections"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        objections = list(selectors.objections_of(self.contest))
        for objection in objections:
            objection.form = ResolveObjectionForm(prefix=f"objection-{objection.pk}")
        context["objections"] = objections
        context["published"] = self.contest.is_frozen
        pending = [o for o in objections if not o.is_resolved]
        context["bulk_form"] = (
            BulkResolveObjectionsForm(objections=pending, prefix="bulk")
            if len(pending) > 1
            else None
        )
        return context


class ObjectionBulkResolveView(ManageMixin, ServicePostView):
    """One written answer to several objections at once."""

    def post(self, request, *args, **kwargs):
        pending = [
            o for o in selectors.objections_of(self.contest) if not o.is_resolved
        ]
        form = BulkResolveObjectionsForm(
            request.POST, objections=pending, prefix="bulk"
        )
        if not form.is_valid():
            messages.error(
                request,
                _("Tick the objections, choose a decision and write the answer."),
            )
        else:
            data = form.cleaned_data
            self.run(
                lambda: services.resolve_objections(
                    contest=self.contest,
                    objection_ids=data["objections"],
                    outcome=data["outcome"],
                    answer=data["answer"],
                    by=request.user,
                ),
                lambda answered: (
                    ngettext(
                        "%(count)d objection is answered.",
                        "%(count)d objections are answered.",
                        len(answered),
                    )
                    % {"count": len(answered)}
                ),
            )
        return redirect("results:objections", slug=self.contest.slug)


class ObjectionResolveView(ManageMixin, ServicePostView):
    def post(self, request, *args, **kwargs):
        objection = object_or_404(
            Objection.objects.filter(publication__contest=self.contest),
            pk=kwargs["pk"],
        )
        form = ResolveObjectionForm(request.POST, prefix=f"objection-{objection.pk}")
        if not form.is_valid():
            messages.error(request, _("Choose a decision and write the answer."))
        else:
            self.run(
                lambda: services.resolve_objection(
                    objection=objection,
                    outcome=form.cleaned_data["outcome"],
                    answer=form.cleaned_data["answer"],
                    by=request.user,
                ),
                lambda _result: _("The objection is answered."),
            )
        return redirect("results:objections", slug=self.contest.slug)


class PublishView(ManageMixin, ServicePostView):
    """POST kind=provisional (with objections_close) or kind=final. A provisional
    window closing before the one already announced is published only once the
    organizer confirms it on the page this answers then."""

    def publish_provisional(self, form: ProvisionalForm) -> HttpResponse:
        data = form.cleaned_data
        try:
            publication = services.publish_provisional(
                contest=self.contest,
                by=self.request.user,
                objections_close=data["objections_close"],
                objections_open_to_all=data["objections_open_to_all"],
                confirm_shorter_window=data["confirm_shorter_window"],
            )
        except DomainError as exc:
            if exc.field != "confirm_shorter_window":
                messages.error(self.request, str(exc.message))
                return redirect("results:manage", slug=self.contest.slug)
            return TemplateResponse(
                self.request,
                "results/manage/confirm_window.html",
                {
                    "contest": self.contest,
                    "reason": str(exc.message),
                    "objections_close": form.data.get("objections_close", ""),
                    "objections_open_to_all": data["objections_open_to_all"],
                },
            )
        messages.success(
            self.request,
            _("The provisional results are published (digest %(digest)s).")
            % {"digest": publication.digest},
        )
        return redirect("results:manage", slug=self.contest.slug)

    def post(self, request, *args, **kwargs):
        if request.POST.get("kind") == PublicationKind.PROVISIONAL:
            form = ProvisionalForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Give the date the objections close."))
                return redirect("results:manage", slug=self.contest.slug)
            return self.publish_provisional(form)
        self.run(
            lambda: services.publish_contest(contest=self.contest, by=request.user),
            lambda publication: (
                _(
                    "The results are published (digest %(digest)s); the contest "
                    "is frozen and now listed publicly."
                )
                % {"digest": publication.digest}
            ),
        )
        return redirect("results:manage", slug=self.contest.slug)
