"""Judging rows change only through the services (audited, refused once frozen): the
admin shows them and refuses to add, change or delete them."""

import pytest
from django.urls import reverse

from judging.models import ConflictOfInterest, Judge, StageEntry
from tests.factories.judging import DeclaredConflictFactory

pytestmark = [pytest.mark.django_db]


@pytest.mark.parametrize("model", ["judge", "conflictofinterest", "stageentry"])
def test_admin_refuses_adding_judging_rows(client, superuser, model):
    client.force_login(superuser)

    listed = client.get(reverse(f"admin:judging_{model}_changelist"))
    added = client.post(reverse(f"admin:judging_{model}_add"), {})

    assert listed.status_code == 200
    assert added.status_code == 403


def test_admin_refuses_changing_a_judge_or_a_conflict(client, superuser, assignment):
    conflict = DeclaredConflictFactory(judge=assignment.judge)
    StageEntry.objects.get(submission=assignment.submission)
    client.force_login(superuser)

    client.post(
        reverse("admin:judging_judge_change", args=[assignment.judge.pk]),
        {"name": "Diubah", "contest": assignment.judge.contest_id},
    )
    deleted = client.post(
        reverse("admin:judging_conflictofinterest_delete", args=[conflict.pk]),
        {"post": "yes"},
    )

    assert Judge.objects.get(pk=assignment.judge.pk).name == "Dr. Andi"
    assert deleted.status_code == 403
    assert ConflictOfInterest.objects.filter(pk=conflict.pk).exists()
