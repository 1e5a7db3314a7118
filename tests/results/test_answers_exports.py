"""The entry form's answers in the entries export: a column per question, each
cell formula-guarded, in a constant number of queries."""

import pytest
from django.urls import reverse

from contest.enums import QuestionKind as K
from results.exports_tables import entries_table, to_csv
from tests.factories.entry_forms import AnswerFactory, EntryQuestionFactory
from tests.factories.submissions import SubmissionFactory

pytestmark = [pytest.mark.django_db]


def test_entries_table_has_a_column_per_question(contest):
    text = EntryQuestionFactory(contest=contest, label="Nomor SK", order=1)
    many = EntryQuestionFactory(
        contest=contest, label="Sasaran", kind=K.CHOICES, options=["a", "b"], order=2
    )
    entry = SubmissionFactory(contest=contest)
    AnswerFactory(submission=entry, question=text, value="=HYPERLINK(1)")
    AnswerFactory(submission=entry, question=many, value=["a", "b"])
    SubmissionFactory(contest=contest)

    table = entries_table(contest)

    assert table.header[-2:] == ["Nomor SK", "Sasaran"]
    assert [row[-2:] for row in table.rows] == [["=HYPERLINK(1)", "a; b"], ["", ""]]
    csv = to_csv(table).decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in csv


@pytest.mark.parametrize("size", [1, 3])
def test_entries_export_with_answers_constant_queries(
    client, organizer, contest, size, django_assert_num_queries
):
    questions = EntryQuestionFactory.create_batch(2, contest=contest)
    for _ in range(size):
        entry = SubmissionFactory(contest=contest)
        for question in questions:
            AnswerFactory(submission=entry, question=question)
    client.force_login(organizer)
    url = reverse(
        "results:export-table",
        kwargs={"slug": contest.slug, "kind": "entries", "fmt": "csv"},
    )
    client.get(url)

    with django_assert_num_queries(7):
        response = client.get(url)

    assert response.content.decode("utf-8-sig").count("Jawaban") == 2 * size
