"""The scoring page's autosave never says "saved" when nothing was saved: a refused
autosave answers 400 or 409 with the status partial (the reason, role=alert) and
the error slot of every score field (the refused value's message at its field, the
others cleared); static/js/scoring.js swaps those in, and writes its own message on
a 500 or a network error. Browser validation never silently holds a value back."""

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone

from judging.models import Score, ScoreSheet

pytestmark = [pytest.mark.django_db]

HTMX = {"HX-Request": "true"}


def sheet_url(assignment):
    return reverse("judging:sheet", kwargs={"pk": assignment.pk})


def form_data(criteria, values, *, version=0):
    data = {"version": str(version), "comment": ""}
    for criterion, value in zip(criteria, values, strict=True):
        data[f"score_{criterion.pk}"] = value
        data[f"note_{criterion.pk}"] = ""
    return data


def slot(html, criterion):
    """The out-of-band error slot of one score field in an autosave answer."""
    match = re.search(
        rf'<ul class="errorlist autosave-error" id="id_score_{criterion.pk}'
        rf'_autosave_error" data-autosave-error-for="id_score_{criterion.pk}" '
        rf'hx-swap-oob="true">(.*?)</ul>',
        html,
    )
    assert match is not None, html
    return match.group(1)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("11", "Enter a score from 0 to 10."),
        ("7.3", "Scores go in steps of 0.5 from 0."),
        ("tujuh", "Enter a number."),
    ],
)
def test_autosave_of_an_invalid_value_is_400_with_the_error_at_its_field(
    client, assignment, criteria, value, message
):
    client.force_login(assignment.judge.user)

    response = client.post(
        sheet_url(assignment), form_data(criteria, [value, "8"]), headers=HTMX
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert 'data-save-state="error"' in html
    assert '<div class="alert alert-danger" role="alert">' in html
    assert f"Not saved: “Kebaruan”: {message}" in html
    assert "Draft saved" not in html
    assert slot(html, criteria[0]) == f"<li>{message}</li>"
    assert slot(html, criteria[1]) == ""
    assert 'name="version"' not in html
    assert not ScoreSheet.objects.exists()


def test_autosave_with_a_stale_version_is_409_and_keeps_the_version(
    client, assignment, criteria, table_rows
):
    client.force_login(assignment.judge.user)
    client.post(sheet_url(assignment), form_data(criteria, ["7", ""]), headers=HTMX)

    rows_before = table_rows()
    response = client.post(
        sheet_url(assignment), form_data(criteria, ["2", ""], version=0), headers=HTMX
    )

    html = response.content.decode()
    assert response.status_code == 409
    assert table_rows() == rows_before
    assert "Not saved: This sheet was changed elsewhere; reload it." in html
    assert "Draft saved" not in html
    assert 'name="version"' not in html
    assert slot(html, criteria[0]) == ""
    assert Score.objects.get().value == Decimal("7.00")


def test_autosave_after_the_stage_closed_is_409(
    client, assignment, criteria, table_rows
):
    client.force_login(assignment.judge.user)
    stage = assignment.stage
    client.get(sheet_url(assignment))
    stage.closes = timezone.now() - dt.timedelta(minutes=1)
    stage.opens = timezone.now() - dt.timedelta(days=3)
    stage.save()

    rows_before = table_rows()
    response = client.post(
        sheet_url(assignment), form_data(criteria, ["7", ""]), headers=HTMX
    )

    assert response.status_code == 409
    assert table_rows() == rows_before
    assert "Not saved: Scoring for this stage closed on" in response.content.decode()
    assert not ScoreSheet.objects.exists()


def test_autosave_that_saves_clears_every_field_error(client, assignment, criteria):
    client.force_login(assignment.judge.user)

    response = client.post(
        sheet_url(assignment), form_data(criteria, ["7", "8"]), headers=HTMX
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-save-state="saved"' in html
    assert "Draft saved at" in html
    assert slot(html, criteria[0]) == slot(html, criteria[1]) == ""


def test_scoring_page_lets_the_server_judge_every_value(client, assignment, criteria):
    client.force_login(assignment.judge.user)

    html = client.get(sheet_url(assignment)).content.decode()

    form = re.search(r"<form class=\"form\" method=\"post\"[^>]*>", html).group(0)
    assert " novalidate " in form
    assert "data-autosave" in form
    assert 'data-msg-network="Not saved: the server could not be reached.' in form
    assert 'data-msg-server="Not saved: the server could not save it.' in form
    for criterion in criteria:
        assert (
            f'<ul class="errorlist autosave-error" id="id_score_{criterion.pk}'
            f'_autosave_error" data-autosave-error-for="id_score_{criterion.pk}">'
            "</ul>"
        ) in html
    assert '<script src="/static/js/scoring.js" defer></script>' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)


def test_scoring_page_for_an_organizer_has_no_autosave(client, assignment, organizer):
    client.force_login(organizer)

    html = client.get(sheet_url(assignment)).content.decode()

    assert "data-autosave" not in html
    assert "scoring.js" not in html


def test_scoring_script_handles_every_failure():
    path = Path(finders.find("js/scoring.js"))
    assert path.is_relative_to(Path(settings.BASE_DIR) / "static")

    script = path.read_text()

    for event in (
        "htmx:beforeSwap",
        "htmx:responseError",
        "htmx:sendError",
        "htmx:timeout",
        "htmx:afterSettle",
    ):
        assert f'"{event}"' in script
    assert "xhr.status === 400 || xhr.status === 409" in script
    assert 'setAttribute("aria-invalid", "true")' in script
    assert 'setAttribute("role", "alert")' in script
