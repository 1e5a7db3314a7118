import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from common.errors import DomainError
from contest.models import AuditEntry
from results import services
from results.models import AdvancementDecision, Award, ScoreBand, StageWeight
from submissions.enums import SubmissionState
from tests.factories.contest import CategoryFactory
from tests.factories.judging import EligibleSubmissionFactory, JudgeFactory
from tests.factories.results import AwardFactory, ObjectionFactory, submitted_sheet
from tests.results.conftest import sheet_reads

pytestmark = [pytest.mark.django_db]

ROLE_STATUS = [
    ("anonymous", 302),
    ("delegate", 403),
    ("judge", 403),
    ("other_organizer", 403),
    ("organizer", 200),
    ("superuser", 200),
]
POST_STATUS = [(role, 302 if code == 200 else code) for role, code in ROLE_STATUS]


def url(name, contest, **kwargs):
    return reverse(f"results:{name}", kwargs={"slug": contest.slug, **kwargs})


@pytest.mark.parametrize("page", ["manage", "settings", "awards", "objections"])
@pytest.mark.parametrize(("role", "status"), ROLE_STATUS)
def test_contest_results_pages_by_role(
    client, sign_in, contest, scored, page, role, status
):
    sign_in(role)

    response = client.get(url(page, contest))

    assert response.status_code == status
    if status == 200:
        assert b"Results" in response.content
    if role == "anonymous":
        assert response.url.startswith(reverse("account_login"))


@pytest.mark.parametrize("page", ["stage", "advance"])
@pytest.mark.parametrize(("role", "status"), ROLE_STATUS)
def test_stage_results_pages_by_role(
    client, sign_in, contest, stage, final_stage, scored, page, role, status
):
    sign_in(role)

    response = client.get(url(page, contest, stage_pk=stage.pk))

    assert response.status_code == status
    if status != 200:
        assert b"84.67" not in response.content


@pytest.mark.parametrize(("role", "status"), ROLE_STATUS)
def test_explain_page_by_role(
    client, sign_in, contest, stage, scored, entries, role, status
):
    sign_in(role)

    response = client.get(
        url("explain", contest, stage_pk=stage.pk, submission_pk=entries["E1"].pk)
    )

    assert response.status_code == status
    if status != 200:
        assert b"84.67" not in response.content


@pytest.mark.parametrize(("role", "status"), ROLE_STATUS)
def test_minutes_download_by_role(
    client, sign_in, contest, stage, scored, organizer, role, status
):
    services.generate_minutes(stage=stage, by=organizer)
    sign_in(role)

    response = client.get(url("minutes", contest, stage_pk=stage.pk))

    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("publish", {"kind": "final"}),
        ("award-places", {"places": "3"}),
    ],
)
@pytest.mark.parametrize(("role", "status"), POST_STATUS)
def test_contest_results_posts_by_role(
    client, sign_in, contest, scored, name, data, role, status
):
    sign_in(role)

    response = client.post(url(name, contest), data)

    assert response.status_code == status
    changed = contest.publications.exists() or Award.objects.exists()
    assert changed is (status == 302 and role != "anonymous")


@pytest.mark.parametrize(("role", "status"), POST_STATUS)
def test_award_remove_by_role(client, sign_in, contest, scored, entries, role, status):
    award = AwardFactory(contest=contest, submission=entries["E1"])
    sign_in(role)

    response = client.post(url("award-remove", contest, pk=award.pk))

    assert response.status_code == status
    assert Award.objects.filter(pk=award.pk).exists() is (
        status != 302 or role == "anonymous"
    )


@pytest.mark.parametrize(("role", "status"), POST_STATUS)
def test_objection_resolve_by_role(
    client, sign_in, contest, scored, entries, role, status
):
    objection = ObjectionFactory(publication__contest=contest, submission=entries["E1"])
    sign_in(role)

    response = client.post(
        url("objection-resolve", contest, pk=objection.pk),
        {
            f"objection-{objection.pk}-outcome": "dismissed",
            f"objection-{objection.pk}-answer": "Sudah sesuai.",
        },
    )

    assert response.status_code == status
    objection.refresh_from_db()
    resolved = status == 302 and role != "anonymous"
    assert objection.is_resolved is resolved
    if resolved:
        assert objection.answer == "Sudah sesuai."


