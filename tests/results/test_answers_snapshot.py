"""The published snapshot holds each entry's answers to the public questions only,
as strings, and the public results pages show them."""

import pytest
from django.urls import reverse

from contest.enums import QuestionKind as K
from results import services
from tests.factories.entry_forms import AnswerFactory, EntryQuestionFactory

pytestmark = [pytest.mark.django_db]


def test_snapshot_has_only_public_answers_as_strings(
    client, contest, scored, entries, organizer
):
    public = EntryQuestionFactory(
        contest=contest, kind=K.NUMBER, label="Anggaran", label_en="Budget", public=True
    )
    private = EntryQuestionFactory(contest=contest, label="Catatan internal")
    AnswerFactory(submission=entries["E1"], question=public, value="12.5")
    AnswerFactory(submission=entries["E1"], question=private, value="rahasia")
    services.give_place_awards(contest=contest, by=organizer, places=1)

    publication = services.publish_contest(contest=contest, by=organizer)

    by_id = {e["id"]: e for e in publication.snapshot["entries"]}
    assert by_id[entries["E1"].pk]["answers"] == [
        {"question": "Anggaran", "question_en": "Budget", "value": "12.5"}
    ]
    assert by_id[entries["E2"].pk]["answers"] == []
    assert "rahasia" not in str(publication.snapshot)
    client.cookies["django_language"] = "en"
    html = client.get(
        reverse("results:public", kwargs={"slug": contest.slug})
    ).content.decode()
    assert "Budget" in html
    assert "12.5" in html


def test_snapshot_without_public_questions_has_no_answers(
    contest, scored, entries, organizer
):
    question = EntryQuestionFactory(contest=contest)
    AnswerFactory(submission=entries["E1"], question=question)

    publication = services.publish_contest(contest=contest, by=organizer)

    assert all("answers" not in e for e in publication.snapshot["entries"])
