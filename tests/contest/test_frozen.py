"""After the final publication a contest is frozen: every write of contest.services
answers 409 and changes nothing, through the services, the API and the pages."""

import datetime as dt
import inspect
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone, translation

from common.errors import DomainError
from contest import services
from contest.models import (
    AuditEntry,
    Category,
    Contest,
    Criterion,
    Delegate,
    Organizer,
    Stage,
)
from tests.factories.accounts import UserFactory
from tests.factories.contest import (
    CategoryFactory,
    DelegateFactory,
    RegionFactory,
    StageFactory,
)

pytestmark = [pytest.mark.django_db]

FROZEN = "The results are published"


@pytest.fixture(autouse=True)
def _static_root(settings, tmp_path):
    """WhiteNoise warns (an error here) when STATIC_ROOT is missing."""
    settings.STATIC_ROOT = tmp_path / "staticfiles"
    settings.STATIC_ROOT.mkdir()


@pytest.fixture
def setup(contest, organizer):
    """A contest with one of each row its services write."""
    later = contest.submission_closes + dt.timedelta(days=1)
    return {
        "contest": contest,
        "by": organizer,
        "category": CategoryFactory(contest=contest),
        "stage": StageFactory(contest=contest, order=1, kind="scoring"),
        "delegate": DelegateFactory(contest=contest),
        "region": RegionFactory(),
        "stranger": UserFactory(),
        "later": later,
    }


# Each public write of contest.services, called as a page or the API would call it,
# with arguments that succeed on a contest that is not frozen.
WRITES = {
    "update_contest": lambda s: services.update_contest(
        contest=s["contest"], by=s["by"], data={"name": "Nama Baru"}
    ),
    "create_category": lambda s: services.create_category(
        contest=s["contest"], by=s["by"], name="Kesehatan", slug="kesehatan"
    ),
    "update_category": lambda s: services.update_category(
        category=s["category"], by=s["by"], data={"name": "Nama Baru"}
    ),
    "create_stage": lambda s: services.create_stage(
        contest=s["contest"],
        by=s["by"],
        name="Wawancara",
        order=2,
        kind="scoring",
        opens=s["later"],
        closes=s["later"] + dt.timedelta(days=7),
    ),
    "update_stage": lambda s: services.update_stage(
        stage=s["stage"],
        by=s["by"],
        data={"closes": s["stage"].closes + dt.timedelta(days=1)},
    ),
    "add_organizer": lambda s: services.add_organizer(
        contest=s["contest"], user=s["stranger"], by=s["by"]
    ),
    "invite_delegate": lambda s: services.invite_delegate(
        contest=s["contest"], email="baru@example.id", region=s["region"], by=s["by"]
    ),
    "remove_delegate": lambda s: services.remove_delegate(
        delegate=s["delegate"], by=s["by"]
    ),
    # Criteria may move to judging.services (one owner of the rubric); while this
    # one is here, it is frozen like the rest.
    "create_criterion": lambda s: services.create_criterion(
        stage=s["stage"], by=s["by"], name="Kebaruan", weight=Decimal("10")
    ),
}

# Public functions of contest.services that write nothing of an existing contest.
NOT_CONTEST_WRITES = {
    "create_contest": "creates a new contest, which is not frozen",
    "get_or_invite_user": "finds or creates an account, which no contest owns",
    "retry_notification": (
        "sends a mail again (the final results' among them, after the freeze); "
        "changes nothing of the contest's record but adds its ledger entry"
    ),
}

PRESENT_WRITES = sorted(name for name in WRITES if hasattr(services, name))


def public_functions() -> set[str]:
    return {
        name
        for name, function in inspect.getmembers(services, inspect.isfunction)
        if function.__module__ == services.__name__ and not name.startswith("_")
    }


def state() -> dict:
    """Every row the contest services write, field by field."""
    models = [Contest, Category, Stage, Criterion, Organizer, Delegate, AuditEntry]
    rows = {m.__name__: list(m.objects.order_by("pk").values()) for m in models}
    rows["User"] = list(get_user_model().objects.order_by("pk").values())
    return rows


def freeze(contest: Contest) -> None:
    """What the final publication does; the caller's copy is left stale on purpose:
    the services read the row."""
    Contest.objects.filter(pk=contest.pk).update(frozen_at=timezone.now())


def test_every_public_function_of_contest_services_is_listed():
    listed = set(WRITES) | set(NOT_CONTEST_WRITES)

    assert public_functions() - listed == set()
    assert set(NOT_CONTEST_WRITES) <= public_functions()


