"""Findings of the review of entry forms and eligibility from history, each with
the test that failed before its fix."""

import pytest
from django.urls import reverse

from common.errors import DomainError
from contest.entry_forms import update_question
from contest.enums import QuestionKind
from results.selectors.answers import public_answers
from submissions import services
from submissions.enums import PreviousEntryState
from submissions.services.answers import save_answers
from submissions.services.history import claim_previous_entry, confirm_previous_entry
from tests.factories.contest import CategoryFactory
from tests.factories.entry_forms import EntryQuestionFactory
from tests.submissions.test_answers_api_pages import form, page
from tests.submissions.test_history import published_winner

pytestmark = [pytest.mark.django_db]


@pytest.mark.parametrize("value", ["1e999999999", "9" * 5000, "1e-999999999"])
def test_a_number_answer_too_large_answers_400_naming_the_question(
    api, delegate, entry, value
):
    question = EntryQuestionFactory(contest=entry.contest, kind=QuestionKind.NUMBER)
    api.force_authenticate(delegate)
    url = reverse(
        "submission-detail",
        kwargs={"contest_slug": entry.contest.slug, "pk": entry.pk},
    )

    response = api.patch(
        url, {"answers": [{"question": question.pk, "value": value}]}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["answers"][0]["question"] == question.pk
    assert entry.answers.count() == 0


def test_the_entry_page_refuses_a_number_too_large(client, delegate, entry):
    question = EntryQuestionFactory(contest=entry.contest, kind=QuestionKind.NUMBER)
    client.force_login(delegate)

    response = client.post(
        page(entry, "edit"), form(entry, **{f"answer_{question.pk}": "1e999999999"})
    )

    assert response.status_code == 400  # the form again, with its error
    assert entry.answers.count() == 0


def test_delegates_cannot_undo_a_link_an_organizer_checked(
    entry, evidence, delegate, organizer, region
):
    winner = published_winner(region)
    entry.contest.past_award_exclusions = [{"contest": "kipp-2023", "awards": []}]
    entry.contest.save()
    claim_previous_entry(submission=entry, previous_entry=winner, by=delegate)
    confirm_previous_entry(submission=entry, confirmed=True, by=organizer)

    with pytest.raises(DomainError) as refused:
        claim_previous_entry(submission=entry, previous_entry=None, by=delegate)

    assert (refused.value.status, refused.value.field) == (409, "previous_entry")
    entry.refresh_from_db()
    assert entry.previous_entry_state == PreviousEntryState.CONFIRMED
    with pytest.raises(DomainError) as excluded:
        services.submit_submission(submission=entry, by=delegate)
    assert excluded.value.field == "previous_entry"


def test_a_change_of_category_removes_the_answers_no_longer_asked(
    entry, delegate, contest, organizer
):
    only_a = EntryQuestionFactory(contest=contest, category=entry.category, public=True)
    everyone = EntryQuestionFactory(contest=contest, category=None, public=True)
    save_answers(
        submission=entry, answers={only_a.pk: "A", everyone.pk: "all"}, by=delegate
    )

    services.update_submission(
        submission=entry,
        by=delegate,
        data={"category": CategoryFactory(contest=contest)},
    )

    assert list(entry.answers.values_list("question_id", flat=True)) == [everyone.pk]
    assert len(public_answers(contest)[entry.pk]) == 1
    update_question(question=only_a, by=organizer, data={"label": "Relabelled"})
    only_a.refresh_from_db()
    assert only_a.label == "Relabelled"
