"""The organizers' messages to a contest's people (write, preview, send, the log)
and the contest's own e-mail texts (list, edit with a preview, restore)."""

from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import FormView, TemplateView

from common.errors import DomainError
from common.views import ContestFormMixin, ServiceFormMixin, ServicePostView
from contest.mixins import ContestPermissionMixin
from judging.forms_messages import MessageForm, TemplateForm
from judging.selectors.messages import template_overrides_of
from judging.services import messages as message_services
from judging.services import templates as template_services
from notifications.events import EVENTS
from notifications.messages import messages_of_contest, recipients_of
from notifications.models import TemplateOverride
from notifications.overrides import text_to_html
from notifications.rendering import default_source


def _page(request, queryset, per_page: int):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


class MessagesView(
    ContestPermissionMixin, ContestFormMixin, ServiceFormMixin, FormView
):
    """Write to a group: "Preview" shows how many it reaches (and the first
    addresses) with the text as it will go; "Send" sends what was previewed,
    and a changed text or group is shown again instead. Below: what was sent."""

    permission_required = "judging.send_messages"
    template_name = "judging/messages/messages.html"
    form_class = MessageForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_obj"] = _page(
            self.request, messages_of_contest(self.contest.pk), 20
        )
        context["tab"] = "messages"
        return context

    def form_valid(self, form):
        audience = self.run_service(form, lambda: self._audience(form))
        if audience is None:
            return self.form_invalid(form)
        if self.request.POST.get("step") == "send" and form.is_previewed():
            return self._send(form, audience)
        return self._preview(form, audience)

    def _audience(self, form):
        data = form.cleaned_data
        return message_services.audience_of(
            contest=self.contest,
            group=data["group"],
            stage_id=data["stage"].pk if data.get("stage") else None,
            category_id=data["category"].pk if data.get("category") else None,
        )

    def _preview(self, form, audience, note: str = ""):
        preview = self.run_service(
            form,
            lambda: message_services.preview_message(
                audience=audience, by=self.request.user
            ),
        )
        if preview is None:
            return self.form_invalid(form)
        data = form.data.copy()
        data["previewed"] = form.fingerprint()
        data["expected_count"] = preview.count
        form = self.get_form_class()(data, contest=self.contest)
        form.is_valid()
        return self.render_to_response(
            self.get_context_data(form=form, preview=preview, note=note)
        )

    def _send(self, form, audience):
        try:
            message = message_services.send_message(
                audience=audience,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                by=self.request.user,
                expected_count=form.cleaned_data.get("expected_count"),
            )
        except DomainError as exc:
            if exc.status == 409 and exc.field is None:
                return self._preview(form, audience, note=str(exc.message))
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            ngettext(
                "The message is on its way to %(n)s person.",
                "The message is on its way to %(n)s people.",
                message.recipient_count,
            )
            % {"n": message.recipient_count},
        )
        return redirect("judging:message-detail", slug=self.contest.slug, pk=message.pk)


class MessageDetailView(ContestPermissionMixin, TemplateView):
    """One message as sent, and each address with the state of its mail."""

    permission_required = "judging.send_messages"
    template_name = "judging/messages/detail.html"

    @cached_property
    def message(self):
        message = messages_of_contest(self.contest.pk).filter(pk=self.kwargs["pk"])
        message = message.first()
        if message is None:
            raise Http404
        return message

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["message"] = self.message
        context["page_obj"] = _page(self.request, recipients_of(self.message), 50)
        context["tab"] = "messages"
        return context


class TemplatesView(ContestPermissionMixin, TemplateView):
    """The e-mails an organizer may rewrite, per language: the site's text or
    the contest's own."""

    permission_required = "judging.edit_templates"
    template_name = "judging/messages/templates.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        own = template_overrides_of(self.contest)
        context["rows"] = [
            {
                "event": spec,
                "languages": [
                    {"code": code, "label": label, "own": own.get((spec.name, code))}
                    for code, label in settings.LANGUAGES
                ],
            }
            for spec in EVENTS.values()
        ]
        context["tab"] = "templates"
        return context


class TemplateMixin(ContestPermissionMixin):
    """A page about one event's text in one language (404 for an event an
    organizer may not rewrite)."""

    permission_required = "judging.edit_templates"

    @cached_property
    def event(self):
        try:
            return template_services.editable_event_of(
                self.kwargs["event"], self.kwargs["language"]
            )
        except DomainError as exc:
            raise Http404 from exc

    @property
    def language(self) -> str:
        return self.kwargs["language"]

    @cached_property
    def override(self) -> TemplateOverride | None:
        return template_overrides_of(self.contest).get((self.event.name, self.language))

    def edit_url(self) -> str:
        return reverse(
            "judging:template-edit",
            kwargs={
                "slug": self.contest.slug,
                "event": self.event.name,
                "language": self.language,
            },
        )


class TemplateEditView(TemplateMixin, ServiceFormMixin, FormView):
    """The contest's text of an event's mail: the site's text (its variables
    written out) until an organizer saves one; "Preview" renders the form's
    text with sample data, "Save" keeps it for the next mails."""

    template_name = "judging/messages/template_form.html"
    form_class = TemplateForm

    def get_initial(self):
        if self.override is not None:
            return {"subject": self.override.subject, "body": self.override.body}
        subject, body = default_source(self.event.name, self.language)
        return {"subject": subject, "body": body}

    def get_context_data(self, **kwargs):
        kwargs.setdefault("event", self.event)
        context = super().get_context_data(**kwargs)
        context["language"] = dict(settings.LANGUAGES)[self.language]
        context["override"] = self.override
        context["variables"] = sorted(self.event.sample_context().items())
        context["tab"] = "templates"
        return context

    def form_valid(self, form):
        data = {
            "event": self.event.name,
            "language": self.language,
            "subject": form.cleaned_data["subject"],
            "body": form.cleaned_data["body"],
        }
        if self.request.POST.get("step") == "save":
            return self.save_with_service(
                form,
                lambda: template_services.save_template(
                    contest=self.contest, by=self.request.user, **data
                ),
                message=_("The contest's text of this e-mail was saved."),
                then=self.edit_url(),
            )
        preview = self.run_service(
            form, lambda: template_services.preview_template(**data)
        )
        if preview is None:
            return self.form_invalid(form)
        return self.render_to_response(
            self.get_context_data(
                form=form, preview=preview, preview_html=text_to_html(preview.text)
            )
        )


class TemplateRestoreView(TemplateMixin, ServicePostView):
    """Delete the contest's text of the event: the site's text is used again."""

    def post(self, request, *args, **kwargs):
        self.run(
            lambda: template_services.restore_default_template(
                contest=self.contest,
                event=self.event.name,
                language=self.language,
                by=request.user,
            ),
            lambda restored: (
                _("The site's default text is used again.")
                if restored
                else _("This e-mail already uses the site's default text.")
            ),
        )
        return redirect(self.edit_url())
