import pytest

from judging import selectors, services
from judging.conflicts import derived_rule
from judging.enums import ConflictRule, ConflictSource
from judging.models import Assignment, ConflictOfInterest
from tests.factories.contest import ProvinceFactory, RegionFactory
from tests.factories.judging import (
    AssignmentFactory,
    DeclaredConflictFactory,
    EligibleSubmissionFactory,
    JudgeFactory,
)

pytestmark = [pytest.mark.django_db]


@pytest.mark.parametrize(
    ("home", "entry", "expected"),
    [
        ("52.72", "52.72", ConflictRule.SAME_REGION),
        ("52", "52", ConflictRule.SAME_REGION),
        ("52.72", "52.02", ConflictRule.SAME_PROVINCE),
        ("52.72", "52", ConflictRule.SAME_PROVINCE),
        ("52", "52.72", ConflictRule.PROVINCE_JUDGE),
        ("52", "53.01", None),
        ("52.72", "51.08", None),
        ("51", "52", None),
        (None, "52.72", None),
        ("", "52.72", None),
    ],
)
def test_derived_rule_truth_table(home, entry, expected):
    assert derived_rule(home, entry) == expected


@pytest.fixture
def nusa_tenggara_barat(db):
    province = ProvinceFactory(code="52", name="Nusa Tenggara Barat")
    return {
        "52": province,
        "52.72": RegionFactory(code="52.72", province=province, name="Kota Bima"),
        "52.02": RegionFactory(
            code="52.02", province=province, name="Kabupaten Lombok Tengah"
        ),
    }


@pytest.fixture
def bali(db):
    province = ProvinceFactory(code="51", name="Bali")
    return RegionFactory(code="51.08", province=province, name="Kabupaten Buleleng")


@pytest.mark.parametrize(
    ("home", "conflicted"),
    [("52.72", True), ("52", True), ("52.02", True), ("51.08", False), (None, False)],
)
def test_with_conflict_flag_follows_the_regions(
    stage, nusa_tenggara_barat, bali, home, conflicted
):
    regions = {**nusa_tenggara_barat, "51.08": bali}
    judge = JudgeFactory(contest=stage.contest, home_region=regions.get(home))
    entry = EligibleSubmissionFactory(
        contest=stage.contest, region=nusa_tenggara_barat["52.72"]
    )
    AssignmentFactory(stage=stage, judge=judge, submission=entry)

    flagged = selectors.with_conflict_flag(Assignment.objects.all()).get()

    assert flagged.conflicted is conflicted


def test_with_conflict_flag_sees_a_declared_conflict(assignment):
    DeclaredConflictFactory(judge=assignment.judge, submission=assignment.submission)

    flagged = selectors.with_conflict_flag(Assignment.objects.all()).get()

    assert flagged.conflicted is True


def test_conflict_between_names_the_derived_reason(contest, nusa_tenggara_barat):
    judge = JudgeFactory(contest=contest, home_region=nusa_tenggara_barat["52"])
    entry = EligibleSubmissionFactory(
        contest=contest, region=nusa_tenggara_barat["52.02"]
    )

    conflict = selectors.conflict_between(judge=judge, submission=entry)

    assert conflict.source == ConflictSource.DERIVED
    assert conflict.reason == (
        "The judge's home is its province (a province-level judge)"
    )


def test_conflict_between_names_the_declared_reason(contest):
    conflict = DeclaredConflictFactory(
        judge__contest=contest, reason="Pernah menjadi konsultan."
    )

    found = selectors.conflict_between(
        judge=conflict.judge, submission=conflict.submission
    )

    assert found.source == ConflictSource.DECLARED
    assert found.reason == "Pernah menjadi konsultan."


def test_conflict_between_none_for_a_free_pair(judge, entry):
    assert selectors.conflict_between(judge=judge, submission=entry) is None


def test_judge_list_never_shows_a_conflicted_entry(stage, judge, nusa_tenggara_barat):
    judge.home_region = nusa_tenggara_barat["52.02"]
    judge.save()
    # Far from the judge's province (a factory's region may fall in it).
    elsewhere = RegionFactory(province=ProvinceFactory(code="61"), code="61.71")
    fine = AssignmentFactory(
        stage=stage,
        judge=judge,
        submission=EligibleSubmissionFactory(contest=stage.contest, region=elsewhere),
    )
    AssignmentFactory(
        stage=stage,
        judge=judge,
        submission=EligibleSubmissionFactory(
            contest=stage.contest, region=nusa_tenggara_barat["52.72"]
        ),
    )
    declared = AssignmentFactory(stage=stage, judge=judge)
    DeclaredConflictFactory(judge=judge, submission=declared.submission)

    listed = list(selectors.assignments_for_judge(judge.user))

    assert listed == [fine]


def test_sync_derived_conflicts_records_each_rule_once(
    contest, nusa_tenggara_barat, bali
):
    judges = {
        code: JudgeFactory(contest=contest, home_region=nusa_tenggara_barat[code])
        for code in ("52", "52.72", "52.02")
    }
    JudgeFactory(contest=contest, home_region=bali)
    entry = EligibleSubmissionFactory(
        contest=contest, region=nusa_tenggara_barat["52.72"]
    )

    first = services.sync_derived_conflicts(contest=contest)
    again = services.sync_derived_conflicts(contest=contest)

    assert (first.created, again.created, again.removed) == (3, 0, 0)
    assert set(
        ConflictOfInterest.objects.filter(submission=entry).values_list(
            "judge_id", "rule"
        )
    ) == {
        (judges["52"].pk, ConflictRule.PROVINCE_JUDGE),
        (judges["52.72"].pk, ConflictRule.SAME_REGION),
        (judges["52.02"].pk, ConflictRule.SAME_PROVINCE),
    }


def test_sync_derived_conflicts_skips_drafts(contest, nusa_tenggara_barat):
    JudgeFactory(contest=contest, home_region=nusa_tenggara_barat["52.72"])
    EligibleSubmissionFactory(
        contest=contest, region=nusa_tenggara_barat["52.72"], state="draft"
    )

    sync = services.sync_derived_conflicts(contest=contest)

    assert sync.created == 0
