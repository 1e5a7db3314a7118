import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="contest.send_invitation")
def task_send_invitation(
    *, user_id: int, contest_id: int, role: str, new_account: bool
) -> None:
    """An invitation queued by a release before the outbox (still in a broker
    during an upgrade): written to the outbox now, which sends it. Nothing queues
    this task any more; the services write the notification themselves."""
    from accounts.models import User
    from accounts.services import invitation_context
    from contest.models import Contest
    from notifications.services import notify

    user = User.objects.filter(pk=user_id).first()
    contest = Contest.objects.filter(pk=contest_id).first()
    if user is None or contest is None:
        logger.info(
            "invitation skipped: user %s or contest %s is gone", user_id, contest_id
        )
        return
    notify(
        recipient=user,
        event="invitation",
        context=invitation_context(
            user=user, contest=contest, role=role, new_account=new_account
        ),
        contest_id=contest.pk,
    )
