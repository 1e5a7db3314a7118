from django.urls import path

from results.api import views

CONTEST = "contests/<slug:contest_slug>/"
STAGE = f"{CONTEST}stages/<int:stage_pk>/"

urlpatterns = [
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
]
