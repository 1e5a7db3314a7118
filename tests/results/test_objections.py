"""Who may object, how often, the answers (one by one or several at once), what
the objector reads and what the final publication lists."""

import datetime as dt

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from common.errors import DomainError
from contest.models import AuditEntry
from results import services
from results.enums import ObjectionOutcome
from results.models import Objection
from tests.factories.accounts import UserFactory
from tests.factories.contest import ContestFactory, DelegateFactory
from tests.factories.results import ObjectionFactory, ProvisionalPublicationFactory

pytestmark = [pytest.mark.django_db]


def url(name, contest, **kwargs):
    return reverse(f"results:{name}", kwargs={"slug": contest.slug, **kwargs})


@pytest.fixture
def window(contest, scored, organizer):
    return services.publish_provisional(
        contest=contest,
        by=organizer,
        objections_close=timezone.now() + dt.timedelta(days=3),
    )


@pytest.fixture
def open_window(contest, scored, organizer):
    return services.publish_provisional(
        contest=contest,
        by=organizer,
        objections_close=timezone.now() + dt.timedelta(days=3),
        objections_open_to_all=True,
    )


def file(contest, entries, by, key="E2", text="Nilainya terlalu tinggi."):
    return services.file_objection(
        contest=contest, submission_id=entries[key].pk, text=text, by=by
    )


def unverified_signup():
    """A fresh account signed up on the site, its address never confirmed."""
    user = UserFactory()
    EmailAddress.objects.create(
        user=user, email=user.email, verified=False, primary=True
    )
    return user


# ---------------------------------------------------------------- who may object


@pytest.mark.parametrize("who", ["judge", "other_organizer", "stranger"])
def test_file_objection_refused_to_non_participants(
    request, contest, window, entries, who
):
    user = UserFactory() if who == "stranger" else request.getfixturevalue(who)

    with pytest.raises(DomainError) as caught:
        file(contest, entries, user)

    assert caught.value.status == 403
    assert not Objection.objects.exists()


def test_file_objection_refused_to_an_unverified_delegate(contest, window, entries):
    user = unverified_signup()
    DelegateFactory(contest=contest, user=user)

    with pytest.raises(DomainError) as caught:
        file(contest, entries, user)

    assert caught.value.status == 403
    assert "Confirm your e-mail address" in str(caught.value.message)
    assert not Objection.objects.exists()


def test_file_objection_by_a_verified_delegate(contest, window, entries):
    user = UserFactory()
    EmailAddress.objects.create(user=user, email=user.email, verified=True)
    DelegateFactory(contest=contest, user=user)

    objection = file(contest, entries, user)

    assert objection.filed_by == user


def test_delegate_of_another_contest_may_not_object(contest, window, entries):
    other = DelegateFactory(contest=ContestFactory()).user

    with pytest.raises(DomainError) as caught:
        file(contest, entries, other)

    assert caught.value.status == 403


def test_objections_open_to_all_take_any_verified_account(
    contest, open_window, entries, judge
):
    objection = file(contest, entries, judge)

    assert objection.filed_by == judge
    assert open_window.objections_open_to_all is True


def test_objections_open_to_all_still_refuse_an_unverified_account(
    contest, open_window, entries
):
    with pytest.raises(DomainError) as caught:
        file(contest, entries, unverified_signup())

    assert caught.value.status == 403
    assert not Objection.objects.exists()


# ---------------------------------------------------------------- how often


def test_objections_per_user_limited_to_three_by_default(
    contest, window, entries, delegate, table_rows
):
    for key in ("E1", "E2", "E3"):
        file(contest, entries, delegate, key=key)

    rows_before = table_rows()
    with pytest.raises(DomainError) as caught:
        file(contest, entries, delegate, key="E1", text="Sekali lagi.")

    assert caught.value.status == 409
    assert table_rows() == rows_before
    assert Objection.objects.filter(filed_by=delegate).count() == 3