@pytest.mark.parametrize(("role", "status"), POST_STATUS)
def test_minutes_request_by_role(
    client,
    sign_in,
    contest,
    stage,
    scored,
    role,
    status,
    django_capture_on_commit_callbacks,
):
    sign_in(role)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("minutes", contest, stage_pk=stage.pk))

    assert response.status_code == status
    assert stage.minutes.exists() is (status == 302 and role != "anonymous")


def test_results_pages_of_a_private_contest_are_404_for_outsiders(
    client, contest, stage, scored, other_organizer
):
    contest.is_public = False
    contest.save()
    client.force_login(other_organizer)

    response = client.get(url("stage", contest, stage_pk=stage.pk))

    assert response.status_code == 404


def test_stage_page_404_for_a_screening_stage(client, organizer, contest):
    from tests.factories.judging import OpenStageFactory

    screening = OpenStageFactory(contest=contest, kind="screening")
    client.force_login(organizer)

    response = client.get(url("stage", contest, stage_pk=screening.pk))

    assert response.status_code == 404


def test_stage_page_shows_raw_and_normalized_side_by_side(
    client, organizer, contest, stage, scored, judges
):
    client.force_login(organizer)

    response = client.get(url("stage", contest, stage_pk=stage.pk))

    content = response.content.decode()
    for figure in ["84.67", "84.67", "64.67", "47.00", "0.796", "0.733", "0.811"]:
        assert figure in content
    assert "Tentative agreement" in content
    assert 'class="is-flagged"' in content
    page = response.context["page"]
    assert [row.stats.leniency for row in page.judges] == [
        page.computation.results.leniency[judges[k].pk] for k in "ABC"
    ]
    assert response.context["page"].chart_data["judges"][0]["leniency"] == "2.33"
    assert 'id="judge-chart-data"' in content
    assert "vendor/chart.umd.min.js" in content
    assert "<script>" not in content


def test_explain_page_shows_each_criterion(
    client, organizer, contest, stage, scored, entries
):
    client.force_login(organizer)

    response = client.get(
        url("explain", contest, stage_pk=stage.pk, submission_pk=entries["E1"].pk)
    )

    content = response.content.decode()
    assert "Juri A · 87.00" in content
    assert "24.00" in content
    assert "63.00" in content
    assert "Catatan A untuk E1." in content


def test_explain_page_404_for_an_entry_without_sheets(
    client, organizer, contest, stage, criteria
):
    entry = EligibleSubmissionFactory(contest=contest)
    client.force_login(organizer)

    response = client.get(
        url("explain", contest, stage_pk=stage.pk, submission_pk=entry.pk)
    )

    assert response.status_code == 404


def make_entries(contest, stage, criteria, count):
    category = CategoryFactory(contest=contest)
    judges = [JudgeFactory(contest=contest) for _ in range(2)]
    for index in range(count):
        entry = EligibleSubmissionFactory(contest=contest, category=category)
        for judge in judges:
            submitted_sheet(
                stage=stage,
                judge=judge,
                submission=entry,
                values={criteria[0]: 5 + index, criteria[1]: 4 + index},
            )


@pytest.mark.parametrize("count", [1, 3])
def test_stage_page_queries_do_not_grow_with_entries(
    client, organizer, contest, stage, criteria, count, django_assert_num_queries
):
    make_entries(contest, stage, criteria, count)
    client.force_login(organizer)

    with django_assert_num_queries(17 + sheet_reads()):
        response = client.get(url("stage", contest, stage_pk=stage.pk))

    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 3])
def test_results_home_queries_do_not_grow_with_entries(
    client, organizer, contest, stage, criteria, count, django_assert_num_queries
):
    make_entries(contest, stage, criteria, count)
    client.force_login(organizer)

    # 21: one of them asks for the contest's region clusters (the regional ranking).
    with django_assert_num_queries(21 + sheet_reads()):
        response = client.get(url("manage", contest))

    assert response.status_code == 200


