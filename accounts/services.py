"""Account e-mails: invitations with a link to set a password."""

from __future__ import annotations

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.models import User


def password_set_url(user: User) -> str:
    key = default_token_generator.make_token(user)
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": key},
    )
    return settings.SITE_URL.rstrip("/") + path


def send_invitation(*, user: User, contest, role: str, new_account: bool) -> None:
    """E-mail an invitation in Indonesian followed by English."""
    context = {
        "user": user,
        "contest": contest,
        "role": role,
        "new_account": new_account,
        "set_password_url": password_set_url(user) if new_account else "",
        "login_url": settings.SITE_URL.rstrip("/") + reverse("account_login"),
        "contest_url": settings.SITE_URL.rstrip("/")
        + reverse("contest:detail", kwargs={"slug": contest.slug}),
    }
    parts, subjects = [], []
    for language in ("id", "en"):
        with translation.override(language):
            subjects.append(
                render_to_string(
                    "accounts/email/invitation_subject.txt", context
                ).strip()
            )
            parts.append(
                render_to_string("accounts/email/invitation_body.txt", context)
            )
    send_mail(
        subject=" / ".join(subjects),
        message="\n\n----------------------------------------\n\n".join(parts),
        from_email=None,
        recipient_list=[user.email],
    )
