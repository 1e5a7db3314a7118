from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import View
from django.views.generic import FormView, ListView, TemplateView
from rules.contrib.views import PermissionRequiredMixin

from common.views import (
    ContestFormMixin,
    ServiceFormMixin,
    ServicePostView,
    object_or_404,
)
from contest import selectors, services, windows
from contest.checklist import setup_facts, setup_gaps
from contest.forms import CategoryForm, ContestForm, DelegateInviteForm, StageForm
from contest.mixins import (
    ContestMixin,
    ContestPermissionMixin,
    ContestTimezoneMixin,
)
from contest.rules import is_delegate_of
from contest.timeline import contest_timeline
from notifications.enums import NotificationState
from notifications.selectors import (
    event_label,
    events_of_contest,
    notifications_of_contest,
)


def _setup_url(contest) -> str:
    return reverse("contest:setup", kwargs={"slug": contest.slug})


class LandingView(LoginRequiredMixin, View):
    """Where sign-in leads (LOGIN_REDIRECT_URL): each person to their own work. A
    person with several roles lands on the first of organizer (the contests they
    run), judge (their assignments), delegate (their entries); the menu leads to
    the others. Anyone else lands on the list of contests."""

    def get(self, request, *args, **kwargs):
        return redirect(selectors.landing_url_name(request.user))


class ContestListView(ListView):
    """The public list of announced contests."""

    template_name = "contest/contest/list.html"
    context_object_name = "contests"
    paginate_by = 20

    def get_queryset(self):
        return selectors.public_contests().order_by("-submission_opens", "name")


class ContestDetailView(ContestMixin, TemplateView):
    template_name = "contest/contest/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["categories"] = selectors.categories_of(self.contest)
        context["timeline"] = contest_timeline(self.contest, now=timezone.now())
        context["can_manage"] = self.request.user.has_perm(
            "contest.manage_contest", self.contest
        )
        context["is_delegate"] = is_delegate_of(self.request.user, self.contest)
        return context


