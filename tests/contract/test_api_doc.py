"""docs/api.md lists every endpoint of the API and nothing else: each operation
of the published schema (/api/schema/) has its row, and every row's methods and
path exist. Path parameters are compared as placeholders, whatever their names."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"
ROW = re.compile(r"^\| `([A-Z, ]+) (/api/v1/\S*)` \|", re.MULTILINE)
METHODS = ("get", "post", "put", "patch", "delete")

pytestmark = [pytest.mark.django_db]


def _shape(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


def documented() -> set[tuple[str, str]]:
    rows = ROW.findall(DOC.read_text(encoding="utf-8"))
    assert rows, "docs/api.md has no table rows"
    return {
        (method.strip(), _shape(path))
        for methods, path in rows
        for method in methods.split(",")
    }


def test_every_endpoint_of_the_schema_is_documented_and_nothing_else(api):
    response = api.get(reverse("api-schema"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    published = {
        (method.upper(), _shape(path))
        for path, operations in response.json()["paths"].items()
        for method in operations
        if method in METHODS
    }

    assert sorted(published - documented()) == [], "missing from docs/api.md"
    assert sorted(documented() - published) == [], "in docs/api.md, not in the API"
