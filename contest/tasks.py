import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(name="contest.send_invitation")
def task_send_invitation(
    *, user_id: int, contest_id: int, role: str, new_account: bool
) -> None:
    """The invitation to take part in a contest (as a delegate or a judge)."""
    from accounts.models import User
    from accounts.services import send_invitation
    from contest.models import Contest

    user = User.objects.filter(pk=user_id).first()
    contest = Contest.objects.filter(pk=contest_id).first()
    if user is None or contest is None:
        logger.info(
            "invitation skipped: user %s or contest %s is gone", user_id, contest_id
        )
        return
    send_invitation(user=user, contest=contest, role=role, new_account=new_account)
