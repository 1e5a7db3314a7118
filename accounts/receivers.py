"""Hooks into django-allauth (a third-party flow, so a signal is the way in)."""

from allauth.account.models import EmailAddress
from allauth.account.signals import password_reset
from django.dispatch import receiver


@receiver(password_reset)
def verify_address_on_password_set(sender, request, user, **kwargs) -> None:
    """A password set from an e-mailed link proves the address: mark it verified.

    Invited delegates and judges set their first password this way; without this they
    would be asked to confirm an address they have just used.
    """
    EmailAddress.objects.update_or_create(
        user=user,
        email__iexact=user.email,
        defaults={"email": user.email, "verified": True, "primary": True},
    )
