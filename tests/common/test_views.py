"""The shared view plumbing (common.views): the contest from the URL, seen,
permitted and in its own zone; a stage of it; a service's errors on the form or as a
message. Small views built on the mixins, and the apps' real pages, answer real
requests against the database."""

import json

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.template import engines
from django.template.response import TemplateResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, TemplateView

from common.errors import DomainError
from common.views import (
    ContestScopedMixin,
    ServiceFormMixin,
    ServicePostView,
    StageScopedMixin,
    object_or_404,
)
from contest.enums import StageKind
from contest.models import Contest
from tests.factories.accounts import UserFactory
from tests.factories.contest import ContestFactory, OrganizerFactory, StageFactory

pytestmark = pytest.mark.django_db

ZONE_TEMPLATE = engines["django"].from_string(
    "{% load tz %}{% get_current_timezone as zone %}{{ contest.slug }} {{ zone }}"
    "{% if stage %} {{ stage.pk }}{% endif %}"
)


class PublicContestPage(ContestScopedMixin, TemplateView):
    """A page of a public contest: common.views knows no Contest, the view says
    which rows it may show."""

    def get_contest_queryset(self):
        return Contest.objects.filter(is_public=True)

    def get_template_names(self):
        return []

    def render_to_response(self, context, **kwargs):
        return TemplateResponse(self.request, ZONE_TEMPLATE, context)


class ManagedContestPage(PublicContestPage):
    contest_permission = True
    permission_required = "contest.manage_contest"


class ScoringStagePage(StageScopedMixin, PublicContestPage):
    stage_kind = StageKind.SCORING


class AnyStagePage(StageScopedMixin, PublicContestPage):
    pass


def _get(view, user=None, **kwargs):
    request = RequestFactory().get("/")
    request.user = user or AnonymousUser()
    return view.as_view()(request, **kwargs)


def _post(view, user, data=None, **kwargs):
    request = RequestFactory().post("/", data or {})
    request.user = user
    request._messages = CookieStorage(request)
    return request, view.as_view()(request, **kwargs)


def _messages(request):
    return [(m.level_tag, m.message) for m in get_messages(request)]


# ---------------------------------------------------------------- the contest


def test_the_contest_comes_from_the_slug_and_renders_in_its_zone():
    contest = ContestFactory(timezone="Asia/Jayapura")
    before = timezone.get_current_timezone_name()

    response = _get(PublicContestPage, slug=contest.slug)

    assert response.status_code == 200
    assert response.content.decode() == f"{contest.slug} Asia/Jayapura"
    assert timezone.get_current_timezone_name() == before


def test_a_contest_outside_the_views_rows_is_not_found():
    hidden = ContestFactory(is_public=False)

    with pytest.raises(Http404):
        _get(PublicContestPage, slug=hidden.slug)
    with pytest.raises(Http404):
        _get(PublicContestPage, slug="no-such-contest")


def test_the_permission_is_checked_against_the_contest():
    contest = ContestFactory()
    other = ContestFactory()
    organizer = UserFactory()
    OrganizerFactory(contest=contest, user=organizer)

    anonymous = _get(ManagedContestPage, slug=contest.slug)
    allowed = _get(ManagedContestPage, organizer, slug=contest.slug)

    assert anonymous.status_code == 302
    assert reverse("account_login") in anonymous["Location"]
    assert allowed.status_code == 200
    with pytest.raises(PermissionDenied):
        _get(ManagedContestPage, organizer, slug=other.slug)


def test_without_contest_permission_seeing_the_contest_is_enough():
    contest = ContestFactory()

    response = _get(PublicContestPage, UserFactory(), slug=contest.slug)

    assert response.status_code == 200


def test_the_contest_is_looked_up_before_the_permission():
    hidden = ContestFactory(is_public=False)

    with pytest.raises(Http404):
        _get(ManagedContestPage, UserFactory(), slug=hidden.slug)


# ---------------------------------------------------------------- the stage


def test_the_stage_of_the_kind_is_in_the_context():
    stage = StageFactory(kind=StageKind.SCORING)

    response = _get(ScoringStagePage, slug=stage.contest.slug, stage_pk=stage.pk)

    assert response.content.decode().endswith(f" {stage.pk}")


