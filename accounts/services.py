"""Accounts: API tokens, proof of an address, invitations to set a password."""

from __future__ import annotations

import datetime as dt

from allauth.account import app_settings as allauth_settings
from allauth.account.adapter import get_adapter
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from accounts import signals
from accounts.models import User
from common.errors import DomainError

# ---------------------------------------------------------------- API tokens


def obtain_token(*, request, email: str, password: str) -> tuple[str, dt.datetime]:
    """Exchange an address and password for a new API token (`issue_token`).

    The password is checked through allauth, as the web login checks it, so both
    count wrong passwords in the same `login_failed` limits (per account and per
    client address, ACCOUNT_RATE_LIMITS): a lock-out earned on one holds on the
    other; a right password does not count. Where verification is required, the
    login address must be verified (told only to who knows the password).
    """
    adapter = get_adapter(request)
    try:
        user = adapter.authenticate(request, email=email.lower(), password=password)
    except ValidationError as error:
        if error.code == "too_many_login_attempts":
            raise DomainError(error.messages[0], status=429) from error
        raise
    if user is None or not user.is_active:
        raise DomainError(
            gettext("The e-mail address or password is wrong."), field="password"
        )
    if verification_required() and not has_verified_address(user):
        raise DomainError(
            gettext(
                "The e-mail address %(email)s is not verified yet: open the link in "
                "the verification or invitation e-mail we sent to it (or sign in on "
                "the site to get a new one), then ask for a token again."
            )
            % {"email": user.email},
            field="email",
            status=403,
        )
    return issue_token(user=user)


def issue_token(*, user: User) -> tuple[str, dt.datetime]:
    """A new API token for `user`: the key (shown once, stored only hashed) and
    when it expires (API_TOKEN_TTL_DAYS from now). The user's expired tokens go."""
    from knox.models import AuthToken

    AuthToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()
    token, key = AuthToken.objects.create(
        user=user, expiry=dt.timedelta(days=settings.API_TOKEN_TTL_DAYS)
    )
    return key, token.expiry


def revoke_token(*, token) -> None:
    """Revoke one token (the caller's, on `DELETE /api/v1/auth/token/`); the
    account's holder is told (`accounts.signals.tokens_revoked`)."""
    user = token.user
    token.delete()
    signals.tokens_revoked.send(sender=User, user=user, count=1, reason=signals.REVOKED)


def revoke_all_tokens(*, user: User) -> int:
    """Revoke every token of `user`; called whenever the password changes or is
    cleared (`User.save`). The holder is told once, of both
    (`accounts.signals.tokens_revoked` with the reason)."""
    from knox.models import AuthToken

    deleted, _per_model = AuthToken.objects.filter(user=user).delete()
    signals.tokens_revoked.send(
        sender=User,
        user=user,
        count=deleted,
        reason=(
            signals.PASSWORD_CHANGED
            if user.has_usable_password()
            else signals.PASSWORD_CLEARED
        ),
    )
    return deleted


# ---------------------------------------------------------------- proof of address


def verification_required() -> bool:
    """Whether an address must be verified before its account is used
    (ACCOUNT_EMAIL_VERIFICATION "mandatory", the default outside DEBUG)."""
    return (
        allauth_settings.EMAIL_VERIFICATION
        == allauth_settings.EmailVerificationMethod.MANDATORY
    )


def has_verified_address(user: User) -> bool:
    """The account's login address is verified."""
    return EmailAddress.objects.filter(
        user=user, email__iexact=user.email, verified=True
    ).exists()


def address_unproven(user: User) -> bool:
    """The account was signed up with its address, which was never proved.

    A sign-up on the site records the address unverified; accounts made by staff,
    the shell or an invitation have no such record (they are made by someone
    trusted, or cannot be used before the address's owner sets a password).
    """
    addresses = list(EmailAddress.objects.filter(user=user))
    login = user.email.lower()
    return bool(addresses) and not any(
        a.verified and a.email.lower() == login for a in addresses
    )


@transaction.atomic
def prepare_claim(*, user: User) -> None:
    """Hand an unproven account to whoever reads the mail of its address.

    Someone may have signed up with another person's address. Before that person is
    given a role, the password is cleared (which signs out every session and revokes
    every API token) and the account's other addresses are removed, so a
    password-reset link can reach only the login address. Only the reader of that
    mailbox can then set a password, through the invitation's link, which proves
    the address (see `accounts.receivers`) and makes the role usable.
    """
    EmailAddress.objects.filter(user=user).exclude(email__iexact=user.email).delete()
    user.set_unusable_password()
    user.save(update_fields=["password"])


# ---------------------------------------------------------------- invitations


def password_set_url(user: User) -> str:
    key = default_token_generator.make_token(user)
    path = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": key},
    )
    return settings.SITE_URL.rstrip("/") + path


def invitation_context(*, user: User, contest, role: str, new_account: bool) -> dict:
    """The plain data of an invitation (the outbox's "invitation" event) to take
    `role` ("delegate", "judge" or "organizer") in `contest` (anything with a
    `name` and a `slug`), with absolute links from SITE_URL.

    `new_account`: the account has no usable password yet (new, never set, or
    cleared by `prepare_claim`), so the mail carries the link to set one; the role
    can be used only once it is set.
    """
    new_account = new_account or not user.has_usable_password()
    site = settings.SITE_URL.rstrip("/")
    return {
        "contest_name": contest.name,
        "role": role,
        "new_account": new_account,
        # The account was signed up with the address and never proved it (its
        # password was cleared by prepare_claim); not an account whose address is
        # proved but whose password was never set or was cleared since.
        "claim": new_account and address_unproven(user),
        # The link itself is made when the mail is sent (notifications.rendering):
        # a live token is never stored, and a late retry gets a fresh one.
        "set_password_user": user.pk if new_account else None,
        "login_url": site + reverse("account_login"),
        "contest_url": site + reverse("contest:detail", kwargs={"slug": contest.slug}),
    }
