"""A delegate's write racing the final publication, on PostgreSQL: the write waits for
the publication's lock on the contest row and then sees the freeze (409), so nothing
changes after the results are published."""

import threading

import pytest
from django.db import connection, transaction
from django.utils import timezone

from common.errors import DomainError
from contest.models import Contest
from submissions import services
from submissions.models import Submission

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_write_during_the_publication_waits_and_is_refused(entry, delegate):
    locked = threading.Event()
    release = threading.Event()
    outcome: dict[str, object] = {}

    def publish() -> None:
        """What the final publication does: lock the contest row, freeze it, commit."""
        try:
            with transaction.atomic():
                Contest.objects.select_for_update().get(pk=entry.contest_id)
                Contest.objects.filter(pk=entry.contest_id).update(
                    frozen_at=timezone.now()
                )
                locked.set()
                release.wait(timeout=10)
        finally:
            connection.close()

    def edit() -> None:
        try:
            services.update_submission(
                submission=Submission.objects.get(pk=entry.pk),
                by=delegate,
                data={"title": "Diubah saat pengumuman"},
            )
            outcome["edit"] = "saved"
        except DomainError as exc:
            outcome["edit"] = exc.status
        finally:
            connection.close()

    publisher = threading.Thread(target=publish)
    publisher.start()
    assert locked.wait(timeout=10)
    writer = threading.Thread(target=edit)
    writer.start()
    writer.join(timeout=1)
    waited = writer.is_alive()
    release.set()
    publisher.join(timeout=10)
    writer.join(timeout=10)

    assert waited
    assert outcome == {"edit": 409}
    assert Submission.objects.get(pk=entry.pk).title == entry.title
