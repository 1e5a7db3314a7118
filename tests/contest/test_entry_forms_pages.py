"""The organizer's entry-form pages and the questions API."""

import pytest
from django.urls import reverse

from contest.enums import QuestionKind
from contest.models import EntryQuestion
from tests.factories.entry_forms import AnswerFactory, EntryQuestionFactory
from tests.factories.judging import JudgeFactory

pytestmark = [pytest.mark.django_db]


def url(name, contest, **kwargs):
    return reverse(f"contest:{name}", kwargs={"slug": contest.slug, **kwargs})


def api_url(contest, pk=None):
    if pk is None:
        return f"/api/v1/contests/{contest.slug}/questions/"
    return f"/api/v1/contests/{contest.slug}/questions/{pk}/"


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("anonymous", 302),
        ("delegate", 403),
        ("other_organizer", 403),
        ("organizer", 200),
    ],
)
def test_questions_page_by_role(client, sign_in, contest, role, status):
    sign_in(role)

    response = client.get(url("questions", contest))

    assert response.status_code == status


def test_question_create_page_adds_a_choice_question(client, contest, organizer):
    client.force_login(organizer)
    client.cookies["django_language"] = "en"

    response = client.post(
        url("question-create", contest),
        {
            "kind": QuestionKind.CHOICE,
            "label": "Status regulasi",
            "label_en": "Regulation",
            "options": "Perda\nPerkada\n\n",
        },
    )

    assert response.status_code == 302
    question = EntryQuestion.objects.get()
    assert question.options == ["Perda", "Perkada"]
    page = client.get(url("questions", contest)).content.decode()
    assert "Status regulasi" in page
    assert "Entry form" in page


def test_question_edit_page_refuses_removing_a_used_option(client, contest, organizer):
    question = EntryQuestionFactory(
        contest=contest, kind=QuestionKind.CHOICE, options=["Perda", "Perkada"]
    )
    AnswerFactory(submission__contest=contest, question=question, value="Perda")
    client.force_login(organizer)
    client.cookies["django_language"] = "en"

    response = client.post(
        url("question-edit", contest, pk=question.pk),
        {"kind": QuestionKind.CHOICE, "label": "Baru", "options": "Perkada"},
    )

    assert response.status_code == 200
    assert "keep it" in response.content.decode()
    question.refresh_from_db()
    assert (question.label, question.options) != ("Baru", ["Perkada"])
    assert EntryQuestion.objects.get().options == ["Perda", "Perkada"]


def test_question_delete_page_confirms_then_deletes(client, contest, organizer):
    question = EntryQuestionFactory(contest=contest)
    client.force_login(organizer)

    confirm = client.get(url("question-delete", contest, pk=question.pk))
    response = client.post(url("question-delete", contest, pk=question.pk))

    assert "data-confirm" in confirm.content.decode()
    assert response.status_code == 302
    assert not EntryQuestion.objects.exists()


def test_question_delete_page_refuses_an_answered_question(client, contest, organizer):
    question = EntryQuestionFactory(contest=contest)
    AnswerFactory(submission__contest=contest, question=question)
    client.force_login(organizer)

    response = client.post(url("question-delete", contest, pk=question.pk))

    assert response.status_code == 409
    assert EntryQuestion.objects.filter(pk=question.pk).exists()


def test_question_move_page_swaps_neighbours(client, contest, organizer):
    first, second = EntryQuestionFactory.create_batch(2, contest=contest)
    client.force_login(organizer)

    client.post(url("question-move", contest, pk=second.pk), {"direction": "up"})

    assert list(contest.questions.order_by("order")) == [second, first]


@pytest.mark.parametrize("n", [1, 3])
def test_questions_page_queries_constant(
    client, contest, organizer, django_assert_num_queries, n
):
    EntryQuestionFactory.create_batch(n, contest=contest, category=None)
    client.force_login(organizer)

    with django_assert_num_queries(6):
        response = client.get(url("questions", contest))

    assert len(response.context["questions"]) == n


def test_questions_api_organizer_creates_and_reads(api, contest, organizer):
    api.force_authenticate(organizer)

    created = api.post(
        api_url(contest),
        {"kind": "number", "label": "Anggaran", "min_value": "0", "required": True},
        format="json",
    )
    listed = api.get(api_url(contest))

    assert created.status_code == 201, created.json()
    assert created.json()["min_value"] == "0.00"
    assert listed.json()["results"][0]["label"] == "Anggaran"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "weird", "label": "x"}, "kind"),
        ({"kind": "choice", "label": "x", "options": "ya"}, "options"),
        ({"kind": "short_text", "label": "x", "category": True}, "category"),
        ({"kind": "short_text", "label": "x", "category": 99999}, "category"),
        ({"kind": "file", "label": "x", "file_types": ["exe"]}, "file_types"),
        ({"kind": "short_text", "label": "x" * 400}, "label"),
    ],
)
def test_questions_api_bad_input_names_the_field(api, contest, organizer, body, field):
    api.force_authenticate(organizer)

    response = api.post(api_url(contest), body, format="json")

    assert response.status_code == 400
    assert field in response.json()


def test_questions_api_change_of_kind_refused_with_409(api, contest, organizer):
    question = EntryQuestionFactory(contest=contest)
    AnswerFactory(submission__contest=contest, question=question)
    api.force_authenticate(organizer)

    response = api.patch(api_url(contest, question.pk), {"kind": "date"}, format="json")

    assert response.status_code == 409
    assert "kind" in response.json()
    question.refresh_from_db()
    assert question.kind == QuestionKind.SHORT_TEXT


def test_questions_api_delete(api, contest, organizer):
    question = EntryQuestionFactory(contest=contest)
    api.force_authenticate(organizer)

    response = api.delete(api_url(contest, question.pk))

    assert response.status_code == 204
    assert not EntryQuestion.objects.exists()


@pytest.mark.parametrize(
    ("role", "get", "post"),
    [
        ("delegate", 200, 403),
        ("judge", 200, 403),
        ("other_organizer", 404, 404),
        ("organizer", 200, 400),
    ],
)
def test_questions_api_by_role(api, request, contest, role, get, post):
    if role == "judge":
        user = JudgeFactory(contest=contest).user
    else:
        user = request.getfixturevalue(role)
    api.force_authenticate(user)
    contest.is_public = False
    contest.save(update_fields=["is_public"])

    assert api.get(api_url(contest)).status_code == get
    assert api.post(api_url(contest), {}, format="json").status_code == post
