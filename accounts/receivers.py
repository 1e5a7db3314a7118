"""Hooks into django-allauth (a third-party flow, so a signal is the way in)."""

from allauth.account.models import EmailAddress
from allauth.account.signals import password_reset
from django.dispatch import receiver


@receiver(password_reset)
def verify_address_on_password_set(sender, request, user, **kwargs) -> None:
    """A password set from an e-mailed link proves the address: mark it verified.

    Invited delegates and judges set their first password this way; without this they
    would be asked to confirm an address they have just used. The link names the
    account, not the address it was mailed to: when the account has other addresses,
    the link may have reached one of those, so the login address stays as it was
    (otherwise someone who signed up with another person's address, then added their
    own, could "prove" the first by resetting the password through the second).
    """
    if (
        EmailAddress.objects.filter(user=user)
        .exclude(email__iexact=user.email)
        .exists()
    ):
        return
    EmailAddress.objects.update_or_create(
        user=user,
        email__iexact=user.email,
        defaults={"email": user.email, "verified": True, "primary": True},
    )
