"""The public results pages, which read only a publication's snapshot: results,
gallery, verification, exports, certificates, photos, objections and each
region's feedback.
"""

from __future__ import annotations

from functools import cached_property

import rules
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from common.views import KeptPageMixin
from contest.enums import RegionType
from contest.mixins import (
    ContestMixin,
    ContestTimezoneMixin,
    ServiceFormMixin,
    object_or_404,
)
from contest.models import Region
from contest.selectors import contests_visible_to
from results import documents, exports, pdf, selectors, services
from results.forms import (
    GallerySearchForm,
    ObjectionForm,
    VerifyForm,
)
from submissions.enums import EvidenceKind
from submissions.models import Evidence

GALLERY_PAGE_SIZE = 24
# A publication never changes: its rendering is kept under its id and digest.
PUBLISHED_KEPT_SECONDS = 7 * 24 * 3600


def _read(name: str) -> bytes:
    """A small stored file's bytes (minutes, thumbnails); 404 when it is gone."""
    try:
        with default_storage.open(name, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        raise Http404 from None


def region_type_label(value: str) -> str:
    return str(RegionType(value).label) if value in RegionType.values else value


# ---------------------------------------------------------------- the public


def may_object(user, contest) -> bool:
    """The objection predicate itself (results.rules), as the service asks it: no
    shortcut for the superuser, whom the service refuses too."""
    return rules.has_perm("results.file_objection", user, contest)


class PublishedMixin(ContestMixin, ContestTimezoneMixin):
    """Loads the contest's current publication; 404 until there is one. Everything
    shown comes from its snapshot."""

    require_final = False

    @cached_property
    def published(self) -> selectors.SnapshotView:
        view = selectors.public_results(self.contest)
        if view is None or (self.require_final and not view.publication.is_final):
            raise Http404
        return view

    def get_contest_queryset(self):
        return (
            super()
            .get_contest_queryset()
            .annotate(current_publication_id=selectors.current_publication_id())
        )

    def kept_key(self) -> tuple | None:
        """What a kept rendering of the page is found by (KeptPageMixin):
        what the public pages show of the contest, and its current publication
        (which never changes once made). None before the first publication."""
        contest = self.contest
        if contest.current_publication_id is None:
            return None
        return (
            contest.pk,
            contest.slug,
            contest.name,
            contest.timezone,
            contest.current_publication_id,
        )

    def get_context_data(self, **kwargs):
        kwargs.setdefault("published", self.published)
        kwargs.setdefault("publication", self.published.publication)
        kwargs.setdefault("snapshot", self.published.snapshot)
        return super().get_context_data(**kwargs)


class PublicResultsView(KeptPageMixin, PublishedMixin, TemplateView):
    template_name = "results/public/results.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        published = self.published
        # Read from the snapshot only where its rendering is not kept yet (the
        # template calls them): a publication never changes.
        context["kept_for"] = PUBLISHED_KEPT_SECONDS
        context["winners"] = published.winners
        context["other_awards"] = published.other_awards
        context["regional"] = lambda: (
            [
                {**group, "label": group["name"]}
                for group in published.regional_clusters() or []
            ]
            or [
                {**group, "label": region_type_label(group["region_type"])}
                for group in published.regional()
            ]
        )
        context["stages"] = published.snapshot.get("stages", [])
        context["index_stages"] = published.index_stages
        regions = selectors.feedback_regions(self.request.user, self.contest)
        context["feedback_regions"] = sorted(regions)
        context["can_object"] = (
            may_object(self.request.user, self.contest)
            and selectors.open_provisional(self.contest, with_snapshot=False)
            is not None
        )
        context["objections_answered"] = lambda: [
            {**item, "entry": published.entries.get(item["entry"])}
            for item in published.snapshot.get("objections", {}).get("items", [])
            if item.get("answer")
        ]
        context["has_own_objections"] = self.request.user.is_authenticated and (
            selectors.objections_filed_by(self.request.user, self.contest).exists()
        )
        return context


class GalleryView(KeptPageMixin, PublishedMixin, TemplateView):
    """The published innovations, searched by title, region or agency, category
    and region type; read from the snapshot (constant queries)."""

    template_name = "results/public/gallery.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        published = self.published
        form = GallerySearchForm(
            self.request.GET or None, categories=published.categories
        )
        filters = form.cleaned_data if form.is_valid() else {}
        found = published.search(
            text=filters.get("q", ""),
            category=filters.get("category", ""),
            region_type=filters.get("region_type", ""),
        )
        names = {c["slug"]: c["name"] for c in published.categories}
        page = Paginator(found, GALLERY_PAGE_SIZE).get_page(
            self.request.GET.get("page")
        )
        page.object_list = [
            {**entry, "category_name": names.get(entry["category"], "")}
            for entry in page.object_list
        ]
        context["form"] = form
        context["page_obj"] = page
        return context


class VerifyView(PublishedMixin, FormView):
    """How to check a published digest, and a form that computes the digest of a
    pasted snapshot."""

    template_name = "results/public/verify.html"
    form_class = VerifyForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["ledger_entry"] = selectors.publication_ledger_entry(
            self.published.publication
        )
        return context

    def form_valid(self, form):
        digest = services.snapshot_digest(form.cleaned_data["snapshot"])
        return self.render_to_response(
            self.get_context_data(
                form=form,
                computed=digest,
                matches=digest == self.published.publication.digest,
            )
        )


class SnapshotDownloadView(PublishedMixin, View):
    """The snapshot exactly as its digest is taken: canonical JSON, UTF-8."""

    def get(self, request, *args, **kwargs):
        publication = self.published.publication
        response = HttpResponse(
            selectors.published_snapshot(publication).canonical,
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="{self.contest.slug}-{publication.kind}.json"'
        )
        response["X-Content-SHA256"] = publication.digest
        return response


class ExportView(PublishedMixin, View):
    formats = {
        "csv": ("text/csv; charset=utf-8", exports.csv_bytes),
        "xlsx": (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            exports.xlsx_bytes,
        ),
    }

    def get(self, request, *args, **kwargs):
        content_type, render = self.formats[kwargs["format"]]
        publication = self.published.publication
        response = HttpResponse(
            render(self.published.snapshot, publication.digest),
            content_type=content_type,
        )
        filename = f"hasil-{self.contest.slug}-{publication.kind}.{kwargs['format']}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


class CertificateView(PublishedMixin, View):
    """One award's certificate (PDF), from the final snapshot."""

    require_final = True

    def get(self, request, *args, **kwargs):
        snapshot = self.published.snapshot
        award = next(
            (a for a in snapshot.get("awards", []) if a["id"] == kwargs["award_id"]),
            None,
        )
        if award is None:
            raise Http404
        entry = self.published.entries.get(award["entry"]) if award["entry"] else None
        verify_url = request.build_absolute_uri(
            reverse("results:verify", kwargs={"slug": self.contest.slug})
        )
        document = documents.certificate_document(self.contest, snapshot, award)
        content = pdf.certificate_pdf(
            snapshot=snapshot,
            award=award,
            entry=entry,
            digest=self.published.publication.digest,
            verify_url=verify_url,
            number=document.number,
            place_date=document.place_date,
            signatory=document.signatory,
            signature=document.signature,
        )
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = (
            f'inline; filename="piagam-{self.contest.slug}-{award["id"]}.pdf"'
        )
        return response


class PhotoView(PublishedMixin, View):
    """The thumbnail of an entry's photo, when the publication shows it."""

    def get(self, request, *args, **kwargs):
        evidence_pk = kwargs["evidence_pk"]
        shown = {
            entry.get("photo")
            for entry in self.published.snapshot.get("entries", [])
            if entry.get("photo")
        }
        if evidence_pk not in shown:
            raise Http404
        evidence = (
            Evidence.objects.filter(
                pk=evidence_pk,
                kind=EvidenceKind.FILE,
                submission__contest=self.contest,
            )
            .exclude(thumbnail="")
            .first()
        )
        if evidence is None:
            raise Http404
        response = HttpResponse(
            _read(evidence.thumbnail.name), content_type="image/jpeg"
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "public, max-age=86400"
        return response


class ObjectionCreateView(
    LoginRequiredMixin, ContestMixin, ContestTimezoneMixin, ServiceFormMixin, FormView
):
    """A signed-in user objects to an entry of the provisional results."""

    template_name = "results/public/objection_form.html"
    form_class = ObjectionForm

    @cached_property
    def provisional(self):
        publication = selectors.open_provisional(self.contest)
        if publication is None:
            raise Http404
        return publication

    def _check_may_object(self) -> None:
        """404 without an open window; 403 for a user the objections are not
        open to (results.rules.can_file_objection)."""
        _window = self.provisional
        if not may_object(self.request.user, self.contest):
            raise PermissionDenied

    def get(self, request, *args, **kwargs):
        self._check_may_object()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self._check_may_object()
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["entries"] = self.provisional.snapshot.get("entries", [])
        initial = self.request.GET.get("entry", "")
        if initial.isdigit():
            kwargs.setdefault("initial", {})["submission"] = int(initial)
        return kwargs

    def get_context_data(self, **kwargs):
        kwargs.setdefault("provisional", self.provisional)
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        objection = self.run_service(
            form,
            lambda: services.file_objection(
                contest=self.contest,
                submission_id=form.cleaned_data["submission"],
                text=form.cleaned_data["text"],
                by=self.request.user,
            ),
        )
        if objection is None:
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Your objection is filed; the organizers will answer it in writing."),
        )
        return redirect("results:public", slug=self.contest.slug)


class MyObjectionsView(
    LoginRequiredMixin, ContestMixin, ContestTimezoneMixin, TemplateView
):
    """The objections the signed-in user filed in the contest, with the
    organizers' answers as soon as they are given."""

    template_name = "results/public/my_objections.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["objections"] = list(
            selectors.objections_filed_by(self.request.user, self.contest)
        )
        return context


class FeedbackView(PublishedMixin, LoginRequiredMixin, TemplateView):
    """A region's feedback: its scores per criterion against the category median and
    the judges' comments without their names. Only after the final publication
    (404 before, for everyone), only for the region's delegates (and the
    organizers)."""

    template_name = "results/public/feedback.html"
    require_final = True

    def dispatch(self, request, *args, **kwargs):
        self.contest = object_or_404(
            contests_visible_to(request.user), slug=kwargs["slug"]
        )
        if not selectors.is_published_finally(self.contest):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user = self.request.user
        if not user.has_perm("results.read_feedback", self.contest):
            raise Http404
        region = object_or_404(Region.objects.all(), pk=self.kwargs["code"])
        if not user.has_perm("results.read_region_feedback", (self.contest, region)):
            raise Http404
        context = super().get_context_data(**kwargs)
        context["region"] = region
        context["feedback"] = selectors.feedback_for_region(
            self.contest, region, self.published.publication
        )
        names = {c["slug"]: c["name"] for c in self.published.categories}
        for item in context["feedback"]:
            item.category_name = names.get(item.entry["category"], "")
        return context
