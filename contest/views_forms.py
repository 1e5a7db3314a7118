"""The organizer's pages of the contest's entry form (contest.entry_forms): the
list of questions with their order, adding, editing and deleting one."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from common.errors import DomainError
from common.views import ServiceFormMixin, ServicePostView, object_or_404
from contest import entry_forms
from contest.forms_entry_forms import QuestionForm
from contest.mixins import ContestPermissionMixin


def _list_url(contest) -> str:
    return reverse("contest:questions", kwargs={"slug": contest.slug})


class QuestionListView(ContestPermissionMixin, TemplateView):
    permission_required = "contest.manage_contest"
    template_name = "contest/manage/questions.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        questions = list(entry_forms.questions_of(self.contest))
        context["questions"] = questions
        context["last"] = len(questions)
        return context


class QuestionCreateView(ContestPermissionMixin, ServiceFormMixin, FormView):
    permission_required = "contest.manage_contest"
    form_class = QuestionForm
    template_name = "contest/manage/questions_form.html"
    object = None

    def get_object(self):
        return None

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["contest"] = self.contest
        self.object = self.get_object()
        if self.object is not None:
            kwargs["instance"] = self.object
        return kwargs

    def get_context_data(self, **kwargs):
        kwargs.setdefault("object", self.object)
        return super().get_context_data(**kwargs)

    def save(self, form):
        return entry_forms.create_question(
            contest=self.contest, by=self.request.user, **form.service_data()
        )

    def form_valid(self, form):
        return self.save_with_service(
            form,
            lambda: self.save(form),
            message=lambda saved: _("“%(name)s” was saved.") % {"name": saved.label},
            then=_list_url(self.contest),
        )


class QuestionEditView(QuestionCreateView):
    def get_object(self):
        return object_or_404(self.contest.questions.all(), pk=self.kwargs["pk"])

    def save(self, form):
        return entry_forms.update_question(
            question=self.object, by=self.request.user, data=form.service_data()
        )


class QuestionDeleteView(ContestPermissionMixin, TemplateView):
    """A confirmation page; its POST deletes (refused once entries answered)."""

    permission_required = "contest.manage_contest"
    template_name = "contest/manage/questions_delete.html"

    def target(self):
        return object_or_404(self.contest.questions.all(), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        target = kwargs.setdefault("target", self.target())
        kwargs.setdefault("answers", target.answers.count())
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        target = self.target()
        name = target.label
        try:
            entry_forms.delete_question(question=target, by=request.user)
        except DomainError as exc:
            context = self.get_context_data(target=target, error=str(exc.message))
            return self.render_to_response(context, status=exc.status)
        messages.success(request, _("“%(name)s” was deleted.") % {"name": name})
        return redirect(_list_url(self.contest))


class QuestionMoveView(ContestPermissionMixin, ServicePostView):
    """Move one question up or down (`direction`: "up" or "down")."""

    permission_required = "contest.manage_contest"

    def post(self, request, *args, **kwargs):
        ids = list(entry_forms.questions_of(self.contest).values_list("pk", flat=True))
        pk = kwargs["pk"]
        if pk not in ids:
            return redirect(_list_url(self.contest))
        at = ids.index(pk)
        to = at - 1 if request.POST.get("direction") == "up" else at + 1
        if 0 <= to < len(ids):
            ids[at], ids[to] = ids[to], ids[at]
        self.run(
            lambda: entry_forms.reorder_questions(
                contest=self.contest, by=request.user, order=ids
            ),
            lambda _result: _("The order was saved."),
        )
        return redirect(_list_url(self.contest))
