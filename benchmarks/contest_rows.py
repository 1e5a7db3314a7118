"""Rows the database benchmarks share: a contest with its categories, a scoring
stage and eligible entries. Call after django.setup()."""

import datetime as dt


def contest_with_categories(
    *,
    name: str,
    slug: str,
    host_region,
    submission_window: tuple[dt.datetime, dt.datetime],
    categories: int,
    category_name: str,
):
    """A contest whose submission window is over, and `categories` categories
    named `category_name` followed by their number; answers both."""
    from contest.models import Category, Contest

    opens, closes = submission_window
    contest = Contest.objects.create(
        name=name,
        slug=slug,
        host_region=host_region,
        submission_opens=opens,
        submission_closes=closes,
    )
    made = [
        Category.objects.create(
            contest=contest, name=f"{category_name}{c}", slug=f"k{c}", order=c
        )
        for c in range(categories)
    ]
    return contest, made


def scoring_stage(contest, *, name: str, opens: dt.datetime, closes: dt.datetime):
    """The contest's first stage, a scoring one open from `opens` to `closes`."""
    from contest.enums import StageKind
    from contest.models import Stage

    return Stage.objects.create(
        contest=contest,
        name=name,
        order=1,
        kind=StageKind.SCORING,
        opens=opens,
        closes=closes,
    )


def eligible_entries(
    contest, *, categories, regions, count: int, batch_size: int | None = None
) -> None:
    """`count` eligible entries, spread in turn over the categories and regions."""
    from submissions.enums import SubmissionState
    from submissions.models import Submission

    Submission.objects.bulk_create(
        (
            Submission(
                contest=contest,
                category=categories[n % len(categories)],
                region=regions[n % len(regions)],
                title=f"Inovasi {n}",
                state=SubmissionState.ELIGIBLE,
            )
            for n in range(count)
        ),
        batch_size=batch_size,
    )