def test_a_stage_of_another_kind_or_contest_is_not_found():
    screening = StageFactory(kind=StageKind.SCREENING)
    elsewhere = StageFactory(kind=StageKind.SCORING)

    with pytest.raises(Http404):
        _get(ScoringStagePage, slug=screening.contest.slug, stage_pk=screening.pk)
    with pytest.raises(Http404):
        _get(ScoringStagePage, slug=screening.contest.slug, stage_pk=elsewhere.pk)


def test_without_a_kind_any_stage_of_the_contest_is_found():
    screening = StageFactory(kind=StageKind.SCREENING)

    response = _get(AnyStagePage, slug=screening.contest.slug, stage_pk=screening.pk)

    assert response.status_code == 200


def test_the_apps_pages_refuse_a_stage_that_does_not_score(client):
    """judging and results bind the stage mixin to scoring stages."""
    stage = StageFactory(kind=StageKind.SCREENING)
    organizer = UserFactory()
    OrganizerFactory(contest=stage.contest, user=organizer)
    client.force_login(organizer)
    kwargs = {"slug": stage.contest.slug, "stage_pk": stage.pk}

    assert client.get(reverse("judging:rubric", kwargs=kwargs)).status_code == 404
    assert client.get(reverse("results:stage", kwargs=kwargs)).status_code == 404


# ---------------------------------------------------------------- services


class NameForm(forms.Form):
    name = forms.CharField()


class NameFormView(ServiceFormMixin, FormView):
    """Saves the name through `outcome`: what the service returns, or raises."""

    form_class = NameForm
    outcome = None

    def form_invalid(self, form):
        errors = {field: list(messages) for field, messages in form.errors.items()}
        return JsonResponse(errors, status=400)

    def form_valid(self, form):
        def service():
            if isinstance(self.outcome, Exception):
                raise self.outcome
            return self.outcome

        return self.save_with_service(
            form,
            service,
            message=lambda saved: f"{saved} saved",
            then="/done/",
        )


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (DomainError("Taken.", field="name"), {"name": ["Taken."]}),
        (DomainError("Closed.", field="deadline"), {"__all__": ["Closed."]}),
        (DomainError("Closed."), {"__all__": ["Closed."]}),
        (ValidationError({"name": "Too long."}), {"name": ["Too long."]}),
        (ValidationError("Refused."), {"__all__": ["Refused."]}),
    ],
)
def test_a_services_error_lands_at_the_field_it_names(error, expected):
    view = type("Refusing", (NameFormView,), {"outcome": error})

    request, response = _post(view, UserFactory(), {"name": "Ana"})

    assert response.status_code == 400
    assert json.loads(response.content) == expected
    assert _messages(request) == []


def test_a_saved_form_says_so_and_goes_on():
    view = type("Saving", (NameFormView,), {"outcome": "Ana"})

    request, response = _post(view, UserFactory(), {"name": "Ana"})

    assert response.status_code == 302
    assert response["Location"] == "/done/"
    assert _messages(request) == [("success", "Ana saved")]


class RunningPost(ServicePostView):
    outcome = None

    def post(self, request, *args, **kwargs):
        def service():
            if isinstance(self.outcome, Exception):
                raise self.outcome
            return self.outcome

        ran = self.run(service, lambda result: f"done: {result}")
        return HttpResponse(str(ran))


def test_a_service_post_says_what_it_did():
    view = type("Done", (RunningPost,), {"outcome": 3})

    request, response = _post(view, UserFactory())

    assert response.content == b"True"
    assert _messages(request) == [("success", "done: 3")]


def test_a_service_post_shows_the_refusal():
    view = type("Refused", (RunningPost,), {"outcome": DomainError("Not now.")})

    request, response = _post(view, UserFactory())

    assert response.content == b"False"
    assert _messages(request) == [("error", "Not now.")]


def test_a_service_post_answers_only_post():
    request = RequestFactory().get("/")
    request.user = UserFactory()

    assert RunningPost.as_view()(request).status_code == 405


def test_object_or_404():
    contest = ContestFactory()

    assert object_or_404(Contest.objects.all(), slug=contest.slug) == contest
    with pytest.raises(Http404):
        object_or_404(Contest.objects.all(), slug="nope")


def test_a_contest_page_without_its_rows_says_so():
    class Unbound(ContestScopedMixin, View):
        pass

    contest = ContestFactory()

    with pytest.raises(NotImplementedError):
        _get(Unbound, slug=contest.slug)
