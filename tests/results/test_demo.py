import hashlib

import pytest

from contest.demo import load_demo_contest
from contest.ledger import canonical_json
from judging.demo import load_demo_judges, load_demo_judging
from results.demo import load_demo_results
from results.models import AdvancementDecision, Award, Publication
from submissions.demo import load_demo_submissions

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def demo(regions):
    contest = load_demo_contest()
    load_demo_submissions(contest)
    load_demo_judges(contest)
    load_demo_judging(contest)
    return contest


def test_load_demo_results_publishes_the_demo_contest(
    demo, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publication = load_demo_results(demo)

    assert publication.is_final
    assert (
        publication.digest
        == hashlib.sha256(canonical_json(publication.snapshot)).hexdigest()
    )
    desk = demo.stages.get(order=2)
    assert AdvancementDecision.objects.get().stage == desk
    assert desk.minutes.exists()
    places = Award.objects.filter(kind="place")
    assert places.filter(name="Terbaik I").count() == len(
        {e["category"] for e in publication.snapshot["entries"]}
    )
    for award in places:
        entry = next(
            e for e in publication.snapshot["entries"] if e["id"] == award.submission_id
        )
        assert entry["final_rank"] == award.rank
    assert Award.objects.filter(kind="regional").exists()
    assert publication.snapshot["stages"][0]["scored"] is True


def test_load_demo_results_twice_changes_nothing(demo):
    first = load_demo_results(demo)
    awards = Award.objects.count()

    again = load_demo_results(demo)

    assert again.pk == first.pk
    assert Publication.objects.count() == 1
    assert Award.objects.count() == awards


def test_load_demo_results_without_sheets_does_nothing(regions):
    contest = load_demo_contest()

    assert load_demo_results(contest) is None
    assert not Publication.objects.exists()