@pytest.mark.parametrize("name", PRESENT_WRITES)
def test_write_succeeds_while_contest_not_frozen(setup, name):
    result = WRITES[name](setup)

    assert AuditEntry.objects.filter(contest=setup["contest"]).exists()
    assert result is None or result.pk is not None


@pytest.mark.parametrize("name", PRESENT_WRITES)
def test_write_refused_409_once_frozen(
    setup, name, django_capture_on_commit_callbacks, table_rows
):
    freeze(setup["contest"])
    before = state()

    rows_before = table_rows()
    with (
        translation.override("en"),
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(DomainError) as excinfo,
    ):
        WRITES[name](setup)

    assert excinfo.value.status == 409
    assert table_rows() == rows_before
    assert FROZEN in str(excinfo.value.message)
    assert callbacks == []
    assert state() == before


# Through the API


@pytest.fixture
def frozen(setup, api):
    freeze(setup["contest"])
    api.force_authenticate(setup["by"])
    # The API answers in the language the request accepts (the pages' cookie is
    # theirs).
    api.credentials(HTTP_ACCEPT_LANGUAGE="en")
    return setup


def test_api_patch_frozen_contest_409_unchanged(api, frozen, table_rows):
    contest = frozen["contest"]
    before = state()

    rows_before = table_rows()
    response = api.patch(
        f"/api/v1/contests/{contest.slug}/",
        {"name": "Nama Baru", "is_public": False},
        format="json",
    )

    assert response.status_code == 409
    assert table_rows() == rows_before
    assert FROZEN in response.json()["detail"]
    assert state() == before


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("categories/", {"name": "Kesehatan", "slug": "kesehatan"}),
        (
            "stages/",
            {
                "name": "Wawancara",
                "order": 2,
                "kind": "scoring",
                "opens": "2099-01-01T08:00:00+09:00",
                "closes": "2099-01-08T08:00:00+09:00",
            },
        ),
        ("delegates/", {"email": "baru@example.id", "region": None}),
    ],
)
def test_api_post_to_frozen_contest_409_unchanged(api, frozen, path, body, table_rows):
    contest = frozen["contest"]
    if "region" in body:
        body["region"] = frozen["region"].code
    before = state()

    rows_before = table_rows()
    response = api.post(f"/api/v1/contests/{contest.slug}/{path}", body, format="json")

    assert response.status_code == 409, response.json()
    assert table_rows() == rows_before
    assert FROZEN in response.json()["detail"]
    assert state() == before


@pytest.mark.parametrize(
    ("kind", "path"), [("category", "categories"), ("stage", "stages")]
)
def test_api_patch_child_of_frozen_contest_409_unchanged(
    api, frozen, kind, path, table_rows
):
    contest = frozen["contest"]
    row = frozen[kind]
    before = state()

    rows_before = table_rows()
    response = api.patch(
        f"/api/v1/contests/{contest.slug}/{path}/{row.pk}/",
        {"name": "Nama Baru"},
        format="json",
    )

    assert response.status_code == 409
    assert table_rows() == rows_before
    assert FROZEN in response.json()["detail"]
    assert state() == before


# Through the organizer's pages


def _contest_form(contest, **overrides):
    data = {
        "name": "Nama Baru",
        "slug": contest.slug,
        "description": "",
        "host_region": contest.host_region_id,
        "timezone": contest.timezone,
        "submission_opens": "2027-06-01T08:00",
        "submission_closes": "2027-07-31T23:59",
        "max_entries_per_region": "3",
    }
    data.update(overrides)
    return data


def _stage_form(**overrides):
    data = {
        "name": "Wawancara",
        "order": "2",
        "kind": "scoring",
        "opens": "2099-01-01T08:00",
        "closes": "2099-01-15T17:00",
        "judges_per_entry": "3",
        "advance_per_category": "5",
        "disagreement_threshold": "20",
        "peer_scores_visible": "never",
    }
    data.update(overrides)
    return data


def _page_posts(s):
    contest = s["contest"]
    slug = contest.slug
    return {
        "contest-edit": (
            reverse("contest:edit", kwargs={"slug": slug}),
            _contest_form(contest),
        ),
        "category-create": (
            reverse("contest:category-create", kwargs={"slug": slug}),
            {"name": "Kesehatan", "slug": "kesehatan", "order": "1"},
        ),
        "category-edit": (
            reverse(
                "contest:category-edit", kwargs={"slug": slug, "pk": s["category"].pk}
            ),
            {"name": "Nama Baru", "slug": s["category"].slug, "order": "1"},
        ),
        "stage-create": (
            reverse("contest:stage-create", kwargs={"slug": slug}),
            _stage_form(),
        ),
        "stage-edit": (
            reverse("contest:stage-edit", kwargs={"slug": slug, "pk": s["stage"].pk}),
            _stage_form(order="1"),
        ),
        "delegate-invite": (
            reverse("contest:delegates", kwargs={"slug": slug}),
            {"email": "baru@example.id", "region": s["region"].code},
        ),
    }


