"""The time zone of an Indonesian region, from its Kemendagri code: the province
(the code's first two digits) decides. Pure: no database.

WIB (Asia/Jakarta): Sumatra, Java, Kalimantan Barat and Kalimantan Tengah;
WITA (Asia/Makassar): Bali, Nusa Tenggara, Kalimantan Selatan, Timur and Utara,
Sulawesi; WIT (Asia/Jayapura): Maluku and every Papua province."""

from __future__ import annotations

WIB = "Asia/Jakarta"
WITA = "Asia/Makassar"
WIT = "Asia/Jayapura"

ABBREVIATIONS = {WIB: "WIB", WITA: "WITA", WIT: "WIT"}

# Province codes outside WIB; every other province is WIB.
_WITA_PROVINCES = frozenset(
    {
        "51",  # Bali
        "52",  # Nusa Tenggara Barat
        "53",  # Nusa Tenggara Timur
        "63",  # Kalimantan Selatan
        "64",  # Kalimantan Timur
        "65",  # Kalimantan Utara
        "71",  # Sulawesi Utara
        "72",  # Sulawesi Tengah
        "73",  # Sulawesi Selatan
        "74",  # Sulawesi Tenggara
        "75",  # Gorontalo
        "76",  # Sulawesi Barat
    }
)
# Maluku (81), Maluku Utara (82) and the Papua provinces (91 to 96).
_WIT_PREFIXES = ("8", "9")


def zone_of_region(code: str | None) -> str:
    """The IANA zone of the region with Kemendagri `code` ("52.72" or "52");
    WIB for an unknown or missing code."""
    province = (code or "").strip()[:2]
    if len(province) != 2 or not province.isdigit():
        return WIB
    if province in _WITA_PROVINCES:
        return WITA
    if province.startswith(_WIT_PREFIXES):
        return WIT
    return WIB


def abbreviation(zone: str) -> str:
    """WIB, WITA or WIT for the zone (the zone's own name otherwise)."""
    return ABBREVIATIONS.get(zone, zone)