def test_objections_per_user_follows_the_setting(
    settings, contest, window, entries, delegate, table_rows
):
    settings.OBJECTIONS_PER_USER = 1
    file(contest, entries, delegate)

    rows_before = table_rows()
    with pytest.raises(DomainError) as caught:
        file(contest, entries, delegate, key="E3")

    assert caught.value.status == 409
    assert table_rows() == rows_before
    assert Objection.objects.count() == 1


def test_objection_limit_counts_per_user(contest, window, entries, delegate, settings):
    settings.OBJECTIONS_PER_USER = 1
    other = DelegateFactory(contest=contest).user
    file(contest, entries, delegate)

    objection = file(contest, entries, other)

    assert objection.filed_by == other


# ---------------------------------------------------------------- answers


def test_resolve_objections_answers_several_at_once(
    contest, window, entries, delegate, organizer
):
    first = file(contest, entries, delegate, key="E1")
    second = file(contest, entries, delegate, key="E2")

    answered = services.resolve_objections(
        contest=contest,
        objection_ids=[first.pk, second.pk],
        outcome=ObjectionOutcome.DISMISSED,
        answer="Nilai sesuai data dukung.",
        by=organizer,
    )

    assert [o.pk for o in answered] == [first.pk, second.pk]
    assert set(Objection.objects.values_list("outcome", "answer")) == {
        (ObjectionOutcome.DISMISSED, "Nilai sesuai data dukung.")
    }
    assert AuditEntry.objects.filter(action="results.objection_resolved").count() == 2


@pytest.mark.parametrize("problem", ["answered", "other_contest", "no_answer", "none"])
def test_resolve_objections_refuses_the_lot(
    contest, window, entries, delegate, organizer, problem
):
    first = file(contest, entries, delegate, key="E1")
    second = file(contest, entries, delegate, key="E2")
    ids = [first.pk, second.pk]
    answer = "Sesuai."
    if problem == "answered":
        services.resolve_objection(
            objection=second, outcome="upheld", answer="Benar.", by=organizer
        )
    elif problem == "other_contest":
        ids.append(ObjectionFactory().pk)
    elif problem == "no_answer":
        answer = "  "
    else:
        ids = []
    before = sorted(Objection.objects.values_list("pk", "outcome", "answer"))

    with pytest.raises(DomainError) as caught:
        services.resolve_objections(
            contest=contest,
            objection_ids=ids,
            outcome="dismissed",
            answer=answer,
            by=organizer,
        )

    assert caught.value.field in {"objections", "answer"}
    assert sorted(Objection.objects.values_list("pk", "outcome", "answer")) == before


def test_resolve_objections_only_by_an_organizer(contest, window, entries, delegate):
    objection = file(contest, entries, delegate)

    with pytest.raises(DomainError) as caught:
        services.resolve_objections(
            contest=contest,
            objection_ids=[objection.pk],
            outcome="dismissed",
            answer="Sesuai.",
            by=delegate,
        )

    assert caught.value.status == 403
    objection.refresh_from_db()
    assert objection.outcome == ObjectionOutcome.PENDING


def test_objections_page_answers_the_ticked_ones(
    client, contest, window, entries, delegate, organizer
):
    first = file(contest, entries, delegate, key="E1")
    second = file(contest, entries, delegate, key="E2")
    third = file(contest, entries, delegate, key="E3")
    client.force_login(organizer)

    page = client.get(url("objections", contest))
    response = client.post(
        url("objections-resolve", contest),
        {
            "bulk-objections": [first.pk, third.pk],
            "bulk-outcome": "upheld",
            "bulk-answer": "Nilai dikoreksi.",
        },
    )

    assert "Answer several objections at once" in page.content.decode()
    assert response.status_code == 302
    outcomes = dict(Objection.objects.values_list("pk", "outcome"))
    assert outcomes == {
        first.pk: ObjectionOutcome.UPHELD,
        second.pk: ObjectionOutcome.PENDING,
        third.pk: ObjectionOutcome.UPHELD,
    }


