"""Every audited row must have a ledger entry from now on (`contest.ledger.verify_rows`
reports one without). Code before this one wrote some audited rows without an entry
of their own (an assignment run, the derived conflicts, the stage entries, an empty
draft sheet, the demo's judges and delegates), so on a database that already holds
such rows this writes one chained entry listing them (`ledger.baseline_entry`): they
are left out of that check, every row made after it is not. A new database holds no
rows here and gets no such entry.

It runs after every app's tables are in place (the results' under their new names),
and reads them through the historical models, so it works from any older database.
"""

from django.db import migrations

from contest import ledger


def baseline(apps, schema_editor):
    db = schema_editor.connection.alias
    AuditEntry = apps.get_model("contest", "AuditEntry")
    LedgerHead = apps.get_model("contest", "LedgerHead")
    unrecorded = {}
    for label in sorted(ledger.audited_models()):
        app_label, model_name = label.split(".")
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            continue
        recorded = set(
            AuditEntry.objects.using(db)
            .filter(object_type=label)
            .values_list("object_id", flat=True)
        )
        missing = [
            pk
            for pk in model._base_manager.using(db).values_list("pk", flat=True)
            if str(pk) not in recorded
        ]
        if missing:
            unrecorded[label] = ledger.pk_ranges(missing)
    if not unrecorded:
        return
    head, _created = LedgerHead.objects.using(db).get_or_create(id=1)
    entry = ledger.baseline_entry(
        entry_model=AuditEntry, head=head, unrecorded=unrecorded
    )
    entry.save(using=db)
    head.last_seq = entry.seq
    head.last_hash = entry.hash
    head.save(using=db, update_fields=["last_seq", "last_hash"])


class Migration(migrations.Migration):
    dependencies = [
        ("contest", "0002_frozen_at_row_hash"),
        ("judging", "0007_results_moved_to_their_app"),
        ("results", "0002_results_tables"),
        ("submissions", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(baseline, migrations.RunPython.noop),
    ]
