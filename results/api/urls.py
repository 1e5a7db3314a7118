from django.urls import path
from rest_framework.routers import SimpleRouter

from results.api import views
from results.api.dashboard import EntryDashboardViewSet
from results.api.documents import ResultsDocumentsViewSet
from results.api.exports import ExportViewSet
from results.api.index import StageIndexViewSet
from results.api.minutes import StageMinutesViewSet
from results.api.objections import ObjectionViewSet
from results.api.weights import ResultsSettingsViewSet

CONTEST = "contests/<slug:contest_slug>/"
STAGE = f"{CONTEST}stages/<int:stage_pk>/"

router = SimpleRouter()
router.register(
    r"contests/(?P<contest_slug>[a-z0-9-]+)/objections",
    ObjectionViewSet,
    basename="objection",
)
router.register(
    r"contests/(?P<contest_slug>[a-z0-9-]+)/stages/(?P<stage_pk>\d+)/minutes",
    StageMinutesViewSet,
    basename="stage-minutes",
)

urlpatterns = [
    path(
        f"{CONTEST}submissions/<int:pk>/dashboard/",
        EntryDashboardViewSet.as_view({"get": "retrieve"}),
        name="submission-dashboard",
    ),
    path(
        f"{STAGE}results/",
        views.StageResultsViewSet.as_view({"get": "list"}),
        name="stage-results",
    ),
    path(
        f"{STAGE}advance/",
        views.AdvanceViewSet.as_view({"post": "create"}),
        name="stage-advance",
    ),
    path(
        f"{STAGE}index/",
        StageIndexViewSet.as_view({"get": "list"}),
        name="stage-index",
    ),
    path(
        f"{CONTEST}awards/",
        views.AwardViewSet.as_view({"get": "list", "post": "create"}),
        name="contest-awards",
    ),
    path(
        f"{CONTEST}publish/",
        views.PublishViewSet.as_view({"post": "create"}),
        name="contest-publish",
    ),
    path(
        f"{CONTEST}results/",
        views.PublishedResultsView.as_view(),
        name="contest-results",
    ),
    path(
        f"{CONTEST}results-settings/",
        ResultsSettingsViewSet.as_view({"get": "retrieve", "put": "update"}),
        name="contest-results-settings",
    ),
    path(
        f"{CONTEST}results-documents/",
        ResultsDocumentsViewSet.as_view({"get": "retrieve", "put": "update"}),
        name="contest-results-documents",
    ),
    path(
        f"{CONTEST}exports/<slug:kind>/",
        ExportViewSet.as_view({"get": "retrieve"}),
        name="contest-export",
    ),
    *router.urls,
]
