"""Files prepared for offline judging: asking for an entry's PDF (from its scoring
page) or a stage's ZIP for one category, watching the progress, downloading."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from common.errors import DomainError
from common.views import object_or_404
from contest.models import Category, Stage
from judging import packs as services
from judging import selectors
from judging.enums import PackKind, PackState
from judging.models import Judge, Pack
from judging.selectors.packs import packs_of_user, packs_visible_to, zip_choices

logger = logging.getLogger(__name__)


def pack_for(user, pk: int) -> Pack:
    """A pack the user may read: 404 when they may not know of it, 403 when it is
    theirs but no longer in their reach (a conflict declared since)."""
    pack = object_or_404(packs_visible_to(user), pk=pk)
    if not user.has_perm("judging.view_pack", pack):
        raise PermissionDenied
    return pack


def file_gone_message() -> str:
    return _("This file is no longer kept. Ask for it again.")


class PackFileGone(Http404):
    """The pack was built but its file cannot be read any more (deleted, or the
    storage fails): the page and the API answer 404 in words."""


def pack_file_response(pack: Pack) -> FileResponse:
    """The pack's file as an attachment, never cached; 404 until it is built,
    PackFileGone when the storage no longer gives it (any storage error: S3
    answers a missing file with its own)."""
    if pack.state != PackState.DONE or not pack.file:
        raise Http404
    try:
        handle = default_storage.open(pack.file.name, "rb")
    except Exception:
        logger.warning("pack %s: its file could not be opened", pack.pk, exc_info=True)
        raise PackFileGone(file_gone_message()) from None
    content_type = (
        "application/pdf" if pack.kind == PackKind.ENTRY_PDF else "application/zip"
    )
    response = FileResponse(
        handle, as_attachment=True, filename=pack.filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def stage_zip_scope(user, stage: Stage) -> Judge | None:
    """Whose entries a stage's ZIP asked for by `user` holds: all of them for the
    contest's organizers (None), else the user's own as the contest's judge."""
    if user.has_perm("judging.manage_judging", stage.contest):
        return None
    judge = Judge.objects.filter(contest_id=stage.contest_id, user_id=user.pk).first()
    if judge is None:
        raise PermissionDenied
    return judge


def packs_page(request, *, error=None, status=200):
    return render(
        request,
        "judging/pack/list.html",
        {
            "packs": packs_of_user(request.user),
            "choices": zip_choices(request.user),
            "error": error,
        },
        status=status,
    )


def prepared_message(pack: Pack) -> str:
    if pack.state == PackState.DONE:
        return _("Your file is ready.")
    return _("Your file is being prepared.")


class PacksView(LoginRequiredMixin, View):
    """The user's prepared files, and the form asking for a stage's ZIP."""

    template_name = "judging/pack/list.html"

    def get(self, request, *args, **kwargs):
        return self.render_page()

    def render_page(self, error=None, status=200):
        return packs_page(self.request, error=error, status=status)

    def post(self, request, *args, **kwargs):
        stage_pk, _sep, category_pk = request.POST.get("scope", "").partition(":")
        if not (stage_pk.isdigit() and category_pk.isdigit()):
            return self.render_page(_("Choose a stage and a category."), status=400)
        stage = Stage.objects.select_related("contest").filter(pk=stage_pk).first()
        category = Category.objects.filter(pk=category_pk).first()
        if stage is None or category is None:
            return self.render_page(_("Choose a stage and a category."), status=400)
        if not request.user.has_perm("judging.request_stage_zip", stage):
            raise Http404
        try:
            pack = services.request_stage_zip(
                stage=stage,
                category=category,
                judge=stage_zip_scope(request.user, stage),
                by=request.user,
            )
        except DomainError as exc:
            return self.render_page(str(exc.message), status=exc.status)
        messages.success(request, prepared_message(pack))
        return redirect("judging:pack", pk=pack.pk)


class EntryPackView(LoginRequiredMixin, View):
    """Ask for the printable PDF of an assignment's entry (POST)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        assignment = object_or_404(
            selectors.assignments_visible_to(request.user), pk=kwargs["pk"]
        )
        entry = assignment.submission
        if not request.user.has_perm("judging.request_entry_pdf", entry):
            raise PermissionDenied
        try:
            pack = services.request_entry_pdf(submission=entry, by=request.user)
        except DomainError as exc:
            return packs_page(request, error=str(exc.message), status=exc.status)
        messages.success(request, prepared_message(pack))
        return redirect("judging:pack", pk=pack.pk)


class PackView(LoginRequiredMixin, View):
    """One pack: its progress (the htmx poll asks for the partial alone) and, when
    ready, its download."""

    template_name = "judging/pack/detail.html"
    partial_name = "judging/pack/_progress.html"

    def get(self, request, *args, **kwargs):
        pack = pack_for(request.user, kwargs["pk"])
        template = self.partial_name if request.htmx else self.template_name
        return render(request, template, {"pack": pack})


class PackFileView(LoginRequiredMixin, View):
    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        pack = pack_for(request.user, kwargs["pk"])
        try:
            return pack_file_response(pack)
        except PackFileGone as exc:
            context = {"pack": pack, "file_error": str(exc)}
            return render(request, PackView.template_name, context, status=404)
