"""The API's error mapping: values the database cannot take answer 400, not 500."""

import pytest
from django.db import DataError
from django.utils import translation
from rest_framework.test import APIRequestFactory

from common.errors import api_exception_handler
from tests.factories.contest import OrganizerFactory

pytestmark = [pytest.mark.django_db]


@pytest.mark.parametrize(
    "exc",
    [
        DataError("PostgreSQL text fields cannot contain NUL (0x00) bytes"),
        OverflowError("Python int too large to convert to SQLite INTEGER"),
    ],
    ids=["data-error", "overflow"],
)
def test_database_value_errors_answer_400(exc):
    request = APIRequestFactory().post("/api/v1/contests/")

    with translation.override("en"):
        response = api_exception_handler(exc, {"request": request, "view": None})

    assert response.status_code == 400
    assert "malformed or out of range" in response.data["detail"]


def test_unhandled_exception_still_unhandled():
    request = APIRequestFactory().get("/api/v1/contests/")

    response = api_exception_handler(KeyError("bug"), {"request": request})

    assert response is None


@pytest.mark.postgres
def test_nul_byte_in_a_region_code_400_on_postgresql(api, contest):
    """Any endpoint whose field lets a NUL byte reach PostgreSQL answers 400."""
    api.force_authenticate(OrganizerFactory(contest=contest).user)

    response = api.post(
        f"/api/v1/contests/{contest.slug}/judges/",
        {"email": "juri@example.id", "name": "Juri", "home_region": "52\x0072"},
        format="json",
    )

    assert response.status_code == 400
