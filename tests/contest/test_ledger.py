import pytest

from contest import ledger
from contest.models import AuditEntry
from contest.services import create_category, update_contest

pytestmark = [pytest.mark.django_db]


def test_ledger_chain_is_intact_after_changes(contest, organizer):
    old_name = contest.name
    create_category(contest=contest, by=organizer, name="Kesehatan", slug="kesehatan")
    update_contest(contest=contest, by=organizer, data={"name": "Kontes Baru"})

    entries = list(AuditEntry.objects.order_by("seq"))

    assert [e.action for e in entries] == ["category.created", "contest.updated"]
    assert entries[1].prev_hash == entries[0].hash
    assert entries[0].prev_hash == ledger.GENESIS_HASH
    assert entries[1].data == {"name": [old_name, "Kontes Baru"]}
    assert entries[1].actor_email == organizer.email
    assert ledger.verify_chain(entries) == []


def test_ledger_detects_an_edited_entry(contest, organizer):
    create_category(contest=contest, by=organizer, name="Kesehatan", slug="kesehatan")
    create_category(contest=contest, by=organizer, name="Ekonomi", slug="ekonomi")
    AuditEntry.objects.filter(seq=1).update(data={"name": "Pariwisata"})

    problems = ledger.verify_chain(AuditEntry.objects.order_by("seq"))

    assert [(p.seq, p.reason) for p in problems] == [
        (1, "content does not match its hash")
    ]


def test_ledger_detects_a_removed_entry(contest, organizer):
    for slug in ["a", "b", "c"]:
        create_category(contest=contest, by=organizer, name=slug, slug=slug)
    AuditEntry.objects.filter(seq=2).delete()

    problems = ledger.verify_chain(AuditEntry.objects.order_by("seq"))

    assert {p.seq for p in problems} == {3}
    assert {p.reason for p in problems} == {
        "expected entry #2",
        "previous hash does not match",
    }


def test_canonical_json_sorts_keys_without_spaces():
    assert ledger.canonical_json({"b": 1, "a": "é"}) == '{"a":"é","b":1}'.encode()


def test_verify_ledger_command_reports_intact_chain(contest, organizer, capsys):
    from django.core.management import call_command

    create_category(contest=contest, by=organizer, name="Kesehatan", slug="kesehatan")

    call_command("verify_ledger")

    out = capsys.readouterr().out
    head = AuditEntry.objects.get(seq=1).hash
    assert f"Chain head: entry #1, hash {head}" in out
    assert (
        f"The ledger is intact: 1 entries, head {head}; 1 audited rows match their "
        "last entry." in out
    )


def test_verify_ledger_command_fails_on_tampering(contest, organizer, capsys):
    from django.core.management import CommandError, call_command

    create_category(contest=contest, by=organizer, name="Kesehatan", slug="kesehatan")
    AuditEntry.objects.filter(seq=1).update(actor_email="someone@else.id")

    with pytest.raises(CommandError, match="1 problem"):
        call_command("verify_ledger")

    assert "entry #1: content does not match its hash" in capsys.readouterr().err