PAGES = [
    "contest-edit",
    "category-create",
    "category-edit",
    "stage-create",
    "stage-edit",
    "delegate-invite",
]


@pytest.mark.parametrize("page", PAGES)
def test_page_form_of_frozen_contest_shows_error_saves_nothing(client, setup, page):
    url, data = _page_posts(setup)[page]
    freeze(setup["contest"])
    client.force_login(setup["by"])
    client.cookies["django_language"] = "en"
    before = state()

    response = client.post(url, data)

    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert any(FROZEN in e for e in errors), response.context["form"].errors
    assert state() == before


@pytest.mark.parametrize("page", PAGES)
def test_page_form_of_open_contest_saves(client, setup, page):
    """The control: the same posts save while the contest is not frozen."""
    url, data = _page_posts(setup)[page]
    client.force_login(setup["by"])
    before = state()

    response = client.post(url, data)

    assert response.status_code == 302, response.context["form"].errors
    assert state() != before


def test_page_delegate_remove_of_frozen_contest_shows_error(client, setup):
    contest, row = setup["contest"], setup["delegate"]
    freeze(contest)
    client.force_login(setup["by"])
    client.cookies["django_language"] = "en"
    before = state()

    response = client.post(
        reverse("contest:delegate-remove", kwargs={"slug": contest.slug, "pk": row.pk}),
        follow=True,
    )

    assert response.status_code == 200
    assert FROZEN in response.content.decode()
    assert state() == before


# Through the admin


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    client.cookies["django_language"] = "en"
    return client


@pytest.mark.parametrize(
    ("model", "row"),
    [
        ("contest", "contest"),
        ("category", "category"),
        ("stage", "stage"),
        ("delegate", "delegate"),
    ],
)
def test_admin_change_of_frozen_contest_row_refused(admin_client, setup, model, row):
    obj = setup[row]
    freeze(setup["contest"])
    before = state()

    change = admin_client.post(
        reverse(f"admin:contest_{model}_change", args=[obj.pk]), {"name": "Nama Baru"}
    )
    delete = admin_client.post(
        reverse(f"admin:contest_{model}_delete", args=[obj.pk]), {"post": "yes"}
    )

    assert (change.status_code, delete.status_code) == (403, 403)
    assert state() == before


def test_admin_change_page_of_frozen_contest_is_read_only(admin_client, setup):
    contest = setup["contest"]
    freeze(contest)

    response = admin_client.get(
        reverse("admin:contest_contest_change", args=[contest.pk])
    )

    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert all(
        not formset.has_add_permission
        for formset in response.context["inline_admin_formsets"]
    )


@pytest.mark.parametrize("frozen", [True, False], ids=["frozen", "open"])
def test_admin_add_category_refused_frozen_or_not(admin_client, setup, frozen):
    # Audited rows change only through the services (rules and ledger entry).
    contest = setup["contest"]
    if frozen:
        freeze(contest)
    before = state()

    response = admin_client.post(
        reverse("admin:contest_category_add"),
        {"contest": contest.pk, "name": "Kesehatan", "slug": "kesehatan", "order": "1"},
    )

    assert response.status_code == 403
    assert state() == before


@pytest.mark.parametrize("model", ["stage", "criterion", "category", "contest"])
def test_admin_change_and_delete_of_an_open_contests_rows_refused(
    admin_client, setup, model
):
    # The admin used to edit a rubric locked by submitted sheets, unaudited.
    from tests.factories.contest import CriterionFactory

    rows = {
        "contest": setup["contest"],
        "category": setup["category"],
        "stage": setup["stage"],
        "criterion": CriterionFactory(stage=setup["stage"]),
    }
    obj = rows[model]
    before = state()

    change = admin_client.post(
        reverse(f"admin:contest_{model}_change", args=[obj.pk]), {"name": "Baru"}
    )
    delete = admin_client.post(
        reverse(f"admin:contest_{model}_delete", args=[obj.pk]), {"post": "yes"}
    )

    assert (change.status_code, delete.status_code) == (403, 403)
    assert state() == before
