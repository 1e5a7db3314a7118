"""Requests to join a contest as a region's delegate: the service, the rules, the
pages of the asker and of the organizers, the API, the notifications."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from common.errors import DomainError
from contest import joining
from contest.enums import JoinRequestState
from contest.models import Delegate, RegionJoinRequest
from contest.rules import can_request_to_join
from notifications.models import Notification
from tests.factories.accounts import UserFactory
from tests.factories.contest import OrganizerFactory, RegionFactory

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def public_contest(contest):
    contest.is_public = True
    contest.save(update_fields=["is_public"])
    return contest


@pytest.fixture
def asker(db):
    return UserFactory(name="Rina Operator")


@pytest.fixture
def region(db):
    return RegionFactory(name="Kota Bima")


@pytest.fixture
def waiting(public_contest, asker, region, organizer):
    return joining.request_to_join(
        contest=public_contest, region=region, by=asker, message="Operator Diskominfo."
    )


def _events(event):
    return list(Notification.objects.filter(event=event).order_by("email"))


# ---------------------------------------------------------------- the service


def test_request_to_join_is_waiting_and_tells_the_organizers(
    public_contest, asker, region, organizer
):
    join_request = joining.request_to_join(
        contest=public_contest, region=region, by=asker, message=" Saya operator. "
    )

    assert join_request.state == JoinRequestState.PENDING
    assert join_request.message == "Saya operator."
    [sent] = _events(joining.REQUESTED_EVENT)
    assert sent.email == organizer.email
    assert sent.context["region_name"] == "Kota Bima"


def test_each_step_is_in_the_ledger(waiting, organizer):
    from contest.models import AuditEntry

    joining.decline_join_request(join_request=waiting, by=organizer, reason="Salah.")

    actions = list(
        AuditEntry.objects.filter(action__startswith="join_request.")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["join_request.created", "join_request.declined"]


@pytest.mark.parametrize("event", [joining.REQUESTED_EVENT, joining.DECIDED_EVENT])
@pytest.mark.parametrize("language", ["id", "en"])
def test_join_notifications_render_in_both_languages(
    waiting, organizer, event, language
):
    from notifications.rendering import render

    joining.decline_join_request(join_request=waiting, by=organizer, reason="Salah.")
    notification = Notification.objects.filter(event=event).first()
    notification.language = language

    rendered = render(notification)

    assert waiting.region.name in rendered.subject + rendered.text


def test_request_to_join_refused_twice_while_waiting(waiting, public_contest, asker):
    with pytest.raises(DomainError) as exc:
        joining.request_to_join(
            contest=public_contest, region=RegionFactory(), by=asker
        )

    assert exc.value.status == 409
    assert RegionJoinRequest.objects.count() == 1


def test_request_to_join_refused_to_a_delegate(public_contest, delegate, region):
    with pytest.raises(DomainError) as exc:
        joining.request_to_join(contest=public_contest, region=region, by=delegate)

    assert exc.value.status == 409
    assert exc.value.field == "region"


def test_request_to_join_refuses_an_ineligible_region_type(
    public_contest, asker, region
):
    public_contest.eligible_region_types = ["provinsi"]
    public_contest.save()

    with pytest.raises(DomainError) as exc:
        joining.request_to_join(contest=public_contest, region=region, by=asker)

    assert exc.value.field == "region"


def test_request_to_join_refused_once_frozen(public_contest, asker, region):
    from django.utils import timezone

    public_contest.frozen_at = timezone.now()
    public_contest.save()

    with pytest.raises(DomainError) as exc:
        joining.request_to_join(contest=public_contest, region=region, by=asker)

    assert exc.value.status == 409


def test_approve_links_the_asker_as_delegate_and_tells_them(
    waiting, organizer, asker, region, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        delegate = joining.approve_join_request(join_request=waiting, by=organizer)

    waiting.refresh_from_db()
    assert (delegate.user, delegate.region) == (asker, region)
    assert waiting.state == JoinRequestState.APPROVED
    assert waiting.decided_by == organizer
    assert [n.email for n in _events(joining.DECIDED_EVENT)] == [asker.email]
    assert any(asker.email in m.to for m in mail.outbox)


def test_approve_refused_twice(waiting, organizer):
    joining.approve_join_request(join_request=waiting, by=organizer)

    with pytest.raises(DomainError) as exc:
        joining.approve_join_request(join_request=waiting, by=organizer)

    assert exc.value.status == 409
    assert Delegate.objects.filter(user=waiting.user).count() == 1


def test_approve_refused_to_a_non_organizer(waiting, other_organizer):
    with pytest.raises(DomainError) as exc:
        joining.approve_join_request(join_request=waiting, by=other_organizer)

    assert exc.value.status == 403
    assert not Delegate.objects.filter(user=waiting.user).exists()


def test_decline_needs_a_reason(waiting, organizer):
    with pytest.raises(DomainError) as exc:
        joining.decline_join_request(join_request=waiting, by=organizer, reason=" ")

    assert exc.value.field == "reason"
    waiting.refresh_from_db()
    assert waiting.is_pending


def test_decline_tells_the_asker_the_reason(waiting, organizer, asker):
    joining.decline_join_request(
        join_request=waiting, by=organizer, reason="Bukan pegawai pemda."
    )

    waiting.refresh_from_db()
    assert waiting.state == JoinRequestState.DECLINED
    [sent] = _events(joining.DECIDED_EVENT)
    assert sent.email == asker.email
    assert sent.context["reason"] == "Bukan pegawai pemda."
    assert sent.context["approved"] is False


def test_withdraw_only_by_the_asker(waiting, asker, organizer):
    with pytest.raises(DomainError):
        joining.withdraw_join_request(join_request=waiting, by=organizer)

    joining.withdraw_join_request(join_request=waiting, by=asker)

    waiting.refresh_from_db()
    assert waiting.state == JoinRequestState.WITHDRAWN


def test_a_new_request_after_a_decline_waits_a_day(waiting, organizer, asker):
    joining.decline_join_request(join_request=waiting, by=organizer, reason="Salah.")

    with pytest.raises(DomainError) as too_soon:
        joining.request_to_join(
            contest=waiting.contest, region=waiting.region, by=asker
        )
    RegionJoinRequest.objects.filter(pk=waiting.pk).update(
        created_at=timezone.now() - joining.ASK_AGAIN_AFTER
    )
    again = joining.request_to_join(
        contest=waiting.contest, region=waiting.region, by=asker
    )

    assert too_soon.value.status == 409
    assert again.is_pending


def test_an_organizer_neither_asks_nor_approves_their_own_request(
    waiting, organizer, public_contest, region
):
    with pytest.raises(DomainError) as asked:
        joining.request_to_join(contest=public_contest, region=region, by=organizer)
    # A request made before its asker became an organizer: another decides it.
    OrganizerFactory(contest=public_contest, user=waiting.user)
    with pytest.raises(DomainError) as approved:
        joining.approve_join_request(join_request=waiting, by=waiting.user)

    assert asked.value.status == 409
    assert approved.value.status == 403
    waiting.refresh_from_db()
    assert waiting.is_pending


# ---------------------------------------------------------------- the rules


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("asker", True), ("delegate", False), ("anonymous", False)],
)
def test_can_request_to_join(request, public_contest, who, allowed):
    from django.contrib.auth.models import AnonymousUser

    user = AnonymousUser() if who == "anonymous" else request.getfixturevalue(who)

    assert can_request_to_join.test(user, public_contest) is allowed


# ---------------------------------------------------------------- the pages


def test_my_entries_without_a_region_shows_how_to_join(client, asker):
    client.force_login(asker)

    text = client.get(reverse("submissions:my-entries")).content.decode()

    assert "data-join-hint" in text
    assert reverse("contest:my-join-requests") in text


def test_contest_page_offers_to_join(client, asker, public_contest):
    client.force_login(asker)

    text = client.get(
        reverse("contest:detail", kwargs={"slug": public_contest.slug})
    ).content.decode()

    assert (
        f"{reverse('contest:my-join-requests')}?contest={public_contest.slug}" in text
    )


def test_join_page_sends_the_request(client, asker, public_contest, region, organizer):
    client.force_login(asker)
    client.cookies["django_language"] = "en"

    response = client.post(
        reverse("contest:my-join-requests"),
        {"contest": public_contest.pk, "region": region.code, "message": "Operator."},
    )

    assert response.status_code == 302
    join_request = RegionJoinRequest.objects.get()
    assert (join_request.user, join_request.region) == (asker, region)
    listed = client.get(reverse("contest:my-join-requests")).content.decode()
    assert "Awaiting a decision" in listed


def test_join_page_twice_answers_the_reason(client, waiting, asker, public_contest):
    client.force_login(asker)
    client.cookies["django_language"] = "en"

    response = client.post(
        reverse("contest:my-join-requests"),
        {"contest": public_contest.pk, "region": waiting.region.code},
    )

    assert response.status_code == 400
    assert "wait for the answer" in response.content.decode()


def test_join_page_withdraw(client, waiting, asker):
    client.force_login(asker)

    client.post(reverse("contest:join-request-withdraw", kwargs={"pk": waiting.pk}))

    waiting.refresh_from_db()
    assert waiting.state == JoinRequestState.WITHDRAWN


def test_organizer_page_lists_and_approves(client, waiting, organizer, asker):
    client.force_login(organizer)
    slug = waiting.contest.slug

    listed = client.get(reverse("contest:join-requests", kwargs={"slug": slug}))
    response = client.post(
        reverse("contest:join-request-approve", kwargs={"slug": slug, "pk": waiting.pk})
    )

    assert "Operator Diskominfo." in listed.content.decode()
    assert response.status_code == 302
    assert Delegate.objects.filter(user=asker, region=waiting.region).exists()


def test_organizer_page_declines_with_a_reason(client, waiting, organizer):
    client.force_login(organizer)
    slug = waiting.contest.slug

    client.post(
        reverse(
            "contest:join-request-decline", kwargs={"slug": slug, "pk": waiting.pk}
        ),
        {"reason": "Bukan pegawai pemda."},
    )

    waiting.refresh_from_db()
    assert waiting.decision_reason == "Bukan pegawai pemda."


@pytest.mark.parametrize(("role", "status"), [("delegate", 403), ("asker", 403)])
def test_organizer_page_refused_to_others(request, client, waiting, role, status):
    client.force_login(request.getfixturevalue(role))

    response = client.post(
        reverse(
            "contest:join-request-approve",
            kwargs={"slug": waiting.contest.slug, "pk": waiting.pk},
        )
    )

    assert response.status_code == status
    waiting.refresh_from_db()
    assert waiting.is_pending


def _join_list_queries(client, organizer, contest, n, django_assert_num_queries):
    for _ in range(n):
        joining.request_to_join(
            contest=contest, region=RegionFactory(), by=UserFactory()
        )
    client.force_login(organizer)
    url = reverse("contest:join-requests", kwargs={"slug": contest.slug})
    with django_assert_num_queries(JOIN_LIST_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    return response


JOIN_LIST_QUERIES = 6


def test_join_requests_page_queries_constant_one(
    client, organizer, public_contest, django_assert_num_queries
):
    _join_list_queries(client, organizer, public_contest, 1, django_assert_num_queries)


def test_join_requests_page_queries_constant_three(
    client, organizer, public_contest, django_assert_num_queries
):
    _join_list_queries(client, organizer, public_contest, 3, django_assert_num_queries)


# ---------------------------------------------------------------- the API


def _api(contest, suffix=""):
    return f"/api/v1/contests/{contest.slug}/join-requests/{suffix}"


def test_api_ask_list_and_approve(api, public_contest, asker, region, organizer):
    api.force_authenticate(asker)
    created = api.post(
        _api(public_contest), {"region": region.code, "message": "Hai"}, format="json"
    )
    mine = api.get(_api(public_contest))
    api.force_authenticate(organizer)
    approved = api.post(_api(public_contest, f"{created.json()['id']}/approve/"))

    assert created.status_code == 201
    assert mine.json()["count"] == 1
    assert approved.status_code == 200
    assert approved.json()["region"] == region.code


def test_api_decline_names_the_reason_field(api, waiting, organizer):
    api.force_authenticate(organizer)

    response = api.post(
        _api(waiting.contest, f"{waiting.pk}/decline/"), {}, format="json"
    )

    assert response.status_code == 400
    assert "reason" in response.json()


def test_api_a_user_sees_only_their_own(api, waiting, public_contest):
    api.force_authenticate(UserFactory())

    response = api.get(_api(public_contest))

    assert response.json()["count"] == 0


def test_api_approve_refused_to_the_asker(api, waiting, asker):
    api.force_authenticate(asker)

    response = api.post(_api(waiting.contest, f"{waiting.pk}/approve/"))

    assert response.status_code == 403


def test_api_twice_is_409(api, waiting, asker):
    api.force_authenticate(asker)

    response = api.post(
        _api(waiting.contest), {"region": waiting.region.code}, format="json"
    )

    assert response.status_code == 409


def test_api_withdraw(api, waiting, asker):
    api.force_authenticate(asker)

    response = api.post(_api(waiting.contest, f"{waiting.pk}/withdraw/"))

    assert response.status_code == 200
    assert response.json()["state"] == "withdrawn"


def test_api_anonymous_is_401(api, public_contest):
    response = api.get(_api(public_contest))

    assert response.status_code == 401
