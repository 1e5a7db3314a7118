import pytest
from django.core.management import call_command

from contest.enums import RegionType
from contest.models import Region
from contest.regions import RegionRow, load_regions

pytestmark = [pytest.mark.django_db]


def test_load_regions_counts_the_registry(regions):
    counts = {t: Region.objects.filter(type=t).count() for t in RegionType.values}

    assert counts == {"provinsi": 38, "kabupaten": 416, "kota": 98}
    assert Region.objects.count() == 552


def test_load_regions_kota_bima_is_52_72_in_ntb(regions):
    bima = Region.objects.select_related("province").get(code="52.72")

    assert bima.name == "Kota Bima"
    assert bima.type == RegionType.KOTA
    assert bima.province.code == "52"
    assert bima.province.name == "Nusa Tenggara Barat"


def test_load_regions_every_regency_points_to_its_province(regions):
    mismatched = [
        r.code
        for r in Region.objects.exclude(type=RegionType.PROVINSI)
        if r.province_id != r.code.split(".")[0]
    ]

    assert mismatched == []


def test_load_regions_command_is_idempotent(regions, capsys):
    call_command("load_regions")

    out = capsys.readouterr().out
    assert "552 in the registry (0 created, 0 updated, 552 unchanged)" in out
    assert Region.objects.count() == 552


def test_load_regions_updates_a_renamed_region(db):
    load_regions(
        [
            RegionRow("52", "NTB", "provinsi", None),
            RegionRow("52.72", "Bima", "kota", "52"),
        ]
    )

    report = load_regions(
        [
            RegionRow("52", "Nusa Tenggara Barat", "provinsi", None),
            RegionRow("52.72", "Kota Bima", "kota", "52"),
        ]
    )

    assert (report.created, report.updated, report.unchanged) == (0, 2, 0)
    assert Region.objects.get(code="52.72").name == "Kota Bima"
