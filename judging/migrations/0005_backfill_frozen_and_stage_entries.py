"""Backfill for databases made before StageEntry and Contest.frozen_at existed.

- A contest with a final publication is frozen as of that publication.
- A scoring stage holds every entry already assigned in it; the first scoring stage
  also every entry screened eligible (and those that went on from it); a later stage
  also the entries its previous stage's advancement decision advanced.
"""

from django.db import migrations

FIRST_STAGE_STATES = ("eligible", "advanced", "not_advanced")


def backfill(apps, schema_editor):
    Contest = apps.get_model("contest", "Contest")
    Stage = apps.get_model("contest", "Stage")
    Submission = apps.get_model("submissions", "Submission")
    Publication = apps.get_model("judging", "Publication")
    Assignment = apps.get_model("judging", "Assignment")
    AdvancementDecision = apps.get_model("judging", "AdvancementDecision")
    StageEntry = apps.get_model("judging", "StageEntry")

    for publication in Publication.objects.filter(kind="final"):
        Contest.objects.filter(pk=publication.contest_id, frozen_at=None).update(
            frozen_at=publication.published_at
        )

    for contest in Contest.objects.all():
        previous = None
        for stage in Stage.objects.filter(contest=contest, kind="scoring").order_by(
            "order", "pk"
        ):
            ids = set(
                Assignment.objects.filter(stage=stage).values_list(
                    "submission_id", flat=True
                )
            )
            if previous is None:
                ids |= set(
                    Submission.objects.filter(
                        contest=contest, state__in=FIRST_STAGE_STATES
                    ).values_list("pk", flat=True)
                )
            else:
                decision = AdvancementDecision.objects.filter(stage=previous).first()
                if decision is not None:
                    ids |= {int(pk) for pk in decision.advanced}
            StageEntry.objects.bulk_create(
                [StageEntry(stage=stage, submission_id=pk) for pk in sorted(ids)],
                ignore_conflicts=True,
            )
            previous = stage


class Migration(migrations.Migration):
    dependencies = [
        ("judging", "0004_stage_entries_exclusions"),
        ("contest", "0002_frozen_at_row_hash"),
        ("submissions", "0001_initial"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
