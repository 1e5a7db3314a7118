"""The entry form's answers where judges read the entry: the scoring page and the
printable entry PDF."""

import pytest
from django.urls import reverse

from judging import packs as services
from judging.enums import PackState
from tests.factories.entry_forms import AnswerFactory, EntryQuestionFactory
from tests.judging.test_packs import pdf_text, read

pytestmark = [pytest.mark.django_db]


def test_entry_pdf_lists_the_answers(
    entry, judge_assigned, django_capture_on_commit_callbacks
):
    question = EntryQuestionFactory(
        contest=entry.contest, label="Nomor SK Bupati", label_en="Regent's decree"
    )
    AnswerFactory(submission=entry, question=question, value="SK-188/2021")

    with django_capture_on_commit_callbacks(execute=True):
        pack = services.request_entry_pdf(submission=entry, by=judge_assigned)

    pack.refresh_from_db()
    assert pack.state == PackState.DONE
    text = pdf_text(read(pack))
    assert "Regent" in text
    assert "SK-188/2021" in text


def test_scoring_page_shows_the_answers(client, entry, assignment, judge_assigned):
    question = EntryQuestionFactory(
        contest=entry.contest, label="Nomor SK", label_en="Decree number"
    )
    AnswerFactory(submission=entry, question=question, value="SK-188/2021")
    client.force_login(judge_assigned)
    client.cookies["django_language"] = "en"

    response = client.get(reverse("judging:sheet", kwargs={"pk": assignment.pk}))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Decree number" in html
    assert "SK-188/2021" in html