# ---------------------------------------------------------------- flows


@pytest.fixture
def tied(contest, stage, final_stage, criteria, category):
    a, b, c = (JudgeFactory(contest=contest) for _ in range(3))
    e1, e2, e3 = (
        EligibleSubmissionFactory(contest=contest, category=category, title=t)
        for t in ("Satu", "Dua", "Tiga")
    )
    values = {criteria[0]: 8, criteria[1]: 8}
    submitted_sheet(stage=stage, judge=a, submission=e1, values=values)
    submitted_sheet(stage=stage, judge=b, submission=e1, values=values)
    submitted_sheet(stage=stage, judge=a, submission=e2, values=values)
    submitted_sheet(stage=stage, judge=c, submission=e3, values=values)
    return e1, e2, e3


def test_advance_page_shows_the_tie_and_takes_the_decision(
    client, organizer, contest, stage, tied
):
    e1, e2, e3 = tied
    client.force_login(organizer)

    page = client.get(url("advance", contest, stage_pk=stage.pk))
    refused = client.post(url("advance", contest, stage_pk=stage.pk), {})
    decided = client.post(
        url("advance", contest, stage_pk=stage.pk), {"tie_break": [str(e2.pk)]}
    )

    assert "Ties at the cut" in page.content.decode()
    assert refused.status_code == 200
    assert "choose which of them advance" in refused.content.decode()
    assert decided.status_code == 302
    e1.refresh_from_db(), e2.refresh_from_db(), e3.refresh_from_db()
    assert [e1.state, e2.state, e3.state] == [
        SubmissionState.ADVANCED,
        SubmissionState.ADVANCED,
        SubmissionState.NOT_ADVANCED,
    ]
    assert AdvancementDecision.objects.get().tie_decisions[0]["chosen"] == [e2.pk]


def test_advance_page_with_quotas(
    client, organizer, contest, stage, final_stage, scored, entries
):
    client.force_login(organizer)
    region_type = entries["E1"].region.type

    response = client.post(
        url("advance", contest, stage_pk=stage.pk), {f"quota_{region_type}": "1"}
    )

    assert response.status_code == 302
    decision = AdvancementDecision.objects.get()
    assert decision.quotas == {region_type: 1}
    assert decision.advanced == [entries["E1"].pk]


def test_settings_page_saves_weights_and_bands(
    client, organizer, contest, stage, final_stage
):
    client.force_login(organizer)
    data = {
        f"weights-weight_{stage.pk}": "1",
        f"weights-weight_{final_stage.pk}": "3",
        "bands-TOTAL_FORMS": "2",
        "bands-INITIAL_FORMS": "0",
        "bands-MIN_NUM_FORMS": "0",
        "bands-MAX_NUM_FORMS": "10",
        "bands-0-threshold": "70",
        "bands-0-label": "Unggul",
        "bands-1-threshold": "0",
        "bands-1-label": "Cukup",
    }

    response = client.post(url("settings", contest), data)

    assert response.status_code == 302
    assert StageWeight.objects.get(stage=final_stage).weight == 3
    assert list(ScoreBand.objects.values_list("label", flat=True)) == [
        "Unggul",
        "Cukup",
    ]


def test_settings_page_with_a_bad_band_saves_nothing(
    client, organizer, contest, stage, final_stage
):
    client.force_login(organizer)
    ledger_before = AuditEntry.objects.count()
    data = {
        f"weights-weight_{stage.pk}": "1",
        f"weights-weight_{final_stage.pk}": "3",
        "bands-TOTAL_FORMS": "2",
        "bands-INITIAL_FORMS": "0",
        "bands-MIN_NUM_FORMS": "0",
        "bands-MAX_NUM_FORMS": "10",
        # each band is valid alone; two starting at the same score are refused
        "bands-0-threshold": "50",
        "bands-0-label": "Unggul",
        "bands-1-threshold": "50",
        "bands-1-label": "Cukup",
    }

    response = client.post(url("settings", contest), data)

    assert response.status_code == 400
    assert "Two bands start at the same score." in response.content.decode()
    assert not StageWeight.objects.exists()
    assert not ScoreBand.objects.exists()
    assert AuditEntry.objects.count() == ledger_before


