"""The results settings (stage weights, score bands) and a stage's minutes over
the API, through the services the settings page and the stage page call."""

import hashlib
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from results.models import ScoreBand, StageMinutes, StageWeight

pytestmark = [pytest.mark.django_db]

BANDS = [
    {"threshold": "85.00", "label": "Sangat baik"},
    {"threshold": "0", "label": "Cukup"},
]


def settings_url(contest):
    return f"/api/v1/contests/{contest.slug}/results-settings/"


def minutes_url(contest, stage, tail=""):
    return f"/api/v1/contests/{contest.slug}/stages/{stage.pk}/minutes/{tail}"


# ---------------------------------------------------------------- settings


def test_settings_read_the_defaults(api, organizer, contest, stage, final_stage):
    api.force_authenticate(organizer)

    body = api.get(settings_url(contest)).json()

    assert [(w["stage"], w["weight"]) for w in body["weights"]] == [
        (stage.pk, "1.00"),
        (final_stage.pk, "1.00"),
    ]
    assert body["bands"] == [
        {"threshold": "60.00", "label": "Sangat Inovatif"},
        {"threshold": "35.00", "label": "Inovatif"},
        {"threshold": "0.00", "label": "Kurang Inovatif"},
    ]


def test_settings_saved_together(api, organizer, contest, stage, final_stage):
    api.force_authenticate(organizer)

    response = api.put(
        settings_url(contest),
        {"weights": [{"stage": final_stage.pk, "weight": "3"}], "bands": BANDS},
        format="json",
    )

    assert response.status_code == 200
    assert [w["weight"] for w in response.json()["weights"]] == ["1.00", "3.00"]
    assert response.json()["bands"] == [
        {"threshold": "85.00", "label": "Sangat baik"},
        {"threshold": "0.00", "label": "Cukup"},
    ]
    assert StageWeight.objects.get().weight == Decimal("3.00")
    assert list(
        ScoreBand.objects.order_by("-threshold").values_list("threshold", "label")
    ) == [(Decimal("85.00"), "Sangat baik"), (Decimal("0.00"), "Cukup")]


def test_settings_refuse_all_weights_at_zero_and_keep_the_bands(
    api, organizer, contest, stage, table_rows
):
    api.force_authenticate(organizer)
    rows_before = table_rows()

    response = api.put(
        settings_url(contest),
        {"weights": [{"stage": stage.pk, "weight": "0"}], "bands": BANDS},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["weights"] == [
        "At least one scoring stage must count in the final score."
    ]
    assert table_rows() == rows_before


def test_settings_name_the_bands_field(api, organizer, contest, stage):
    api.force_authenticate(organizer)

    response = api.put(
        settings_url(contest),
        {
            "bands": [
                {"threshold": "50", "label": "A"},
                {"threshold": "50", "label": "B"},
            ]
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["bands"] == ["Two bands start at the same score."]
    assert not ScoreBand.objects.exists()


def test_settings_refused_once_published(api, organizer, contest, stage, published):
    api.force_authenticate(organizer)

    response = api.put(settings_url(contest), {"bands": BANDS}, format="json")

    assert response.status_code == 409
    assert not ScoreBand.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"), [("anonymous", 401), ("delegate", 403), ("judge", 403)]
)
def test_settings_refused_to_non_organizers(api, api_as, contest, stage, role, status):
    api_as(role)

    read = api.get(settings_url(contest))
    write = api.put(settings_url(contest), {"bands": BANDS}, format="json")

    assert (read.status_code, write.status_code) == (status, status)
    assert not ScoreBand.objects.exists()


# ---------------------------------------------------------------- minutes


def test_minutes_written_listed_and_downloaded(
    api, organizer, contest, stage, scored, django_capture_on_commit_callbacks
):
    api.force_authenticate(organizer)

    with django_capture_on_commit_callbacks(execute=True):
        requested = api.post(minutes_url(contest, stage))
    listed = api.get(minutes_url(contest, stage)).json()
    minutes = StageMinutes.objects.get()
    pdf = api.get(listed["results"][0]["download_url"], HTTP_ACCEPT="application/pdf")

    assert requested.status_code == 202
    assert listed["count"] == 1
    assert listed["results"][0]["sha256"] == minutes.sha256
    assert listed["results"][0]["requested_by"] == organizer.email
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert hashlib.sha256(pdf.content).hexdigest() == minutes.sha256


@pytest.mark.parametrize("count", [1, 3])
def test_minutes_list_runs_a_constant_number_of_queries(
    api, organizer, contest, stage, count, django_assert_num_queries
):
    for n in range(count):
        minutes = StageMinutes(
            stage=stage,
            sha256=f"{n:064d}",
            ledger_head_hash="0" * 64,
            generated_at=timezone.now(),
            requested_by=organizer,
        )
        minutes.file.save("minutes.pdf", ContentFile(b"%PDF-1.4"), save=False)
        minutes.save()
    api.force_authenticate(organizer)

    with django_assert_num_queries(5):
        response = api.get(minutes_url(contest, stage))

    assert response.json()["count"] == count


def test_minutes_refused_to_a_delegate(
    api, delegate, contest, stage, scored, django_capture_on_commit_callbacks
):
    api.force_authenticate(delegate)

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(minutes_url(contest, stage))

    assert response.status_code == 403
    assert not StageMinutes.objects.exists()


def test_minutes_of_a_screening_stage_answer_404(api, organizer, contest):
    from tests.factories.contest import StageFactory

    screening = StageFactory(contest=contest, kind="screening")
    api.force_authenticate(organizer)

    response = api.post(minutes_url(contest, screening))

    assert response.status_code == 404
    assert not StageMinutes.objects.exists()


def test_minutes_file_of_another_stage_answers_404(
    api, organizer, contest, stage, final_stage, scored
):
    from results.services import generate_minutes

    minutes = generate_minutes(stage=stage, by=organizer)
    api.force_authenticate(organizer)

    response = api.get(minutes_url(contest, final_stage, f"{minutes.pk}/file/"))

    assert response.status_code == 404
