"""An invitation to an address whose account was signed up but never proved is
claimed through the invitation's link, never silently linked."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.test import Client
from knox.models import AuthToken
from rest_framework.test import APIClient

from common.errors import DomainError
from contest import services as contest_services
from contest.models import Delegate
from judging import services as judging_services
from judging.models import Judge
from tests.factories.accounts import UserFactory
from tests.factories.contest import DelegateFactory, RegionFactory
from tests.factories.submissions import SubmissionFactory

pytestmark = [pytest.mark.django_db]

User = get_user_model()

OFFICIAL = "kominfo@bimakota.go.id"
ATTACKER_PASSWORD = "penyusup-rahasia-31"
OFFICIAL_PASSWORD = "sapi-kerapan-madura-77"
TOKEN_URL = "/api/v1/auth/token/"
LINK = re.compile(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)")


@pytest.fixture(autouse=True)
def _static_root(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    settings.STATIC_ROOT.mkdir()


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def sign_up(email: str, password: str) -> Client:
    """Sign up through the site's page, as anybody can; the client keeps the session."""
    client = Client()
    response = client.post(
        "/accounts/signup/",
        {"email": email, "password1": password, "password2": password},
    )
    assert response.status_code == 302
    return client


def token_response(email: str, password: str):
    return APIClient().post(TOKEN_URL, {"email": email, "password": password})


def web_login(email: str, password: str) -> Client | None:
    client = Client()
    client.post("/accounts/login/", {"login": email, "password": password})
    return client if client.session.get("_auth_user_id") else None


def invitation_mail(contest):
    mails = [m for m in mail.outbox if contest.name in m.subject]
    assert len(mails) == 1
    return mails[0]


def use_link(body: str, password: str) -> Client:
    """Open the invitation's link and set a password, as the address's owner."""
    client = Client()
    path = LINK.search(body).group(1)
    form = client.get(path)
    assert form.status_code == 302
    response = client.post(form.url, {"password1": password, "password2": password})
    assert response.status_code == 302
    return client


def invite_delegate(contest, organizer, region, capture, email=OFFICIAL):
    with capture(execute=True):
        return contest_services.invite_delegate(
            contest=contest, email=email, region=region, by=organizer
        )


@pytest.mark.parametrize("verification", ["optional", "mandatory"])
def test_claim_attacker_loses_the_account_and_the_official_takes_it_over(
    settings, contest, organizer, django_capture_on_commit_callbacks, verification
):
    settings.ACCOUNT_EMAIL_VERIFICATION = verification
    region = RegionFactory()
    entry = SubmissionFactory(contest=contest, region=region, title="Saninu E-Lapor")
    attacker_session = sign_up(OFFICIAL, ATTACKER_PASSWORD)
    early = token_response(OFFICIAL, ATTACKER_PASSWORD)
    attacker_token = early.json().get("token")
    assert early.status_code == (200 if verification == "optional" else 403)

    delegate = invite_delegate(
        contest, organizer, region, django_capture_on_commit_callbacks
    )

    # The attacker holds nothing: no session, no token, no password.
    entry_page = f"/entries/{contest.slug}/{entry.pk}/"
    api_list = f"/api/v1/contests/{contest.slug}/submissions/"
    assert attacker_session.get(entry_page).status_code == 302
    assert attacker_session.get("/entries/").status_code == 302
    assert attacker_session.get(api_list).status_code == 401
    edit = attacker_session.post(f"{entry_page}edit/", {"title": "Diubah penyusup"})
    assert edit.status_code == 302
    assert edit.url.startswith("/accounts/login/")
    if attacker_token:
        stale = APIClient()
        stale.credentials(HTTP_AUTHORIZATION=f"Token {attacker_token}")
        assert stale.get(api_list).status_code == 401
    assert token_response(OFFICIAL, ATTACKER_PASSWORD).status_code == 400
    assert web_login(OFFICIAL, ATTACKER_PASSWORD) is None
    assert not AuthToken.objects.exists()
    entry.refresh_from_db()
    assert entry.title == "Saninu E-Lapor"

    # The invitation carries the claim link.
    body = invitation_mail(contest).body
    assert invitation_mail(contest).to == [OFFICIAL]
    assert "alamatnya tidak pernah dikonfirmasi" in body
    assert LINK.search(body)

    official_session = use_link(body, OFFICIAL_PASSWORD)

    user = User.objects.get(email=OFFICIAL)
    assert delegate.user == user
    assert EmailAddress.objects.get(user=user).verified is True
    assert web_login(OFFICIAL, ATTACKER_PASSWORD) is None
    assert token_response(OFFICIAL, ATTACKER_PASSWORD).status_code == 400
    assert web_login(OFFICIAL, OFFICIAL_PASSWORD) is not None
    assert official_session.get(entry_page).status_code == 200
    key = token_response(OFFICIAL, OFFICIAL_PASSWORD).json()["token"]
    official_api = APIClient()
    official_api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    listed = official_api.get(api_list).json()["results"]
    assert [s["id"] for s in listed] == [entry.pk]


