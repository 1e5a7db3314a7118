"""The pages of the requests to join a contest as a region's delegate: the
asker's own (ask, follow, withdraw) and the organizers' (approve, decline)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from common.views import ServiceFormMixin, ServicePostView, object_or_404
from contest import joining
from contest.forms_joining import DeclineForm, JoinRequestForm
from contest.mixins import ContestPermissionMixin


class MyJoinRequestsView(LoginRequiredMixin, ServiceFormMixin, FormView):
    """The user's requests and their answers, and a form to ask to join a contest
    as a delegate of a region (`?contest=<slug>` chooses the contest)."""

    template_name = "contest/joining/mine.html"
    form_class = JoinRequestForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        contests = joining.contests_open_to_join(self.request.user)
        kwargs["contests"] = contests
        chosen = contests.filter(slug=self.request.GET.get("contest", "")).first()
        if chosen is not None:
            kwargs.setdefault("initial", {})["contest"] = chosen
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["requests"] = list(joining.join_requests_by(self.request.user))
        context["can_ask"] = context["form"].fields["contest"].queryset.exists()
        return context

    def form_valid(self, form):
        return self.save_with_service(
            form,
            lambda: joining.request_to_join(
                contest=form.cleaned_data["contest"],
                region=form.cleaned_data["region"],
                message=form.cleaned_data["message"],
                by=self.request.user,
            ),
            message=lambda join_request: (
                _(
                    "Your request to join %(contest)s for %(region)s is sent; the "
                    "organizers will answer by e-mail."
                )
                % {
                    "contest": join_request.contest.name,
                    "region": join_request.region.name,
                }
            ),
            then=reverse("contest:my-join-requests"),
        )

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class JoinRequestWithdrawView(LoginRequiredMixin, ServicePostView):
    def post(self, request, *args, **kwargs):
        join_request = object_or_404(
            joining.join_requests_by(request.user), pk=kwargs["pk"]
        )
        self.run(
            lambda: joining.withdraw_join_request(
                join_request=join_request, by=request.user
            ),
            lambda _result: _("Your request was withdrawn."),
        )
        return redirect("contest:my-join-requests")


class JoinRequestsView(ContestPermissionMixin, TemplateView):
    """The contest's requests to join, those waiting first, for its organizers."""

    permission_required = "contest.decide_join_requests"
    template_name = "contest/joining/manage.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        requests = list(joining.join_requests_of(self.contest))
        for item in requests:
            item.decline_form = DeclineForm(auto_id=f"decline-{item.pk}-%s")
        context["requests"] = requests
        return context


class _DecisionView(ContestPermissionMixin, ServicePostView):
    permission_required = "contest.decide_join_requests"

    def join_request(self, pk):
        return object_or_404(joining.join_requests_of(self.contest), pk=pk)

    def back(self):
        return redirect("contest:join-requests", slug=self.contest.slug)


class JoinRequestApproveView(_DecisionView):
    def post(self, request, *args, **kwargs):
        join_request = self.join_request(kwargs["pk"])
        self.run(
            lambda: joining.approve_join_request(
                join_request=join_request, by=request.user
            ),
            lambda delegate: (
                _("%(email)s is a delegate of %(region)s.")
                % {"email": delegate.user.email, "region": delegate.region.name}
            ),
        )
        return self.back()


class JoinRequestDeclineView(_DecisionView):
    def post(self, request, *args, **kwargs):
        join_request = self.join_request(kwargs["pk"])
        form = DeclineForm(request.POST)
        if not form.is_valid():
            messages.error(
                request, _("Say why the request is declined; the asker reads it.")
            )
            return self.back()
        self.run(
            lambda: joining.decline_join_request(
                join_request=join_request,
                reason=form.cleaned_data["reason"],
                by=request.user,
            ),
            lambda _result: (
                _("The request of %(email)s was declined.")
                % {"email": join_request.user.email}
            ),
        )
        return self.back()