class ManageDashboardView(LoginRequiredMixin, ListView):
    """The contests an organizer runs."""

    template_name = "contest/manage/dashboard.html"
    context_object_name = "contests"
    paginate_by = 20

    def get_queryset(self):
        return selectors.contests_managed_by(self.request.user).order_by(
            "-submission_opens", "name"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_create"] = self.request.user.has_perm("contest.create_contest")
        return context


class ContestCreateView(
    LoginRequiredMixin,
    PermissionRequiredMixin,
    ContestTimezoneMixin,
    ServiceFormMixin,
    FormView,
):
    permission_required = "contest.create_contest"
    form_class = ContestForm
    template_name = "contest/manage/contest_form.html"

    def form_valid(self, form):
        return self.save_with_service(
            form,
            lambda: services.create_contest(by=self.request.user, **form.cleaned_data),
            message=_("The contest was created. Add its categories and stages."),
            then=_setup_url,
        )


class ContestSetupView(ContestPermissionMixin, TemplateView):
    """The organizer's overview of one contest's set-up."""

    permission_required = "contest.manage_contest"
    template_name = "contest/manage/setup.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        facts = setup_facts(self.contest)
        context["categories"] = facts.categories
        context["stages"] = facts.stages
        context["timeline"] = contest_timeline(self.contest, now=timezone.now())
        context["gaps"] = setup_gaps(facts)
        return context


class WindowConfirmMixin:
    """A window moved once work has started in it is shown first, with who will
    be told, and applied only when the organizer confirms (the form keeps what
    was typed). `window_change(form)` says what the form would move."""

    confirm_field = "confirm_window_change"

    def window_change(self, form):
        raise NotImplementedError

    def unconfirmed_window(self, form) -> bool:
        change = self.window_change(form)
        if change is None or not change.affects_anyone:
            return False
        if self.request.POST.get(self.confirm_field) == "1":
            return False
        self.pending_window = change
        return True

    def get_context_data(self, **kwargs):
        kwargs.setdefault("window_change", getattr(self, "pending_window", None))
        return super().get_context_data(**kwargs)


class ContestEditView(
    WindowConfirmMixin,
    ContestPermissionMixin,
    ContestTimezoneMixin,
    ServiceFormMixin,
    FormView,
):
    permission_required = "contest.manage_contest"
    form_class = ContestForm
    template_name = "contest/manage/contest_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.contest
        return kwargs

    def window_change(self, form):
        return windows.contest_window_change(self.contest, form.cleaned_data)

    def form_valid(self, form):
        if self.unconfirmed_window(form):
            return self.render_to_response(self.get_context_data(form=form))
        data = dict(form.cleaned_data)
        return self.save_with_service(
            form,
            lambda: services.update_contest(
                contest=self.contest, by=self.request.user, data=data
            ),
            message=_("The contest was saved."),
            then=_setup_url,
        )


class _ContestChildFormView(
    ContestPermissionMixin,
    ContestTimezoneMixin,
    ContestFormMixin,
    ServiceFormMixin,
    FormView,
):
    """Create or edit a category or stage of the contest."""

    permission_required = "contest.manage_contest"
    object = None

    def get_object(self):
        return None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        self.object = self.get_object()
        if self.object is not None:
            kwargs["instance"] = self.object
        return kwargs

    def get_context_data(self, **kwargs):
        kwargs.setdefault("object", self.object)
        return super().get_context_data(**kwargs)

    def get_success_url(self):
        return reverse("contest:setup", kwargs={"slug": self.contest.slug})

    def save(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        return self.save_with_service(
            form,
            lambda: self.save(form),
            message=lambda saved: _("“%(name)s” was saved.") % {"name": saved.name},
            then=self.get_success_url(),
        )


class CategoryCreateView(_ContestChildFormView):
    form_class = CategoryForm
    template_name = "contest/manage/category_form.html"

    def save(self, form):
        return services.create_category(
            contest=self.contest, by=self.request.user, **form.cleaned_data
        )


class CategoryEditView(CategoryCreateView):
    def get_object(self):
        return object_or_404(self.contest.categories.all(), pk=self.kwargs["pk"])

    def save(self, form):
        return services.update_category(
            category=self.object, by=self.request.user, data=form.cleaned_data
        )


class StageCreateView(_ContestChildFormView):
    form_class = StageForm
    template_name = "contest/manage/stage_form.html"

    def save(self, form):
        return services.create_stage(
            contest=self.contest, by=self.request.user, **form.cleaned_data
        )


class StageEditView(WindowConfirmMixin, StageCreateView):
    def get_object(self):
        return object_or_404(self.contest.stages.all(), pk=self.kwargs["pk"])

    def window_change(self, form):
        return windows.stage_window_change(self.object, form.cleaned_data)

    def form_valid(self, form):
        if self.unconfirmed_window(form):
            return self.render_to_response(self.get_context_data(form=form))
        return super().form_valid(form)

    def save(self, form):
        return services.update_stage(
            stage=self.object, by=self.request.user, data=form.cleaned_data
        )


class DelegateListView(ContestPermissionMixin, ServiceFormMixin, FormView):
    """The contest's delegates, and a form to invite one."""

    permission_required = "contest.manage_contest"
    form_class = DelegateInviteForm
    template_name = "contest/manage/delegates.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["delegates"] = selectors.delegates_of(self.contest)
        return context

    def form_valid(self, form):
        return self.save_with_service(
            form,
            lambda: services.invite_delegate(
                contest=self.contest,
                email=form.cleaned_data["email"],
                region=form.cleaned_data["region"],
                by=self.request.user,
            ),
            message=lambda delegate: (
                _("%(email)s is a delegate of %(region)s.")
                % {"email": delegate.user.email, "region": delegate.region.name}
            ),
            then=reverse("contest:delegates", kwargs={"slug": self.contest.slug}),
        )


class DelegateRemoveView(ContestPermissionMixin, ServicePostView):
    permission_required = "contest.manage_contest"

    def post(self, request, *args, **kwargs):
        delegate = object_or_404(
            self.contest.delegates.select_related("user"), pk=kwargs["pk"]
        )
        self.run(
            lambda: services.remove_delegate(delegate=delegate, by=request.user),
            lambda _result: (
                _("%(email)s is no longer a delegate.") % {"email": delegate.user.email}
            ),
        )
        return redirect("contest:delegates", slug=self.contest.slug)


class NotificationFilterForm(forms.Form):
    """The outbox log's filters; a value that is not offered is ignored (the view
    says so)."""

    state = forms.ChoiceField(label=_lazy("State"), required=False)
    event = forms.ChoiceField(label=_lazy("Event"), required=False)

    def __init__(self, *args, events: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [
            ("", _("All states")),
            *NotificationState.choices,
        ]
        self.fields["event"].choices = [
            ("", _("All events")),
            *((event, event_label(event)) for event in events),
        ]


def _notifications_url(contest) -> str:
    return reverse("contest:notifications", kwargs={"slug": contest.slug})


class NotificationLogView(ContestPermissionMixin, ListView):
    """What the site sent (or is waiting to send, or gave up on) to whom about
    the contest, newest first, times in the contest's zone."""

    permission_required = "contest.view_notifications"
    template_name = "contest/manage/notifications.html"
    context_object_name = "notifications"
    paginate_by = 50

    def get_queryset(self):
        self.filter_form = NotificationFilterForm(
            self.request.GET or None, events=events_of_contest(self.contest.pk)
        )
        chosen = {}
        if self.filter_form.is_bound:
            if not self.filter_form.is_valid():
                ignored = ", ".join(
                    str(self.filter_form.fields[name].label)
                    for name in self.filter_form.errors
                )
                messages.warning(
                    self.request,
                    _(
                        "These filters had values that do not exist and were "
                        "ignored: %(names)s."
                    )
                    % {"names": ignored},
                )
            chosen = self.filter_form.cleaned_data
        return notifications_of_contest(
            self.contest.pk,
            state=chosen.get("state") or None,
            event=chosen.get("event") or None,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = list(context["object_list"])
        for row in rows:
            row.event_label = event_label(row.event)
        context["notifications"] = rows
        context["filter_form"] = self.filter_form
        context["filtered"] = any(
            self.request.GET.get(name) for name in self.filter_form.fields
        )
        return context


class NotificationRetryView(ContestPermissionMixin, ServicePostView):
    """Send a failed notification of the contest again, then back to the log
    (with its filters and page, when the form names them in `next`)."""

    permission_required = "contest.view_notifications"

    def post(self, request, *args, **kwargs):
        notification = object_or_404(
            notifications_of_contest(self.contest.pk), pk=kwargs["pk"]
        )
        self.run(
            lambda: services.retry_notification(
                contest=self.contest, notification=notification, by=request.user
            ),
            lambda row: (
                _("The message to %(email)s will be sent again.") % {"email": row.email}
            ),
        )
        return redirect(self._back_url())

    def _back_url(self) -> str:
        log_url = _notifications_url(self.contest)
        back = self.request.POST.get("next", "")
        if back.startswith(log_url) and url_has_allowed_host_and_scheme(
            back, allowed_hosts=None, require_https=False
        ):
            return back
        return log_url