def test_claim_through_the_api_invitation(
    settings, contest, organizer, django_capture_on_commit_callbacks
):
    region = RegionFactory()
    sign_up(OFFICIAL, ATTACKER_PASSWORD)
    api = APIClient()
    api.force_authenticate(organizer)

    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            f"/api/v1/contests/{contest.slug}/delegates/",
            {"email": OFFICIAL, "region": region.code},
            format="json",
        )

    assert response.status_code == 201
    assert not User.objects.get(email=OFFICIAL).has_usable_password()
    assert LINK.search(invitation_mail(contest).body)


def test_claim_of_a_judge_invitation(
    settings, contest, organizer, django_capture_on_commit_callbacks
):
    sign_up(OFFICIAL, ATTACKER_PASSWORD)

    with django_capture_on_commit_callbacks(execute=True):
        judge = judging_services.invite_judge(
            contest=contest, email=OFFICIAL, by=organizer, name="Dr. Sari"
        )

    assert token_response(OFFICIAL, ATTACKER_PASSWORD).status_code == 400
    assert web_login(OFFICIAL, ATTACKER_PASSWORD) is None
    body = invitation_mail(contest).body
    use_link(body, OFFICIAL_PASSWORD)
    key = token_response(OFFICIAL, OFFICIAL_PASSWORD).json()["token"]
    official_api = APIClient()
    official_api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert official_api.get("/api/v1/assignments/").status_code == 200
    assert Judge.objects.get().user == judge.user


def test_claim_not_needed_for_a_verified_account(
    contest, organizer, django_capture_on_commit_callbacks, password
):
    user = UserFactory(email=OFFICIAL)
    EmailAddress.objects.create(user=user, email=OFFICIAL, verified=True, primary=True)

    invite_delegate(
        contest, organizer, RegionFactory(), django_capture_on_commit_callbacks
    )

    user.refresh_from_db()
    assert user.check_password(password)
    assert not LINK.search(invitation_mail(contest).body)


def test_no_claim_wording_for_a_proved_address_without_a_password(
    contest, organizer, django_capture_on_commit_callbacks
):
    """Invited before, address proved, the password cleared since (by the admin,
    say): the new invitation sends the link to set one, and does not say the
    account was signed up with an unconfirmed address."""
    user = UserFactory(email=OFFICIAL)
    EmailAddress.objects.create(user=user, email=OFFICIAL, verified=True, primary=True)
    user.set_unusable_password()
    user.save()

    invite_delegate(
        contest, organizer, RegionFactory(), django_capture_on_commit_callbacks
    )

    body = invitation_mail(contest).body
    assert LINK.search(body)
    assert "alamatnya tidak pernah dikonfirmasi" not in body


def test_claim_not_needed_for_an_account_made_by_staff(
    contest, organizer, django_capture_on_commit_callbacks, password
):
    user = UserFactory(email=OFFICIAL)

    invite_delegate(
        contest, organizer, RegionFactory(), django_capture_on_commit_callbacks
    )

    user.refresh_from_db()
    assert user.check_password(password)
    assert "alamatnya tidak pernah dikonfirmasi" not in invitation_mail(contest).body


