"""A contest's own e-mail texts: an organizer rewrites the subject and plain-text
body of an event's mail in one language, previews it with sample data, and can
restore the site's default (the row deleted). Each save and restore is recorded
in the ledger here, as the notifications app knows no contest.

The text is checked when saved (`notifications.overrides.check_source`: no tag
that loads, includes, extends or prints the context, and it must compile) and
again when a notification is rendered with it."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.errors import DomainError
from contest import ledger
from contest.models import Contest
from judging.services._common import _guard
from notifications.events import EVENTS, Event
from notifications.models import TemplateOverride
from notifications.overrides import check_source
from notifications.rendering import Rendered, render_text

SUBJECT_MAX = 250
BODY_MAX = 10000


def _require_template_editor(contest: Contest, by) -> None:
    if by is None or not by.has_perm("judging.edit_templates", contest):
        raise DomainError(
            _("Only the contest's organizers may change its e-mails."), status=403
        )


def editable_event_of(event: str, language: str) -> Event:
    """The event an organizer may rewrite, in a language of the site; 404 for
    anything else (an account's mail, a made-up name)."""
    if event not in EVENTS or language not in dict(settings.LANGUAGES):
        raise DomainError(_("This e-mail cannot be changed."), status=404)
    return EVENTS[event]


def _check(subject: str, body: str) -> tuple[str, str]:
    """The texts, each checked, a field error naming the one that fails."""
    subject = " ".join(subject.split())
    body = body.replace("\r\n", "\n").strip()
    for field, text, most in (
        ("subject", subject, SUBJECT_MAX),
        ("body", body, BODY_MAX),
    ):
        if not text:
            raise DomainError(_("This field is required."), field=field)
        if len(text) > most:
            raise DomainError(_("At most %(n)s characters.") % {"n": most}, field=field)
        try:
            check_source(text)
        except ValidationError as exc:
            raise DomainError(exc.messages[0], field=field) from exc
    return subject, body + "\n"


def preview_template(*, event: str, language: str, subject: str, body: str) -> Rendered:
    """The mail `subject` and `body` would make for the event's sample data."""
    spec = editable_event_of(event, language)
    subject, body = _check(subject, body)
    try:
        return render_text(
            subject=subject,
            body=body,
            context=spec.sample_context(),
            language=language,
        )
    except Exception as exc:  # a filter's own error on the sample data
        raise DomainError(
            _("The text cannot be rendered: %(error)s") % {"error": exc},
            field="body",
        ) from exc


@transaction.atomic
def save_template(
    *, contest: Contest, event: str, language: str, subject: str, body: str, by
) -> TemplateOverride:
    """Write (or replace) the contest's text of the event in the language; the
    next notifications of that event use it. The text is first rendered with
    the event's sample data, so one that fails there is refused (a field
    error). Refused on a frozen contest; the ledger keeps the text saved."""
    _require_template_editor(contest, by)
    editable_event_of(event, language)
    _guard(contest)
    preview_template(event=event, language=language, subject=subject, body=body)
    subject, body = _check(subject, body)
    row, created = TemplateOverride.objects.update_or_create(
        contest_id=contest.pk,
        event=event,
        language=language,
        defaults={
            "subject": subject,
            "body": body,
            "updated_by": by,
            "updated_at": timezone.now(),
        },
    )
    ledger.record(
        action="template.saved",
        obj=contest,
        by=by,
        contest=contest,
        data={
            "event": event,
            "language": language,
            "created": created,
            "subject": subject,
            "body": body,
        },
    )
    return row


@transaction.atomic
def restore_default_template(
    *, contest: Contest, event: str, language: str, by
) -> bool:
    """Delete the contest's text of the event in the language (the site's text is
    used again); False when there was none. Refused on a frozen contest."""
    _require_template_editor(contest, by)
    editable_event_of(event, language)
    _guard(contest)
    deleted, _rows = TemplateOverride.objects.filter(
        contest_id=contest.pk, event=event, language=language
    ).delete()
    if deleted:
        ledger.record(
            action="template.restored",
            obj=contest,
            by=by,
            contest=contest,
            data={"event": event, "language": language},
        )
    return bool(deleted)
