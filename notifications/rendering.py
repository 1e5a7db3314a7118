"""A notification's text: its event's templates rendered in the recipient's
language, plain text and HTML (templates/notifications/email/<event>/)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from notifications.models import Notification


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def template_folder(event: str) -> str:
    return f"notifications/email/{event.replace('.', '/')}"


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


def render(notification: Notification) -> Rendered:
    """The subject and bodies of `notification` in its language."""
    folder = template_folder(notification.event)
    context = {
        **notification.context,
        **_links(notification.context),
        "site_url": settings.SITE_URL.rstrip("/"),
        "recipient_email": notification.email,
    }
    language = notification.language or settings.LANGUAGE_CODE
    context["LANGUAGE_CODE"] = language
    with translation.override(language):
        subject = " ".join(render_to_string(f"{folder}/subject.txt", context).split())
        text = render_to_string(f"{folder}/body.txt", context)
        html = render_to_string(
            "notifications/email/base.html",
            {**context, "body": f"{folder}/body.html", "subject": subject},
        )
    return Rendered(subject=subject[:250], text=text, html=html)