def test_objections_bulk_page_refused_to_a_delegate(
    client, contest, window, entries, delegate
):
    objection = file(contest, entries, delegate)
    client.force_login(delegate)

    response = client.post(
        url("objections-resolve", contest),
        {
            "bulk-objections": [objection.pk],
            "bulk-outcome": "upheld",
            "bulk-answer": "x",
        },
    )

    assert response.status_code == 403
    objection.refresh_from_db()
    assert objection.outcome == ObjectionOutcome.PENDING


# ---------------------------------------------------------------- the objector reads


def test_objector_reads_the_answer_on_their_page(
    client, contest, window, entries, delegate, organizer
):
    objection = file(contest, entries, delegate)
    services.resolve_objection(
        objection=objection,
        outcome="dismissed",
        answer="Data dukung sudah diperiksa ulang.",
        by=organizer,
    )
    client.force_login(delegate)

    results_page = client.get(url("public", contest))
    mine = client.get(url("my-objections", contest))

    assert url("my-objections", contest) in results_page.content.decode()
    content = mine.content.decode()
    assert "Nilainya terlalu tinggi." in content
    assert "Data dukung sudah diperiksa ulang." in content


def test_objections_page_shows_only_ones_own(
    client, contest, window, entries, delegate
):
    file(contest, entries, delegate)
    other = DelegateFactory(contest=contest).user
    client.force_login(other)

    response = client.get(url("my-objections", contest))

    assert response.status_code == 200
    assert "Nilainya terlalu tinggi." not in response.content.decode()


def test_my_objections_page_needs_a_sign_in(client, contest, window):
    response = client.get(url("my-objections", contest))

    assert response.status_code == 302


# ---------------------------------------------------------------- the final publication


def test_final_publication_lists_each_objection_with_its_answer(
    client, contest, window, entries, delegate, organizer
):
    objection = file(contest, entries, delegate, text="Skor " + "sangat " * 80)
    services.resolve_objection(
        objection=objection, outcome="upheld", answer="Dikoreksi.", by=organizer
    )
    window.objections_close = timezone.now() - dt.timedelta(minutes=1)
    window.save(update_fields=["objections_close"])

    final = services.publish_contest(contest=contest, by=organizer)
    page = client.get(url("public", contest))

    [item] = final.snapshot["objections"]["items"]
    assert item["entry"] == entries["E2"].pk
    assert item["answer"] == "Dikoreksi."
    assert item["outcome"] == "upheld"
    assert item["gist"].startswith("Skor sangat")
    assert item["gist"].endswith("…")
    assert len(item["gist"]) <= 281
    assert delegate.email not in str(final.snapshot)
    content = page.content.decode()
    assert "Dikoreksi." in content
    assert item["gist"] in content


# ---------------------------------------------------------------- the provisional form


def test_provisional_publication_opens_objections_to_all_through_the_api(
    api, contest, scored, organizer
):
    api.force_authenticate(organizer)

    response = api.post(
        f"/api/v1/contests/{contest.slug}/publish/",
        {
            "kind": "provisional",
            "objections_close": (timezone.now() + dt.timedelta(days=2)).isoformat(),
            "objections_open_to_all": True,
        },
        format="json",
    )

    assert response.status_code == 201
    assert response.json()["objections_open_to_all"] is True
    assert contest.publications.get().objections_open_to_all is True


def test_objection_page_refuses_a_judge_unless_open_to_all(
    client, contest, scored, entries, judge
):
    ProvisionalPublicationFactory(contest=contest)
    client.force_login(judge)

    refused = client.post(
        url("object", contest), {"submission": entries["E1"].pk, "text": "Keberatan."}
    )

    assert refused.status_code == 403
    assert not Objection.objects.exists()


@pytest.mark.parametrize("count", [1, 3])
def test_my_objections_page_queries_do_not_grow(
    client, contest, window, entries, delegate, count, django_assert_num_queries
):
    for key in ("E1", "E2", "E3")[:count]:
        file(contest, entries, delegate, key=key)
    client.force_login(delegate)

    with django_assert_num_queries(5):
        response = client.get(url("my-objections", contest))

    assert len(response.context["objections"]) == count
