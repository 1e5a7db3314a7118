"""The entry form's answers through the API and the delegate's pages: validated
(400 naming the question), required at submission, file answers checked."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contest.enums import QuestionKind as K
from submissions.enums import SubmissionState
from submissions.models_answers import Answer
from tests.factories.entry_forms import AnswerFactory, EntryQuestionFactory
from tests.factories.submissions import PDF_BYTES, EvidenceFactory, SubmissionFactory
from tests.submissions.test_answers import PNG

pytestmark = [pytest.mark.django_db]


def api_detail(entry, name="detail", **kwargs):
    return reverse(
        f"submission-{name}",
        kwargs={"contest_slug": entry.contest.slug, "pk": entry.pk, **kwargs},
    )


def page(entry, name, **kwargs):
    return reverse(
        f"submissions:{name}",
        kwargs={"slug": entry.contest.slug, "pk": entry.pk, **kwargs},
    )


@pytest.fixture
def number_question(contest):
    return EntryQuestionFactory(
        contest=contest, kind=K.NUMBER, label="Anggaran", max_value=100
    )


def test_api_patch_saves_answers_and_reads_them(api, delegate, entry, number_question):
    api.force_authenticate(delegate)

    response = api.patch(
        api_detail(entry),
        {"answers": [{"question": number_question.pk, "value": "42"}]},
        format="json",
    )

    assert response.status_code == 200, response.json()
    assert response.json()["answers"] == [
        {
            "question": number_question.pk,
            "label": "Question " + number_question.label_en.split()[-1],
            "kind": "number",
            "value": "42",
        }
    ]


def test_api_post_creates_with_answers(
    api, delegate, contest, category, number_question
):
    api.force_authenticate(delegate)

    response = api.post(
        reverse("submission-list", kwargs={"contest_slug": contest.slug}),
        {
            "category": category.pk,
            "title": "Saninu",
            "answers": [{"question": number_question.pk, "value": 7}],
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert Answer.objects.get().value == "7"


@pytest.mark.parametrize(
    "answers",
    [
        [{"question": "QUESTION", "value": "500"}],
        [{"question": "QUESTION", "value": {"deep": ["x"]}}],
        [{"question": 999999, "value": "1"}],
    ],
)
def test_api_refuses_a_bad_answer_naming_the_question(
    api, delegate, entry, number_question, answers
):
    for item in answers:
        if item["question"] == "QUESTION":
            item["question"] = number_question.pk
    api.force_authenticate(delegate)

    response = api.patch(api_detail(entry), {"answers": answers}, format="json")

    assert response.status_code == 400
    body = response.json()
    assert body["answers"][0]["question"] == answers[0]["question"]
    assert body["answers"][0]["value"]
    assert not Answer.objects.exists()


@pytest.mark.parametrize(
    "answers", ["x", [{"value": "1"}], [{"question": True, "value": "1"}], [1]]
)
def test_api_refuses_malformed_answers(api, delegate, entry, answers):
    api.force_authenticate(delegate)

    response = api.patch(api_detail(entry), {"answers": answers}, format="json")

    assert response.status_code == 400
    assert "answers" in response.json()


def test_api_submit_refused_without_a_required_answer(api, delegate, entry):
    EvidenceFactory(submission=entry)
    question = EntryQuestionFactory(contest=entry.contest, required=True)
    api.force_authenticate(delegate)

    response = api.post(api_detail(entry, "submit"))

    assert response.status_code == 400
    assert response.json()["answers"] == [
        {"question": question.pk, "value": ["This question is required."]}
    ]
    entry.refresh_from_db()
    assert entry.state == SubmissionState.DRAFT


def test_api_file_answer_upload_and_clear(api, delegate, entry):
    question = EntryQuestionFactory(
        contest=entry.contest, kind=K.FILE, file_types=["pdf"]
    )
    api.force_authenticate(delegate)
    url = api_detail(entry, "answer-file", question_pk=question.pk)

    uploaded = api.post(
        url, {"file": SimpleUploadedFile("sk.pdf", PDF_BYTES)}, format="multipart"
    )
    item = uploaded.json()["answers"][0]
    download = api.get(item["file_url"])
    cleared = api.delete(url)

    assert uploaded.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert cleared.status_code == 204
    assert not Answer.objects.exists()


def test_api_file_answer_of_a_wrong_type_refused(api, delegate, entry):
    question = EntryQuestionFactory(
        contest=entry.contest, kind=K.FILE, file_types=["pdf"]
    )
    api.force_authenticate(delegate)

    response = api.post(
        api_detail(entry, "answer-file", question_pk=question.pk),
        {"file": SimpleUploadedFile("sk.pdf", PNG)},
        format="multipart",
    )

    assert response.status_code == 400
    assert "file" in response.json()
    assert not Answer.objects.exists()


def test_api_file_answer_to_an_unknown_question_is_404(api, delegate, entry):
    api.force_authenticate(delegate)

    response = api.post(
        api_detail(entry, "answer-file", question_pk=987654),
        {"file": SimpleUploadedFile("sk.pdf", PDF_BYTES)},
        format="multipart",
    )

    assert response.status_code == 404


@pytest.mark.parametrize("count", [1, 3])
def test_api_list_with_answers_runs_constant_queries(
    api, organizer, contest, category, count, django_assert_num_queries
):
    questions = EntryQuestionFactory.create_batch(2, contest=contest)
    for _ in range(count):
        entry = SubmissionFactory(contest=contest, category=category)
        for question in questions:
            AnswerFactory(submission=entry, question=question)
    api.force_authenticate(organizer)

    with django_assert_num_queries(7):
        response = api.get(
            reverse("submission-list", kwargs={"contest_slug": contest.slug})
        )

    assert [len(r["answers"]) for r in response.json()["results"]] == [2] * count


# ------------------------------------------------------------------- the pages


def form(entry, **extra):
    return {
        "category": entry.category_id,
        "title": entry.title,
        "summary": entry.summary,
        "problem": "",
        "solution": "",
        "impact": "",
        "started_on": "2021-03-01",
        "agency": entry.agency,
        "links": "",
        **extra,
    }


def test_edit_page_shows_questions_in_the_users_language(client, delegate, entry):
    EntryQuestionFactory(
        contest=entry.contest,
        label="Nomor SK",
        label_en="Decree number",
        help_text="Tulis nomornya",
        help_text_en="Write its number",
    )
    client.force_login(delegate)
    client.cookies["django_language"] = "en"

    html = client.get(page(entry, "edit")).content.decode()

    assert "Decree number" in html
    assert "Write its number" in html


def test_edit_page_saves_answers(client, delegate, entry, number_question):
    client.force_login(delegate)

    response = client.post(
        page(entry, "edit"), form(entry, **{f"answer_{number_question.pk}": "12"})
    )

    assert response.status_code == 302
    assert Answer.objects.get().value == "12"


def test_edit_page_refuses_a_bad_answer_keeping_what_was_typed(
    client, delegate, entry, number_question
):
    client.force_login(delegate)
    client.cookies["django_language"] = "en"

    response = client.post(
        page(entry, "edit"),
        form(entry, title="Judul baru", **{f"answer_{number_question.pk}": "5000"}),
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "Give a number of at most 100." in html
    assert 'value="5000"' in html
    assert 'value="Judul baru"' in html
    entry.refresh_from_db()
    assert entry.title != "Judul baru"
    assert not Answer.objects.exists()


def test_create_page_saves_answers(
    client, delegate, contest, category, number_question
):
    client.force_login(delegate)

    response = client.post(
        reverse("submissions:create", kwargs={"slug": contest.slug}),
        {
            "category": category.pk,
            "title": "Saninu",
            "links": "",
            f"answer_{number_question.pk}": "3",
        },
    )

    assert response.status_code == 302
    assert Answer.objects.get().value == "3"


def test_submit_page_refused_without_a_required_answer(client, delegate, entry):
    EvidenceFactory(submission=entry)
    EntryQuestionFactory(contest=entry.contest, required=True, label="Nomor SK")
    client.force_login(delegate)
    client.cookies["django_language"] = "en"

    response = client.post(page(entry, "submit"), follow=True)

    assert "Nomor SK" in response.content.decode()
    entry.refresh_from_db()
    assert entry.state == SubmissionState.DRAFT


def test_file_answer_page_refuses_a_wrong_type(client, delegate, entry):
    question = EntryQuestionFactory(
        contest=entry.contest, kind=K.FILE, file_types=["pdf"]
    )
    client.force_login(delegate)
    client.cookies["django_language"] = "en"

    response = client.post(
        page(entry, "answer-file", question_pk=question.pk),
        {"file": SimpleUploadedFile("sk.pdf", PNG)},
        follow=True,
    )

    assert "this question takes PDF" in response.content.decode()
    assert not Answer.objects.exists()


def test_file_answer_page_uploads_and_detail_shows_it(client, delegate, entry):
    question = EntryQuestionFactory(contest=entry.contest, kind=K.FILE)
    client.force_login(delegate)

    client.post(
        page(entry, "answer-file", question_pk=question.pk),
        {"file": SimpleUploadedFile("sk-bupati.pdf", PDF_BYTES)},
    )
    html = client.get(page(entry, "detail")).content.decode()

    assert "sk-bupati.pdf" in html
    assert page(entry, "answer-download", question_pk=question.pk) in html


def test_screening_page_shows_the_answers(client, organizer, entry):
    question = EntryQuestionFactory(contest=entry.contest, label_en="Decree number")
    AnswerFactory(submission=entry, question=question, value="SK-188/2021")
    client.force_login(organizer)
    client.cookies["django_language"] = "en"

    html = client.get(page(entry, "screening-detail")).content.decode()

    assert "Decree number" in html
    assert "SK-188/2021" in html
