"""An indicator stage worked out by hand (docs/indicator-index.md).

Indicators I1 (weight 2), I2 and I3 (weight 1), each with levels worth 0, 50
and 100 points: the most an entry can score is 2*100 + 100 + 100 = 400.

    entry  region  I1             I2             I3             score
    A      R1      2 valid (200)  1 valid (50)   2 invalid (0)  250/400 = 62.50
    D      R1      2 valid (200)  2 valid (100)  1 valid (50)   350/400 = 87.50
    B      R2      1 valid (100)  2 pending      2 revision     100/400 = 25.00
    C      R3      2 invalid      not answered   1 pending      Tidak dapat dinilai

R1's index is the mean 75.00 (or the sum 150.00, capped at 100.00); R2's 25.00;
R3 cannot be assessed.
"""

from decimal import Decimal

import pytest

from judging.enums import Verdict

VALID, INVALID = Verdict.VALID, Verdict.INVALID
PENDING, REVISION = Verdict.PENDING, Verdict.REVISION

ANSWERS = {
    "A": [(2, VALID), (1, VALID), (2, INVALID)],
    "D": [(2, VALID), (2, VALID), (1, VALID)],
    "B": [(1, VALID), (2, PENDING), (2, REVISION)],
    "C": [(2, INVALID), None, (1, None)],
}


@pytest.fixture
def index_stage(contest):
    from tests.factories.indicators import IndicatorStageFactory

    return IndicatorStageFactory(
        contest=contest, name="Indeks Inovasi", order=2, advance_per_category=2
    )


@pytest.fixture
def scoring_stage(contest, index_stage):
    from tests.factories.judging import OpenStageFactory

    return OpenStageFactory(contest=contest, name="Presentasi", order=3)


@pytest.fixture
def indicators(index_stage):
    from tests.factories.indicators import IndicatorFactory

    return [
        IndicatorFactory(stage=index_stage, name=f"I{n}", weight=Decimal(w), order=n)
        for n, w in ((1, 2), (2, 1), (3, 1))
    ]


@pytest.fixture
def index_regions(delegate_region):
    from tests.factories.contest import RegionFactory

    return {
        "R1": delegate_region,
        "R2": RegionFactory(name="Kabupaten Mimika"),
        "R3": RegionFactory(name="Kota Bandung"),
    }


@pytest.fixture
def index_entries(contest, category, index_regions):
    from tests.factories.judging import EligibleSubmissionFactory

    where = {"A": "R1", "D": "R1", "B": "R2", "C": "R3"}
    return {
        key: EligibleSubmissionFactory(
            contest=contest,
            category=category,
            region=index_regions[region],
            title=f"Judul-{key}",
        )
        for key, region in where.items()
    }


@pytest.fixture
def indexed(index_stage, indicators, index_entries):
    """The answers and verdicts of the table above; answers the entries."""
    from tests.factories.indicators import answered

    for key, answers in ANSWERS.items():
        for indicator, answer in zip(indicators, answers, strict=True):
            if answer is None:
                continue
            level, verdict = answer
            answered(
                submission=index_entries[key],
                criterion=indicator,
                level=level,
                verdict=verdict,
            )
    return index_entries
