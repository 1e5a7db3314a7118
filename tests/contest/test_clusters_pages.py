"""The organizer's region clusters page: list, add, the three by type, edit,
delete (refused while an award uses the cluster) and the two-step import."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from contest import services_clusters as services
from contest.models_formats import RegionCluster
from tests.factories.contest import CategoryFactory, ProvinceFactory, RegionFactory

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def codes(db):
    province = ProvinceFactory(code="61")
    return [RegionFactory(province=province, code=f"61.{n}").code for n in (71, 72)]


@pytest.fixture
def organizer_client(client, organizer):
    client.force_login(organizer)
    client.cookies["django_language"] = "en"
    return client


def page(contest, name="contest:clusters", **kwargs):
    from django.urls import reverse

    return reverse(name, kwargs={"slug": contest.slug, **kwargs})


def test_add_a_cluster_through_the_page(organizer_client, contest, codes):
    category = CategoryFactory(contest=contest)

    response = organizer_client.post(
        page(contest),
        {
            "name": "Perbatasan",
            "slug": "perbatasan",
            "regions": ", ".join(codes),
            "categories": [category.pk],
        },
    )
    listed = organizer_client.get(page(contest))

    assert response.status_code == 302
    cluster = RegionCluster.objects.get(slug="perbatasan")
    assert sorted(cluster.regions.values_list("code", flat=True)) == codes
    assert list(cluster.categories.all()) == [category]
    html = listed.content.decode()
    assert "Perbatasan" in html
    assert "2 regions" in html
    assert "Region clusters" in html


def test_an_unknown_code_is_shown_at_the_field(organizer_client, contest):
    response = organizer_client.post(
        page(contest), {"name": "X", "slug": "x", "regions": "99.99"}
    )

    assert response.status_code == 200
    assert "99.99" in response.context["form"].errors["regions"][0]


def test_three_type_clusters_in_one_click(organizer_client, contest):
    response = organizer_client.post(page(contest, "contest:cluster-types"))

    assert response.status_code == 302
    assert list(
        RegionCluster.objects.filter(contest=contest).values_list("slug", flat=True)
    ) == ["provinsi", "kabupaten", "kota"]


def test_edit_and_delete_a_cluster(organizer_client, contest, organizer, codes):
    cluster = services.create_cluster(
        contest=contest, by=organizer, name="A", slug="a", regions=codes[:1]
    )

    shown = organizer_client.get(page(contest, "contest:cluster-edit", pk=cluster.pk))
    edited = organizer_client.post(
        page(contest, "contest:cluster-edit", pk=cluster.pk),
        {"name": "B", "slug": "a", "regions": codes[1]},
    )
    deleted = organizer_client.post(
        page(contest, "contest:cluster-delete", pk=cluster.pk)
    )

    assert shown.context["form"].initial["regions"] == codes[0]
    assert edited.status_code == 302
    assert deleted.status_code == 302
    assert not RegionCluster.objects.exists()


def test_delete_refused_while_an_award_uses_it(organizer_client, contest, organizer):
    from tests.factories.results import AwardFactory

    cluster = services.create_cluster(contest=contest, by=organizer, name="A", slug="a")
    AwardFactory(contest=contest, cluster=cluster)

    response = organizer_client.post(
        page(contest, "contest:cluster-delete", pk=cluster.pk), follow=True
    )

    assert RegionCluster.objects.filter(pk=cluster.pk).exists()
    assert "award" in response.content.decode()


def test_import_regions_in_two_steps(organizer_client, contest, organizer, codes):
    cluster = services.create_cluster(contest=contest, by=organizer, name="A", slug="a")
    url = page(contest, "contest:cluster-import", pk=cluster.pk)
    upload = SimpleUploadedFile("d.csv", f"region\n{codes[0]}\n{codes[1]}\n".encode())

    organizer_client.post(url, {"file": upload})
    preview = organizer_client.get(url)
    assert cluster.regions.count() == 0
    confirmed = organizer_client.post(url, {"confirm": "1"})

    assert preview.context["preview"].created == 2
    assert confirmed.status_code == 200
    assert sorted(cluster.regions.values_list("code", flat=True)) == codes


def test_delegates_may_not_open_the_page(client, contest, delegate):
    client.force_login(delegate)

    assert client.get(page(contest)).status_code == 403


@pytest.mark.parametrize("count", [1, 3])
def test_clusters_page_queries_are_constant(
    organizer_client, contest, organizer, codes, count, django_assert_num_queries
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

    with django_assert_num_queries(9):
        response = organizer_client.get(page(contest))

    assert len(response.context["clusters"]) == count
