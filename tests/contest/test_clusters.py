"""Region clusters: the services (create, change, delete, the three by type, the
import of codes) and the eligibility rule they give categories."""

import io

import pytest
from django.utils import timezone

from common.errors import DomainError
from common.tabular import read_table
from contest import services_clusters as services
from contest.clusters import cluster_members
from contest.enums import RegionType
from contest.models import AuditEntry
from contest.models_formats import RegionCluster
from submissions import services as submission_services
from tests.factories.contest import (
    CategoryFactory,
    DelegateFactory,
    ProvinceFactory,
    RegionFactory,
)
from tests.factories.results import AwardFactory

pytestmark = [pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _english(settings):
    """The messages asserted are the source (English) texts."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def kota(db):
    return RegionFactory(code="61.71", province=ProvinceFactory(code="61"))


@pytest.fixture
def kabupaten(db):
    return RegionFactory(
        code="61.05", province=ProvinceFactory(code="61"), type=RegionType.KABUPATEN
    )


def test_create_cluster_of_listed_regions_records_the_ledger(
    contest, organizer, kota, kabupaten
):
    cluster = services.create_cluster(
        contest=contest,
        by=organizer,
        name="Perbatasan",
        slug="perbatasan",
        regions=["61.71", "61.05", "61.71"],
    )

    assert sorted(cluster.regions.values_list("code", flat=True)) == [
        "61.05",
        "61.71",
    ]
    entry = AuditEntry.objects.get(action="cluster.created")
    assert entry.data["regions"] == ["61.05", "61.71"]
    assert entry.data["slug"] == "perbatasan"


def test_create_cluster_refuses_an_unknown_code_naming_it(contest, organizer, kota):
    with pytest.raises(DomainError) as exc:
        services.create_cluster(
            contest=contest, by=organizer, name="X", slug="x", regions=["99.99"]
        )

    assert exc.value.field == "regions"
    assert "99.99" in str(exc.value.message)
    assert not RegionCluster.objects.exists()


def test_create_cluster_refuses_type_and_list_together(contest, organizer, kota):
    with pytest.raises(DomainError) as exc:
        services.create_cluster(
            contest=contest,
            by=organizer,
            name="X",
            slug="x",
            region_type="kota",
            regions=["61.71"],
        )

    assert exc.value.field == "regions"


def test_create_cluster_refuses_a_taken_slug(contest, organizer):
    services.create_cluster(contest=contest, by=organizer, name="A", slug="a")

    with pytest.raises(DomainError) as exc:
        services.create_cluster(contest=contest, by=organizer, name="B", slug="a")

    assert exc.value.field == "slug"


def test_cluster_services_refuse_others_and_a_frozen_contest(
    contest, organizer, delegate
):
    with pytest.raises(DomainError) as exc:
        services.create_cluster(contest=contest, by=delegate, name="A", slug="a")
    assert exc.value.status == 403
    cluster = services.create_cluster(contest=contest, by=organizer, name="A", slug="a")
    contest.frozen_at = timezone.now()
    contest.save(update_fields=["frozen_at"])

    for call in (
        lambda: services.update_cluster(
            cluster=cluster, by=organizer, data={"name": "B"}
        ),
        lambda: services.delete_cluster(cluster=cluster, by=organizer),
        lambda: services.create_type_clusters(contest=contest, by=organizer),
        lambda: services.set_cluster_regions(cluster=cluster, codes=[], by=organizer),
    ):
        with pytest.raises(DomainError) as exc:
            call()
        assert exc.value.status == 409


def test_update_cluster_sets_regions_and_categories(
    contest, organizer, kota, kabupaten
):
    category = CategoryFactory(contest=contest)
    cluster = services.create_cluster(
        contest=contest, by=organizer, name="A", slug="a", regions=["61.71"]
    )

    services.update_cluster(
        cluster=cluster,
        by=organizer,
        data={"regions": ["61.05"], "categories": [category], "order": 4},
    )

    cluster.refresh_from_db()
    assert list(cluster.regions.values_list("code", flat=True)) == ["61.05"]
    assert list(cluster.categories.all()) == [category]
    diff = AuditEntry.objects.get(action="cluster.updated").data
    assert diff["regions"] == [["61.71"], ["61.05"]]
    assert diff["order"] == [0, 4]


def test_create_type_clusters_makes_three_once(contest, organizer, kota, kabupaten):
    made = services.create_type_clusters(contest=contest, by=organizer)
    again = services.create_type_clusters(contest=contest, by=organizer)

    assert [c.slug for c in made] == ["provinsi", "kabupaten", "kota"]
    assert again == []
    members = cluster_members(contest)
    assert "61.71" in members.codes[members.by_slug("kota").pk]
    assert "61.05" not in members.codes[members.by_slug("kota").pk]
    assert AuditEntry.objects.filter(action="cluster.created").count() == 3


def test_delete_cluster_refused_while_an_award_uses_it(contest, organizer):
    cluster = services.create_cluster(contest=contest, by=organizer, name="A", slug="a")
    award = AwardFactory(contest=contest, cluster=cluster)

    with pytest.raises(DomainError) as exc:
        services.delete_cluster(cluster=cluster, by=organizer)

    assert exc.value.status == 409
    assert "award" in str(exc.value.message)
    award.delete()
    services.delete_cluster(cluster=cluster, by=organizer)
    assert not RegionCluster.objects.exists()
    assert AuditEntry.objects.filter(action="cluster.deleted").count() == 1


def _table(text):
    return read_table(io.BytesIO(text.encode()), filename="daerah.csv")


def test_import_cluster_regions_previews_then_adds(contest, organizer, kota, kabupaten):
    cluster = services.create_cluster(contest=contest, by=organizer, name="A", slug="a")
    table = _table("region\n61.71\n99.99\n61.05\n")

    preview = services.import_cluster_regions(
        cluster=cluster, table=table, by=organizer, dry_run=True
    )
    report = services.import_cluster_regions(
        cluster=cluster, table=table, by=organizer, dry_run=False
    )

    assert (preview.created, preview.errors) == (2, 1)
    assert (report.created, report.errors) == (2, 1)
    assert report.outcomes[1].column == "region"
    assert sorted(cluster.regions.values_list("code", flat=True)) == [
        "61.05",
        "61.71",
    ]


def test_import_refused_for_a_cluster_by_type(contest, organizer):
    cluster = services.create_cluster(
        contest=contest, by=organizer, name="Kota", slug="kota", region_type="kota"
    )

    with pytest.raises(DomainError):
        services.import_cluster_regions(
            cluster=cluster, table=_table("region\n61.71\n"), by=organizer, dry_run=True
        )


# ---------------------------------------------------------------- eligibility


def test_a_clustered_category_takes_only_its_regions(
    contest, organizer, kota, kabupaten
):
    category = CategoryFactory(contest=contest)
    services.create_cluster(
        contest=contest,
        by=organizer,
        name="Kota",
        slug="kota",
        region_type="kota",
        categories=[category],
    )
    outsider = DelegateFactory(contest=contest, region=kabupaten).user
    insider = DelegateFactory(contest=contest, region=kota).user

    with pytest.raises(DomainError) as exc:
        submission_services.create_submission(
            contest=contest, by=outsider, category=category, title="Saninu"
        )
    made = submission_services.create_submission(
        contest=contest, by=insider, category=category, title="Saninu"
    )

    assert exc.value.field == "category"
    assert "Kota" in str(exc.value.message)
    assert made.region == kota


def test_changing_category_to_a_clustered_one_is_refused(
    contest, organizer, kota, kabupaten
):
    free = CategoryFactory(contest=contest)
    closed = CategoryFactory(contest=contest)
    services.create_cluster(
        contest=contest,
        by=organizer,
        name="Perbatasan",
        slug="perbatasan",
        regions=["61.71"],
        categories=[closed],
    )
    outsider = DelegateFactory(contest=contest, region=kabupaten).user
    entry = submission_services.create_submission(
        contest=contest, by=outsider, category=free, title="Saninu"
    )

    with pytest.raises(DomainError) as exc:
        submission_services.update_submission(
            submission=entry, by=outsider, data={"category": closed}
        )

    assert exc.value.field == "category"
    entry.refresh_from_db()
    assert entry.category == free
