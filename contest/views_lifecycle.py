"""Pages of the contest's life beyond its set-up: contest-creator rights (for
superusers), a contest's organizers, the deletion of a category, a stage or the
contest (each after a page saying what goes with it), and the copy of a contest
for its next edition. Each page calls one service of `contest.lifecycle`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from common.errors import DomainError
from common.views import ServiceFormMixin, ServicePostView, object_or_404
from contest import lifecycle
from contest.forms_lifecycle import (
    AccountSearchForm,
    CloneForm,
    OrganizerInviteForm,
    next_edition,
)
from contest.mixins import ContestPermissionMixin

User = get_user_model()


def _setup_url(contest) -> str:
    return reverse("contest:setup", kwargs={"slug": contest.slug})


class CreatorRightsView(LoginRequiredMixin, PermissionRequiredMixin, ListView):
    """Superusers give or take the right to create contests, account by account."""

    permission_required = "contest.manage_creators"
    template_name = "contest/lifecycle/creators.html"
    context_object_name = "accounts"
    paginate_by = 50

    def get_queryset(self):
        self.search = AccountSearchForm(self.request.GET or None)
        email = ""
        if self.search.is_valid():
            email = self.search.cleaned_data["email"]
        return lifecycle.accounts_for_rights(email=email)

    def get_context_data(self, **kwargs):
        kwargs["search"] = self.search
        return super().get_context_data(**kwargs)


class CreatorRightToggleView(
    LoginRequiredMixin, PermissionRequiredMixin, ServicePostView
):
    permission_required = "contest.manage_creators"

    def post(self, request, *args, **kwargs):
        account = object_or_404(User.objects.all(), pk=kwargs["pk"])
        choice = request.POST.get("allowed")
        if choice not in ("0", "1"):  # the page's buttons send one or the other
            return HttpResponseBadRequest(
                _("Say whether the account may create contests.")
            )
        allowed = choice == "1"
        self.run(
            lambda: lifecycle.set_creator_right(
                user=account, allowed=allowed, by=request.user
            ),
            lambda user: (
                (
                    _("%(email)s may now create contests.")
                    if user.can_create_contests
                    else _("%(email)s may no longer create contests.")
                )
                % {"email": user.email}
            ),
        )
        back = request.POST.get("next", "")
        list_url = reverse("contest:creators")
        if back.startswith(list_url) and url_has_allowed_host_and_scheme(
            back, allowed_hosts=None
        ):
            return redirect(back)
        return redirect(list_url)


class OrganizerListView(ContestPermissionMixin, ServiceFormMixin, FormView):
    """The contest's organizers, and a form to invite one by e-mail."""

    permission_required = "contest.manage_organizers"
    form_class = OrganizerInviteForm
    template_name = "contest/lifecycle/organizers.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["organizers"] = list(lifecycle.organizers_of(self.contest))
        return context

    def form_valid(self, form):
        return self.save_with_service(
            form,
            lambda: lifecycle.invite_organizer(
                contest=self.contest,
                email=form.cleaned_data["email"],
                by=self.request.user,
            ),
            message=lambda row: (
                _("%(email)s is an organizer of this contest and was told by e-mail.")
                % {"email": row.user.email}
            ),
            then=reverse("contest:organizers", kwargs={"slug": self.contest.slug}),
        )


class OrganizerRemoveView(ContestPermissionMixin, ServicePostView):
    permission_required = "contest.manage_organizers"

    def post(self, request, *args, **kwargs):
        organizer = object_or_404(
            self.contest.organizers.select_related("user", "contest"), pk=kwargs["pk"]
        )
        # Decided before: the request's role cache still says "organizer" after.
        leaving = organizer.user_id == request.user.pk
        removed = self.run(
            lambda: lifecycle.remove_organizer(organizer=organizer, by=request.user),
            lambda _result: (
                _("%(email)s is no longer an organizer.")
                % {"email": organizer.user.email}
            ),
        )
        if removed and leaving and not request.user.is_superuser:
            return redirect("contest:manage")
        return redirect("contest:organizers", slug=self.contest.slug)


class _DeleteView(ContestPermissionMixin, TemplateView):
    """A confirmation page saying what goes with the object and, when it cannot be
    deleted, why; its POST deletes (the service refuses again, as on the API)."""

    permission_required = "contest.manage_contest"
    template_name = "contest/lifecycle/delete.html"
    kind = ""

    def target(self):
        raise NotImplementedError

    def deletion(self, target) -> lifecycle.Deletion:
        raise NotImplementedError

    def remove(self, target) -> None:
        raise NotImplementedError

    def done_url(self) -> str:
        return _setup_url(self.contest)

    def get_context_data(self, **kwargs):
        target = self.target()
        kwargs.setdefault("target", target)
        kwargs.setdefault("deletion", self.deletion(target))
        kwargs.setdefault("cancel_url", _setup_url(self.contest))
        kwargs.setdefault("kind", self.kind)
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        target = self.target()
        name = str(target)
        try:
            self.remove(target)
        except DomainError as exc:
            context = self.get_context_data(error=str(exc.message))
            return self.render_to_response(context, status=exc.status)
        messages.success(request, _("“%(name)s” was deleted.") % {"name": name})
        return redirect(self.done_url())


class CategoryDeleteView(_DeleteView):
    kind = "category"

    def target(self):
        return object_or_404(self.contest.categories.all(), pk=self.kwargs["pk"])

    def deletion(self, target):
        return lifecycle.category_deletion(target)

    def remove(self, target):
        lifecycle.delete_category(category=target, by=self.request.user)


class StageDeleteView(_DeleteView):
    kind = "stage"

    def target(self):
        return object_or_404(self.contest.stages.all(), pk=self.kwargs["pk"])

    def deletion(self, target):
        return lifecycle.stage_deletion(target)

    def remove(self, target):
        lifecycle.delete_stage(stage=target, by=self.request.user)


class ContestDeleteView(_DeleteView):
    kind = "contest"
    permission_required = "contest.remove_contest"

    def target(self):
        return self.contest

    def deletion(self, target):
        return lifecycle.contest_deletion(target)

    def remove(self, target):
        lifecycle.delete_contest(contest=target, by=self.request.user)

    def done_url(self) -> str:
        return reverse("contest:manage")


class ContestCloneView(ContestPermissionMixin, ServiceFormMixin, FormView):
    """Copy the contest for its next edition (set-up only, see
    `lifecycle.clone_contest`), then go to the new contest's set-up page."""

    permission_required = "contest.clone_contest"
    form_class = CloneForm
    template_name = "contest/lifecycle/clone.html"

    def get_initial(self):
        return {
            "name": next_edition(self.contest.name),
            "slug": next_edition(self.contest.slug),
        }

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["contest"] = self.contest
        return kwargs

    def form_valid(self, form):
        data = form.cleaned_data
        return self.save_with_service(
            form,
            lambda: lifecycle.clone_contest(
                contest=self.contest,
                by=self.request.user,
                name=data["name"],
                slug=data["slug"],
                shift=form.chosen_shift(),
                include_organizers=data["include_organizers"],
            ),
            message=lambda new: (
                _("“%(name)s” was created from “%(source)s”. Check its dates.")
                % {"name": new.name, "source": self.contest.name}
            ),
            then=_setup_url,
        )
