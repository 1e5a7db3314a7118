"""A broker that is down costs a request one wait, not one per task: after a
failure the process queues nothing for a while, and the sweeps do the work."""

import pytest
from django.core import mail

from common import queueing
from notifications import services
from notifications.models import Notification
from tests.factories.accounts import UserFactory

pytestmark = [pytest.mark.django_db]


class Broker:
    """A task whose broker refuses, counting the tries."""

    name = "sample.task"

    def __init__(self) -> None:
        self.tries = 0
        self.down = True

    def delay(self, *args, **kwargs) -> None:
        self.tries += 1
        if self.down:
            raise ConnectionRefusedError("broker down")


def test_after_one_failure_the_broker_is_left_alone(monkeypatch):
    task = Broker()
    clock = [1000.0]
    monkeypatch.setattr(queueing.time, "monotonic", lambda: clock[0])

    results = [queueing.enqueue(task, n) for n in range(300)]

    assert results == [False] * 300
    assert task.tries == 1
    task.down = False
    clock[0] += queueing.BROKER_REST_SECONDS + 1
    assert queueing.enqueue(task, 1) is True
    assert task.tries == 2


def test_a_message_to_many_with_the_broker_down_waits_once_then_the_sweep_sends(
    monkeypatch, django_capture_on_commit_callbacks
):
    from notifications import tasks

    task = Broker()
    monkeypatch.setattr(tasks.send_notification, "delay", task.delay)
    users = UserFactory.create_batch(5)

    with django_capture_on_commit_callbacks(execute=True):
        services.notify_many(recipients=users, event="sample.plain")

    assert task.tries == 1
    assert Notification.objects.count() == 5
    assert mail.outbox == []
