"""Mails about an account, written when the accounts app announces the change
(`accounts.signals`): `accounts` sits below `notifications` and cannot call it.

A password change revokes every API token of the account (`revoke_all_tokens`,
on every path: the site's change, reset and set pages, the invitation's link, the
admin, the shell), and the one signal it sends carries both facts, so the holder
gets one mail saying both rather than two. That is also why allauth's own
`password_changed`, `password_reset` and `password_set` signals are not used:
they miss the admin and the shell, and would make a second mail."""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.dispatch import receiver
from django.utils import timezone

from accounts import signals
from accounts.models import User
from notifications.formatting import link_to, when
from notifications.services import language_of, notify


def _moment(user: User) -> dict:
    """Now, in the holder's language and the site's time zone (an account has
    no contest, hence no contest's zone)."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    now = timezone.now()
    return {
        "when": when(now, tzinfo=zone, language=language_of(user)),
        "tz": timezone.localtime(now, zone).tzname(),
    }


@receiver(signals.tokens_revoked)
def tell_tokens_revoked(sender, *, user: User, count: int, reason: str, **kwargs):
    """`account.password_changed` (with the tokens that went with it) or
    `account.token_revoked`. Nothing is sent for a cleared password (the
    invitation that clears it says so), for a revocation of no token, nor for
    the first password of an account that never signed in and had no token
    (an invited person setting it from the invitation's link, an account made
    in the admin): there is nothing yet to protect, and they did it."""
    if not user.email or reason == signals.PASSWORD_CLEARED:
        return
    if reason == signals.PASSWORD_CHANGED:
        if user.last_login is None and count == 0:
            return
        notify(
            recipient=user,
            event="account.password_changed",
            context={
                **_moment(user),
                "tokens": count,
                "reset_url": link_to("account_reset_password"),
            },
        )
    elif count:
        notify(
            recipient=user,
            event="account.token_revoked",
            context={
                **_moment(user),
                "tokens": count,
                "change_url": link_to("account_change_password"),
            },
        )
