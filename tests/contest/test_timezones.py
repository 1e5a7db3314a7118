import pytest

from contest.timezones import WIB, WIT, WITA, abbreviation, zone_of_region


@pytest.mark.parametrize(
    ("code", "zone"),
    [
        ("52.72", WITA),  # Kota Bima, NTB
        ("51.08", WITA),  # Buleleng, Bali
        ("53", WITA),  # NTT
        ("61.71", WIB),  # Pontianak, Kalimantan Barat
        ("62.71", WIB),  # Palangka Raya, Kalimantan Tengah
        ("63.71", WITA),  # Banjarmasin, Kalimantan Selatan
        ("64.72", WITA),  # Samarinda
        ("65.01", WITA),  # Kalimantan Utara
        ("71.73", WITA),  # Tomohon
        ("73.71", WITA),  # Makassar
        ("76", WITA),  # Sulawesi Barat
        ("81.71", WIT),  # Ambon
        ("82", WIT),  # Maluku Utara
        ("94.04", WIT),  # Mimika
        ("96", WIT),  # Papua Barat Daya
        ("32.73", WIB),  # Bandung
        ("16.07", WIB),  # Banyuasin
        ("14.08", WIB),  # Siak
        ("31", WIB),  # DKI Jakarta
    ],
)
def test_zone_of_region_by_province(code, zone):
    assert zone_of_region(code) == zone


@pytest.mark.parametrize("code", [None, "", "x", "ab.01", "5"])
def test_zone_of_region_unknown_is_wib(code):
    assert zone_of_region(code) == WIB


def test_abbreviation_names_the_three_zones():
    assert [abbreviation(z) for z in (WIB, WITA, WIT)] == ["WIB", "WITA", "WIT"]
    assert abbreviation("Europe/Paris") == "Europe/Paris"
