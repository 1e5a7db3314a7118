"""A notification's text: its event's templates rendered in the recipient's
language, plain text and HTML (templates/notifications/email/<event>/), or the
contest's own text for the event and language when an organizer wrote one
(`TemplateOverride`, see `overrides`), in the same mail frame."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template import TemplateDoesNotExist, engines
from django.template.loader import render_to_string
from django.utils import translation

from notifications.events import EVENTS
from notifications.models import Notification, TemplateOverride
from notifications.overrides import render_source, text_to_html

logger = logging.getLogger(__name__)
BASE = "notifications/email/base.html"


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def template_folder(event: str) -> str:
    return f"notifications/email/{event.replace('.', '/')}"


# Links made when the mail is sent, for its recipient alone (see _links).
RECIPIENT_ONLY = frozenset({"set_password_url"})


def _links(data: dict) -> dict:
    """Links made when the mail is sent, never stored in the row: the link to set
    a password (`set_password_user`: the account's id) is a live token."""
    from accounts.models import User
    from accounts.services import password_set_url

    links = {}
    if data.get("set_password_user"):
        user = User.objects.filter(pk=data["set_password_user"]).first()
        links["set_password_url"] = password_set_url(user) if user else ""
    return links


def override_of(notification: Notification) -> TemplateOverride | None:
    """The contest's own text for the notification's event and language, if any
    (only events an organizer may rewrite: `events.EVENTS`)."""
    if notification.contest_id is None or notification.event not in EVENTS:
        return None
    return TemplateOverride.objects.filter(
        contest_id=notification.contest_id,
        event=notification.event,
        language=notification.language or settings.LANGUAGE_CODE,
    ).first()


def render(notification: Notification) -> Rendered:
    """The subject and bodies of `notification` in its language: the contest's
    own text when there is one that passes its checks and renders, else the
    site's (a broken text of a contest never stops its mail)."""
    context = {
        **notification.context,
        **_links(notification.context),
        "site_url": settings.SITE_URL.rstrip("/"),
        "recipient_email": notification.email,
    }
    language = notification.language or settings.LANGUAGE_CODE
    override = override_of(notification)
    if override is not None:
        try:
            return render_text(
                subject=override.subject,
                body=override.body,
                context=context,
                language=language,
            )
        except ValidationError:
            logger.warning(
                "template override %s refused; the default is used", override.pk
            )
        except Exception:  # a filter failing on this data: the site's text goes
            logger.exception(
                "template override %s failed; the default is used", override.pk
            )
    return render_default(notification.event, context=context, language=language)


def render_default(event: str, *, context: dict, language: str) -> Rendered:
    """The site's own templates of `event` rendered with `context`."""
    folder = template_folder(event)
    context = {**context, "LANGUAGE_CODE": language}
    with translation.override(language):
        subject_context = {k: v for k, v in context.items() if k not in RECIPIENT_ONLY}
        subject = " ".join(
            render_to_string(f"{folder}/subject.txt", subject_context).split()
        )
        text = render_to_string(f"{folder}/body.txt", context)
        html = render_to_string(
            BASE, {**context, "body": f"{folder}/body.html", "subject": subject}
        )
    return Rendered(subject=subject[:250], text=text, html=html)


def render_text(*, subject: str, body: str, context: dict, language: str) -> Rendered:
    """A contest's own `subject` and plain-text `body` rendered with `context`;
    the HTML body is made from the text, in the site's mail frame. Raises
    ValidationError for a text that fails the checks of `overrides`."""
    # The subject is kept on the row and shown in the organizers' log: the live
    # links made for the recipient alone (_links) never reach it.
    subject_context = {k: v for k, v in context.items() if k not in RECIPIENT_ONLY}
    subject = " ".join(render_source(subject, subject_context).split())
    text = render_source(body, context)
    frame_body = engines["django"].from_string("{{ override_html }}")
    with translation.override(language):
        html = render_to_string(
            BASE,
            {
                **context,
                "LANGUAGE_CODE": language,
                "body": frame_body,
                "override_html": text_to_html(text),
                "subject": subject,
            },
        )
    return Rendered(subject=subject[:250], text=text, html=html)


class _Number(int):
    """A sample count that prints as its variable (`{{ count }}`), so a plural
    still chooses its form."""

    variable = ""

    def __str__(self) -> str:
        return "{{ " + self.variable + " }}"


def _placeholder(name: str, value):
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return value
    if isinstance(value, int):
        number = _Number(value)
        number.variable = name
        return number
    return "{{ " + name + " }}"


def default_source(event: str, language: str) -> tuple[str, str]:
    """The site's subject and plain-text body of `event` in `language`, with each
    text or number variable written as itself (`{{ contest_name }}`): where an
    organizer starts when rewriting it. Conditions are decided by the sample
    data, so only one case of each shows. Empty for an event whose templates
    are not written yet."""
    sample = EVENTS[event].sample_context()
    context = {name: _placeholder(name, value) for name, value in sample.items()}
    folder = template_folder(event)
    try:
        with translation.override(language):
            subject = render_to_string(f"{folder}/subject.txt", context)
            body = render_to_string(f"{folder}/body.txt", context)
    except TemplateDoesNotExist:
        return "", ""
    return " ".join(subject.split()), body.strip() + "\n"
