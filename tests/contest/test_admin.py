import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = [pytest.mark.django_db]

READ_ONLY = [
    "contest.auditentry",
    "submissions.submission",
    "judging.assignment",
    "judging.scoresheet",
    "results.publication",
    "results.award",
]


@pytest.mark.parametrize(
    "model", sorted(m._meta.label_lower for m in admin.site._registry)
)
def test_admin_changelist_renders_for_superuser(client, superuser, model):
    app_label, model_name = model.split(".")
    client.force_login(superuser)

    response = client.get(reverse(f"admin:{app_label}_{model_name}_changelist"))

    assert response.status_code == 200


@pytest.mark.parametrize("model", READ_ONLY)
def test_admin_refuses_adding_audited_rows(client, superuser, model):
    app_label, model_name = model.split(".")
    client.force_login(superuser)

    response = client.get(reverse(f"admin:{app_label}_{model_name}_add"))

    assert response.status_code == 403
