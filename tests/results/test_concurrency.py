"""Two final publications of one contest at once, on PostgreSQL: the contest's row
lock serializes them, exactly one is published and the other is told (409)."""

import threading

import pytest
from django.db import connection

from common.errors import DomainError
from results import services
from results.models import Publication

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_publish_contest_twice_at_once_publishes_once(contest, scored, organizer):
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def publish() -> None:
        try:
            barrier.wait(timeout=10)
            outcomes.append(services.publish_contest(contest=contest, by=organizer))
        except DomainError as exc:
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=publish) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    published = [o for o in outcomes if isinstance(o, Publication)]
    refused = [o for o in outcomes if isinstance(o, DomainError)]
    assert len(published) == 1
    assert [error.status for error in refused] == [409]
    assert Publication.objects.get().digest == published[0].digest
