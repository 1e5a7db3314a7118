import pytest

from tests.factories.contest import ProvinceFactory, RegionFactory

pytestmark = [pytest.mark.django_db]


@pytest.fixture(autouse=True)
def _static_root(settings, tmp_path):
    """WhiteNoise warns (an error here) when STATIC_ROOT is missing."""
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    settings.STATIC_ROOT.mkdir()


URL = "/api/v1/regions/"


def test_regions_list_type_kota_only_kota(api, regions):
    response = api.get(URL, {"type": "kota"})

    body = response.json()
    assert response.status_code == 200
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 98
    assert body["previous"] is None
    assert "type=kota" in body["next"]
    assert len(body["results"]) == 50
    assert {r["type"] for r in body["results"]} == {"kota"}


def test_regions_list_next_page_continues_the_filter(api, regions):
    first = api.get(URL, {"type": "kota"}).json()

    response = api.get(first["next"])

    body = response.json()
    assert response.status_code == 200
    assert body["next"] is None
    assert len(body["results"]) == 48
    assert {r["type"] for r in body["results"]} == {"kota"}
    codes = [r["code"] for r in first["results"] + body["results"]]
    assert len(set(codes)) == 98
    assert codes == sorted(codes)


@pytest.mark.parametrize(
    ("region_type", "count"), [("provinsi", 38), ("kabupaten", 416), ("kota", 98)]
)
def test_regions_list_type_counts(api, regions, region_type, count):
    response = api.get(URL, {"type": region_type})

    assert response.status_code == 200
    assert response.json()["count"] == count


def test_regions_list_unfiltered_has_the_whole_registry(api, regions):
    response = api.get(URL)

    assert response.status_code == 200
    assert response.json()["count"] == 552


def test_regions_list_province_gives_its_regions(api, regions):
    response = api.get(URL, {"province": "52"})

    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 10
    assert [r["code"] for r in body["results"]] == [
        "52.01",
        "52.02",
        "52.03",
        "52.04",
        "52.05",
        "52.06",
        "52.07",
        "52.08",
        "52.71",
        "52.72",
    ]
    assert {r["province"] for r in body["results"]} == {"52"}


def test_regions_list_province_and_type_combined(api, regions):
    response = api.get(URL, {"province": "52", "type": "kota"})

    body = response.json()
    assert response.status_code == 200
    assert [(r["code"], r["name"]) for r in body["results"]] == [
        ("52.71", "Kota Mataram"),
        ("52.72", "Kota Bima"),
    ]


def test_regions_detail_kota_bima(api, regions):
    response = api.get(f"{URL}52.72/")

    assert response.status_code == 200
    assert response.json() == {
        "code": "52.72",
        "name": "Kota Bima",
        "type": "kota",
        "province": "52",
    }


def test_regions_detail_province_has_no_province(api, regions):
    response = api.get(f"{URL}52/")

    body = response.json()
    assert response.status_code == 200
    assert body["type"] == "provinsi"
    assert body["province"] is None


def test_regions_detail_unknown_code_404(api, regions):
    response = api.get(f"{URL}99.99/")

    assert response.status_code == 404
    assert "detail" in response.json()


def test_regions_list_bogus_type_400(api, regions):
    response = api.get(URL, {"type": "bogus"})

    assert response.status_code == 400
    assert "type" in response.json()


def test_regions_list_unknown_province_400(api, regions):
    response = api.get(URL, {"province": "99"})

    assert response.status_code == 400
    assert "province" in response.json()


def test_regions_list_read_only(api, regions):
    response = api.post(URL, {"code": "99.99", "name": "Kota Baru"}, format="json")

    assert response.status_code == 405
    assert "detail" in response.json()


@pytest.mark.parametrize("size", [1, 3])
def test_regions_list_query_count_constant(api, django_assert_num_queries, size):
    province = ProvinceFactory()
    RegionFactory.create_batch(size, province=province)

    with django_assert_num_queries(2):
        response = api.get(URL)

    assert response.json()["count"] == size + 1
