"""The accounts app's scheduled work: API tokens past their expiry are deleted.
An expired token is already refused by the API (django-rest-knox checks the
expiry); deleting it keeps the token table to the live ones, so a leaked copy of
the database holds fewer hashes worth anything, and the user's token list reads
true."""

from celery import shared_task


@shared_task(name="accounts.expire_tokens", acks_late=True, ignore_result=True)
def expire_tokens() -> int:
    """Delete the API tokens past their expiry; answers how many (safe to run
    twice)."""
    from django.utils import timezone
    from knox.models import AuthToken

    deleted, _ = AuthToken.objects.filter(expiry__lt=timezone.now()).delete()
    return deleted