def test_claim_removes_the_accounts_other_addresses(
    contest, organizer, django_capture_on_commit_callbacks
):
    sign_up(OFFICIAL, ATTACKER_PASSWORD)
    user = User.objects.get(email=OFFICIAL)
    EmailAddress.objects.create(user=user, email="penyusup@example.id", verified=True)

    invite_delegate(
        contest, organizer, RegionFactory(), django_capture_on_commit_callbacks
    )

    assert list(EmailAddress.objects.values_list("email", "verified")) == [
        (OFFICIAL, False)
    ]


def test_claim_reset_through_another_address_does_not_prove_the_login(
    contest, organizer, django_capture_on_commit_callbacks
):
    """The attacker adds an address of their own and resets the password through
    it: the official's address stays unproven, so the invitation still claims."""
    from accounts.services import password_set_url

    sign_up(OFFICIAL, ATTACKER_PASSWORD)
    user = User.objects.get(email=OFFICIAL)
    EmailAddress.objects.create(user=user, email="penyusup@example.id", verified=True)
    use_link(password_set_url(user), "penyusup-baru-4455")

    invite_delegate(
        contest, organizer, RegionFactory(), django_capture_on_commit_callbacks
    )

    assert not EmailAddress.objects.get(email=OFFICIAL).verified
    assert web_login(OFFICIAL, "penyusup-baru-4455") is None
    assert LINK.search(invitation_mail(contest).body)


def test_claim_reset_proves_the_only_address(django_capture_on_commit_callbacks):
    from accounts.services import password_set_url

    sign_up(OFFICIAL, ATTACKER_PASSWORD)
    user = User.objects.get(email=OFFICIAL)

    use_link(password_set_url(user), OFFICIAL_PASSWORD)

    assert EmailAddress.objects.get(user=user).verified is True


def test_claim_re_invitation_of_a_linked_unproven_delegate_sends_the_link(
    contest, organizer, django_capture_on_commit_callbacks
):
    region = RegionFactory()
    sign_up(OFFICIAL, ATTACKER_PASSWORD)
    user = User.objects.get(email=OFFICIAL)
    existing = DelegateFactory(contest=contest, user=user, region=region)

    delegate = invite_delegate(
        contest, organizer, region, django_capture_on_commit_callbacks
    )

    assert delegate == existing
    assert web_login(OFFICIAL, ATTACKER_PASSWORD) is None
    assert LINK.search(invitation_mail(contest).body)


def test_claim_undone_when_the_invitation_is_refused(
    contest, organizer, django_capture_on_commit_callbacks, table_rows
):
    sign_up(OFFICIAL, ATTACKER_PASSWORD)
    user = User.objects.get(email=OFFICIAL)
    DelegateFactory(contest=contest, user=user, region=RegionFactory())

    region = RegionFactory()

    rows_before = table_rows()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(DomainError) as excinfo,
    ):
        contest_services.invite_delegate(
            contest=contest, email=OFFICIAL, region=region, by=organizer
        )

    user.refresh_from_db()
    assert excinfo.value.status == 409
    assert table_rows() == rows_before
    assert user.check_password(ATTACKER_PASSWORD)
    assert Delegate.objects.count() == 1
    assert not [m for m in mail.outbox if contest.name in m.subject]


@pytest.mark.parametrize(
    ("addresses", "unproven"),
    [
        ([], False),
        ([("login", False)], True),
        ([("login", True)], False),
        ([("login", False), ("other", True)], True),
        ([("login", True), ("other", False)], False),
        ([("other", True)], True),
    ],
    ids=[
        "made-by-staff",
        "signed-up",
        "verified",
        "another-verified",
        "verified-and-another",
        "only-another",
    ],
)
def test_address_unproven_truth_table(addresses, unproven):
    from accounts.services import address_unproven

    user = UserFactory(email=OFFICIAL)
    for which, verified in addresses:
        email = OFFICIAL if which == "login" else "lain@example.id"
        EmailAddress.objects.create(user=user, email=email, verified=verified)

    assert address_unproven(user) is unproven
