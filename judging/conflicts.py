"""The conflicts of interest that follow from regions alone (no database).

Region codes are Kemendagri codes: a province has two digits ("52"), a regency or city
adds its own after a dot ("52.72"), so a region's province is the part before the dot.
A judge is conflicted with an entry when

- the entry comes from the judge's home region (``same_region``);
- the judge's home is a province and the entry comes from that province or one of its
  regencies and cities (``province_judge``);
- the judge's home is a regency or city and the entry comes from another region of the
  same province, or from the province itself (``same_province``);
- the judge is a delegate, in the contest, of a region that would conflict in the same
  way were it the judge's home (``delegate_region``).
"""

from __future__ import annotations

from collections.abc import Iterable

from judging.enums import ConflictRule


def province_code(region_code: str) -> str:
    return region_code.split(".")[0]


def derived_rule(home_code: str | None, entry_code: str | None) -> str | None:
    """The rule that makes the pair a conflict, or None when the regions allow it."""
    if not home_code or not entry_code:
        return None
    if home_code == entry_code:
        return ConflictRule.SAME_REGION
    if province_code(home_code) != province_code(entry_code):
        return None
    if "." not in home_code:
        return ConflictRule.PROVINCE_JUDGE
    return ConflictRule.SAME_PROVINCE


def judge_rule(
    home_code: str | None, delegate_codes: Iterable[str], entry_code: str | None
) -> str | None:
    """The rule for a judge with a home region and the regions they are a delegate
    of: the home region's rule first, then the delegate rule."""
    rule = derived_rule(home_code, entry_code)
    if rule is not None:
        return rule
    for code in delegate_codes:
        if derived_rule(code, entry_code) is not None:
            return ConflictRule.DELEGATE_REGION
    return None
