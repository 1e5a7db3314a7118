"""Two saves of one score sheet at once, on PostgreSQL. With the version they started
from: exactly one wins, the other is told to reload (409). Without a version: both
are applied, one after the other, each whole. Either way the stored sheet is one
writer's, never a mix."""

import threading
from decimal import Decimal

import pytest
from django.db import connection

from common.errors import DomainError
from judging import services
from judging.models import Score, ScoreSheet

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_record_sheet_concurrent_saves_leave_one_complete_sheet(assignment, criteria):
    sheet = services.ensure_sheet(assignment=assignment)
    user = assignment.judge.user
    versions = {
        "low": [Decimal("2.00"), Decimal("3.50")],
        "high": [Decimal("9.00"), Decimal("8.50")],
    }
    barrier = threading.Barrier(len(versions))
    outcomes: dict[str, object] = {}

    def save(name: str) -> None:
        try:
            scores = [
                {"criterion": c.pk, "value": str(v), "comment": name}
                for c, v in zip(criteria, versions[name], strict=True)
            ]
            barrier.wait(timeout=10)
            services.record_sheet(
                sheet=ScoreSheet.objects.get(pk=sheet.pk),
                scores=scores,
                comment=name,
                submit=False,
                version=0,
                by=user,
            )
            outcomes[name] = "saved"
        except DomainError as exc:
            outcomes[name] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(name,)) for name in versions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    winners = [name for name, outcome in outcomes.items() if outcome == "saved"]
    losers = [o for o in outcomes.values() if isinstance(o, DomainError)]
    assert len(winners) == 1
    assert len(losers) == 1
    assert losers[0].status == 409
    assert str(losers[0].message) == "This sheet was changed elsewhere; reload it."
    winner = winners[0]
    stored = ScoreSheet.objects.get(pk=sheet.pk)
    assert stored.version == 1
    assert stored.comment == winner
    values = list(
        Score.objects.filter(sheet=stored)
        .order_by("criterion__order")
        .values_list("value", "comment")
    )
    assert values == [(value, winner) for value in versions[winner]]


def test_record_sheet_concurrent_saves_without_version_apply_one_whole_write(
    assignment, criteria
):
    sheet = services.ensure_sheet(assignment=assignment)
    user = assignment.judge.user
    versions = {
        "low": [Decimal("2.00"), Decimal("3.50")],
        "high": [Decimal("9.00"), Decimal("8.50")],
    }
    barrier = threading.Barrier(len(versions))
    outcomes: dict[str, object] = {}

    def save(name: str) -> None:
        try:
            scores = [
                {"criterion": c.pk, "value": str(v), "comment": name}
                for c, v in zip(criteria, versions[name], strict=True)
            ]
            barrier.wait(timeout=10)
            services.record_sheet(
                sheet=ScoreSheet.objects.get(pk=sheet.pk),
                scores=scores,
                comment=name,
                submit=False,
                by=user,
            )
            outcomes[name] = "saved"
        except Exception as exc:
            outcomes[name] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(name,)) for name in versions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert outcomes == {"low": "saved", "high": "saved"}
    stored = ScoreSheet.objects.get(pk=sheet.pk)
    assert stored.version == 2
    last = stored.comment
    assert last in versions
    values = list(
        Score.objects.filter(sheet=stored)
        .order_by("criterion__order")
        .values_list("value", "comment")
    )
    assert values == [(value, last) for value in versions[last]]
