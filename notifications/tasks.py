"""The outbox's tasks: one notification, and the sweep of what is still waiting.
Both are safe to run twice (a sent row is left alone)."""

from celery import shared_task


@shared_task(name="notifications.send", acks_late=True, ignore_result=True)
def send_notification(pk: int) -> bool:
    from notifications import services

    return services.send(pk)


@shared_task(name="notifications.sweep", acks_late=True, ignore_result=True)
def sweep_outbox() -> int:
    from notifications import services

    return services.sweep()