def test_set_results_settings_is_all_or_nothing(contest, stage, final_stage, organizer):
    with pytest.raises(DomainError) as caught:
        services.set_results_settings(
            contest=contest,
            weights={stage.pk: "2", final_stage.pk: "3"},
            bands=[("70", "Unggul"), ("150", "Mustahil")],
            by=organizer,
        )

    assert caught.value.field == "bands"
    assert not StageWeight.objects.exists()
    assert not ScoreBand.objects.exists()


def test_set_results_settings_saves_both(contest, stage, final_stage, organizer):
    weights, bands = services.set_results_settings(
        contest=contest,
        weights={stage.pk: "2", final_stage.pk: "3"},
        bands=[("70", "Unggul"), ("0", "Cukup")],
        by=organizer,
    )

    assert weights == {stage.pk: 2, final_stage.pk: 3}
    assert [b.label for b in bands] == ["Unggul", "Cukup"]
    assert StageWeight.objects.get(stage=final_stage).weight == 3


def test_awards_page_gives_an_award(client, organizer, contest, scored, entries):
    client.force_login(organizer)

    response = client.post(
        url("awards", contest),
        {
            "name": "Terbaik I",
            "kind": "place",
            "submission": entries["E1"].pk,
            "rank": "1",
        },
    )

    assert response.status_code == 302
    award = Award.objects.get()
    assert (award.name, award.submission, award.category) == (
        "Terbaik I",
        entries["E1"],
        entries["E1"].category,
    )


def test_awards_page_shows_the_service_error(
    client, organizer, contest, published, entries
):
    client.force_login(organizer)

    response = client.post(
        url("awards", contest),
        {"name": "Khusus", "kind": "special", "submission": entries["E2"].pk},
    )

    assert response.status_code == 200
    assert "can no longer change" in response.content.decode()
    assert Award.objects.count() == 1


def test_publish_button_publishes_once(client, organizer, contest, scored):
    client.force_login(organizer)

    client.post(url("publish", contest), {"kind": "final"})
    second = client.post(url("publish", contest), {"kind": "final"}, follow=True)

    assert contest.publications.count() == 1
    assert "already published" in second.content.decode() or "can no longer" in (
        second.content.decode()
    )


def test_publish_provisional_from_the_page(client, organizer, contest, scored):
    client.force_login(organizer)

    closes = timezone.localtime(timezone.now(), contest.tzinfo) + dt.timedelta(days=7)

    response = client.post(
        url("publish", contest),
        {
            "kind": "provisional",
            "objections_close": closes.strftime("%Y-%m-%dT%H:%M"),
            "objections_open_to_all": "on",
        },
    )

    assert response.status_code == 302
    publication = contest.publications.get()
    assert publication.kind == "provisional"
    assert publication.objections_open_to_all is True


def test_stage_page_paginates_the_ranking(
    client, organizer, contest, stage, scored, monkeypatch
):
    from results.views import manage

    monkeypatch.setattr(manage, "RESULTS_PAGE_SIZE", 2)
    client.force_login(organizer)

    first = client.get(url("stage", contest, stage_pk=stage.pk))
    second = client.get(url("stage", contest, stage_pk=stage.pk), {"page": 2})

    assert [len(g.rows) for g in first.context["groups"]] == [2]
    assert [row.rank for g in second.context["groups"] for row in g.rows] == [3]


def test_stage_page_colours_each_judges_leniency(
    client, organizer, contest, stage, scored
):
    """The badge's tone follows the judge's leniency (it was always empty once:
    the property sat on another row class)."""
    client.force_login(organizer)

    response = client.get(url("stage", contest, stage_pk=stage.pk))

    content = response.content.decode()
    for row in response.context["page"].judges:
        leniency = abs(row.stats.leniency)
        expected = (
            "danger" if leniency >= 10 else "warning" if leniency >= 5 else "success"
        )
        assert row.leniency_tone == expected
        assert f'<span class="badge badge-{expected}">{row.stats.leniency}' in content
    assert 'class="badge badge-">' not in content
