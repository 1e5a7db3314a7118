import pytest

from contest.models import AuditEntry
from results import selectors, services
from tests.factories.results import PublicationFactory

pytestmark = [pytest.mark.django_db]


def test_publication_ledger_entry_is_the_entry_that_recorded_it(
    published, django_assert_num_queries
):
    recorded = AuditEntry.objects.get(
        action="results.published", object_id=str(published.pk)
    )

    with django_assert_num_queries(1):
        entry = selectors.publication_ledger_entry(published)

    assert (entry.seq, entry.hash) == (recorded.seq, recorded.hash)


def test_publication_ledger_entry_none_for_a_publication_never_recorded(contest):
    publication = PublicationFactory(contest=contest)

    entry = selectors.publication_ledger_entry(publication)

    assert entry is None


def test_snapshot_digest_is_the_published_digest(published):
    digest = services.snapshot_digest(published.snapshot)

    assert digest == published.digest
