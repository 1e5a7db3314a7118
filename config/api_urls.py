"""The REST API, version 1: each app contributes its routes."""

from django.urls import include, path

from accounts.api.views import ObtainTokenView

urlpatterns = [
    path("auth/token/", ObtainTokenView.as_view(), name="api-token"),
    path("", include("contest.api.urls")),
    path("", include("submissions.api.urls")),
    path("", include("judging.api.urls")),
    path("", include("results.api.urls")),
]
