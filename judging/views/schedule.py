"""The schedule pages: the organizer's sessions of a scoring stage (create,
propose, apply, adjust by hand, announce) and each person's own sessions."""

from __future__ import annotations

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import FormView, TemplateView

from common.errors import DomainError
from common.views import ServiceFormMixin, ServicePostView, object_or_404
from judging import schedule_notices
from judging.forms_schedule import BookingForm, SeriesForm, SlotForm
from judging.selectors import schedule as reads
from judging.services import schedule as services
from judging.services import schedule_apply
from judging.views.manage import StageMixin


def _schedule_url(stage) -> str:
    return reverse(
        "judging:schedule", kwargs={"slug": stage.contest.slug, "stage_pk": stage.pk}
    )


def _rows(slots) -> list[dict]:
    language = translation.get_language() or "id"
    rows = []
    for slot in slots:
        rows.append(
            {
                "slot": slot,
                "judges": sorted(slot.judges.all(), key=lambda j: j.pk),
                "times": schedule_notices.times_of(slot, language),
            }
        )
    return rows


def _by_day(rows: list[dict]) -> list[tuple]:
    def day(row):
        return timezone.localtime(row["slot"].starts_at).date()

    return [(d, list(group)) for d, group in groupby(rows, key=day)]


class ScheduleView(StageMixin, TemplateView):
    """The stage's sessions by day, the forms to add them, the proposal (with
    `?propose=1`) and the announcement."""

    template_name = "judging/schedule/manage.html"
    tab = "schedule"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        slots = list(reads.slots_of_stage(self.stage))
        context["days"] = _by_day(_rows(slots))
        context["slot_count"] = len(slots)
        context["booked_count"] = sum(1 for s in slots if s.submission_id)
        context["series_form"] = SeriesForm()
        context["slot_form"] = SlotForm()
        context["to_tell"] = schedule_notices.people_to_tell(slots)
        if self.request.GET.get("propose"):
            try:
                context["proposal"] = services.propose_schedule(
                    stage=self.stage, by=self.request.user
                )
            except DomainError as exc:
                context["infeasible"] = str(exc.message)
        return context


class _CreateView(StageMixin, ServicePostView):
    """A form of the schedule page posted: the service's answer, or what is
    wrong, back on the schedule page."""

    form_class: type = SeriesForm

    def post(self, request, *args, **kwargs):
        form = self.form_class(request.POST)
        if not form.is_valid():
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                for error in errors:
                    messages.error(request, f"{label}: {error}" if label else error)
        else:
            self.run(lambda: self.save(form.cleaned_data), self.done)
        return redirect(_schedule_url(self.stage))


class SeriesCreateView(_CreateView):
    form_class = SeriesForm

    def save(self, data):
        return services.create_slot_series(
            stage=self.stage, by=self.request.user, **data
        )

    def done(self, slots) -> str:
        return ngettext(
            "%(count)d session made.", "%(count)d sessions made.", len(slots)
        ) % {"count": len(slots)}


class SlotCreateView(_CreateView):
    form_class = SlotForm

    def save(self, data):
        return services.create_slot(stage=self.stage, by=self.request.user, **data)

    def done(self, _slot) -> str:
        return _("The session was made.")


class SlotEditView(StageMixin, ServiceFormMixin, FormView):
    """A session's time, place and link, and its entry and judges by hand."""

    template_name = "judging/schedule/slot_edit.html"
    form_class = BookingForm
    tab = "schedule"

    def get_slot(self):
        if not hasattr(self, "_slot"):
            self._slot = object_or_404(
                reads.slots_of_stage(self.stage), pk=self.kwargs["pk"]
            )
        return self._slot

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        inputs = reads.schedule_inputs(self.stage)
        kwargs["entries"] = inputs.entries
        kwargs["judges"] = sorted(inputs.judges.values(), key=lambda j: str(j))
        self._entries = {e.pk: e for e in inputs.entries}
        return kwargs

    def get_initial(self):
        slot = self.get_slot()
        return {
            "starts_at": timezone.localtime(slot.starts_at),
            "ends_at": timezone.localtime(slot.ends_at),
            "place": slot.place,
            "meeting_url": slot.meeting_url,
            "submission": slot.submission_id,
            "judges": [j.pk for j in slot.judges.all()],
        }

    def get_context_data(self, **kwargs):
        kwargs.setdefault("slot", self.get_slot())
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        return self.save_with_service(
            form,
            lambda: self._save(form.cleaned_data),
            message=_("The session was saved."),
            then=_schedule_url(self.stage),
        )

    @transaction.atomic
    def _save(self, data):
        slot = services.update_slot(
            slot=self.get_slot(),
            data={k: data[k] for k in ("starts_at", "ends_at", "place", "meeting_url")},
            by=self.request.user,
        )
        return services.book_slot(
            slot=slot,
            submission=self._entries.get(data["submission"]),
            judges=data["judges"] if data["submission"] else [],
            by=self.request.user,
        )


class SlotDeleteView(StageMixin, ServicePostView):
    def post(self, request, *args, **kwargs):
        slot = object_or_404(reads.slots_of_stage(self.stage), pk=kwargs["pk"])
        self.run(
            lambda: services.delete_slot(slot=slot, by=request.user),
            lambda _result: _("The session was deleted."),
        )
        return redirect(_schedule_url(self.stage))


class SlotUnbookView(StageMixin, ServicePostView):
    def post(self, request, *args, **kwargs):
        slot = object_or_404(reads.slots_of_stage(self.stage), pk=kwargs["pk"])
        self.run(
            lambda: services.unbook_slot(slot=slot, by=request.user),
            lambda _result: _("The session is free again."),
        )
        return redirect(_schedule_url(self.stage))


class ApplyView(StageMixin, ServicePostView):
    def post(self, request, *args, **kwargs):
        self.run(
            lambda: schedule_apply.apply_schedule(stage=self.stage, by=request.user),
            lambda chosen: (
                ngettext(
                    "The schedule was applied: %(count)d entry booked.",
                    "The schedule was applied: %(count)d entries booked.",
                    len(chosen),
                )
                % {"count": len(chosen)}
            ),
        )
        return redirect(_schedule_url(self.stage))


class AnnounceView(StageMixin, ServicePostView):
    def post(self, request, *args, **kwargs):
        self.run(
            lambda: schedule_apply.announce_schedule(stage=self.stage, by=request.user),
            lambda told: (
                ngettext(
                    "The schedule was announced: %(count)d message written.",
                    "The schedule was announced: %(count)d messages written.",
                    told,
                )
                % {"count": told}
            ),
        )
        return redirect(_schedule_url(self.stage))


class MyScheduleView(LoginRequiredMixin, TemplateView):
    """The signed-in person's announced sessions, as a judge or a delegate."""

    template_name = "judging/schedule/mine.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = _rows(reads.slots_for_user(self.request.user))
        return context
