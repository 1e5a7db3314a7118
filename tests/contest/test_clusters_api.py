"""The clusters API: list, create, read, change, delete and import, with the
errors an outside client gets (400 naming the field, 403, 404, 409)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from contest import services_clusters as services
from contest.models_formats import RegionCluster
from tests.factories.contest import CategoryFactory, ProvinceFactory, RegionFactory

pytestmark = [pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _english(settings):
    """The messages asserted are the source (English) texts."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def codes(db):
    province = ProvinceFactory(code="61")
    return [RegionFactory(province=province, code=f"61.{n}").code for n in (71, 72)]


def url(contest, pk=None, tail=""):
    base = f"/api/v1/contests/{contest.slug}/clusters/"
    return base if pk is None else f"{base}{pk}/{tail}"


def test_create_and_read_a_cluster(api, contest, organizer, codes):
    category = CategoryFactory(contest=contest)
    api.force_authenticate(organizer)

    made = api.post(
        url(contest),
        {
            "name": "Perbatasan",
            "slug": "perbatasan",
            "regions": codes,
            "categories": [category.pk],
        },
        format="json",
    )
    listed = api.get(url(contest))

    assert made.status_code == 201
    body = made.json()
    assert body["regions"] == codes
    assert body["categories"] == [category.pk]
    assert listed.json()["results"][0]["slug"] == "perbatasan"


def test_create_refuses_an_unknown_code_naming_regions(api, contest, organizer, codes):
    api.force_authenticate(organizer)

    response = api.post(
        url(contest),
        {"name": "X", "slug": "x", "regions": [codes[0], "99.99"]},
        format="json",
    )

    assert response.status_code == 400
    assert "99.99" in str(response.json()["regions"])
    assert not RegionCluster.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": "X", "slug": "Bad Slug"}, "slug"),
        ({"name": "X", "slug": "x", "region_type": "desa"}, "region_type"),
        ({"name": "X", "slug": "x", "regions": "61.71"}, "regions"),
        ({"name": "X", "slug": "x", "categories": [10**9]}, "categories"),
        ({"name": "X", "slug": "x", "categories": [True]}, "categories"),
        ({"name": "x" * 5000, "slug": "x"}, "name"),
    ],
)
def test_create_refuses_bad_values(api, contest, organizer, payload, field):
    api.force_authenticate(organizer)

    response = api.post(url(contest), payload, format="json")

    assert response.status_code == 400
    assert field in response.json()


def test_patch_sets_regions_and_delete_removes(api, contest, organizer, codes):
    cluster = services.create_cluster(
        contest=contest, by=organizer, name="A", slug="a", regions=codes[:1]
    )
    api.force_authenticate(organizer)

    patched = api.patch(url(contest, cluster.pk), {"regions": codes[1:]}, format="json")
    deleted = api.delete(url(contest, cluster.pk))
    gone = api.get(url(contest, cluster.pk))

    assert patched.status_code == 200
    assert patched.json()["regions"] == codes[1:]
    assert deleted.status_code == 204
    assert gone.status_code == 404


def test_delete_refused_while_an_award_uses_it(api, contest, organizer):
    from tests.factories.results import AwardFactory

    cluster = services.create_cluster(contest=contest, by=organizer, name="A", slug="a")
    AwardFactory(contest=contest, cluster=cluster)
    api.force_authenticate(organizer)

    response = api.delete(url(contest, cluster.pk))

    assert response.status_code == 409
    assert "award" in response.json()["detail"]


def test_writes_refused_when_frozen(api, contest, organizer):
    cluster = services.create_cluster(contest=contest, by=organizer, name="A", slug="a")
    contest.frozen_at = timezone.now()
    contest.save(update_fields=["frozen_at"])
    api.force_authenticate(organizer)

    created = api.post(url(contest), {"name": "B", "slug": "b"}, format="json")
    patched = api.patch(url(contest, cluster.pk), {"name": "C"}, format="json")

    assert (created.status_code, patched.status_code) == (409, 409)


def test_delegates_are_refused(api, contest, delegate):
    api.force_authenticate(delegate)

    assert api.get(url(contest)).status_code == 403
    assert api.post(url(contest), {"name": "B", "slug": "b"}).status_code == 403


def test_import_previews_then_adds(api, contest, organizer, codes):
    cluster = services.create_cluster(contest=contest, by=organizer, name="A", slug="a")
    api.force_authenticate(organizer)
    text = f"region\n{codes[0]}\n99.99\n".encode()

    preview = api.post(
        url(contest, cluster.pk, "import/"),
        {"file": SimpleUploadedFile("d.csv", text), "dry_run": "true"},
        format="multipart",
    )
    applied = api.post(
        url(contest, cluster.pk, "import/"),
        {"file": SimpleUploadedFile("d.csv", text)},
        format="multipart",
    )
    missing = api.post(
        url(contest, 10**6, "import/"),
        {"file": SimpleUploadedFile("d.csv", text)},
        format="multipart",
    )

    assert preview.status_code == 200
    assert (preview.json()["created"], preview.json()["errors"]) == (1, 1)
    assert applied.status_code == 201
    assert list(cluster.regions.values_list("code", flat=True)) == codes[:1]
    assert missing.status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_list_queries_are_constant(
    api, contest, organizer, codes, count, django_assert_num_queries
):
    category = CategoryFactory(contest=contest)
    for n in range(count):
        services.create_cluster(
            contest=contest,
            by=organizer,
            name=f"K{n}",
            slug=f"k{n}",
            regions=codes,
            categories=[category],
        )
    api.force_authenticate(organizer)

    with django_assert_num_queries(5):
        response = api.get(url(contest))

    assert len(response.json()["results"]) == count
