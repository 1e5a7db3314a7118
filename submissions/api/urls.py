from django.urls import path
from rest_framework.routers import SimpleRouter

from submissions.api import bulk, imports, indicators, views

router = SimpleRouter()
# Before the entries' own routes, whose `{id}/` would take "bulk-screen/".
router.register(
    r"contests/(?P<contest_slug>[a-z0-9-]+)/submissions",
    bulk.SubmissionBulkViewSet,
    basename="submission-bulk",
)
router.register(
    r"contests/(?P<contest_slug>[a-z0-9-]+)/saved-filters",
    bulk.SavedFilterViewSet,
    basename="saved-filter",
)
router.register(
    r"contests/(?P<contest_slug>[a-z0-9-]+)/submissions",
    views.SubmissionViewSet,
    basename="submission",
)

urlpatterns = [
    # Before the entries' own routes, whose `{id}/` would take "import/".
    path(
        "contests/<slug:contest_slug>/submissions/import/",
        imports.EntryImportViewSet.as_view({"post": "create"}),
        name="submission-import",
    ),
    path(
        "contests/<slug:contest_slug>/submissions/<int:pk>/indicators/",
        indicators.EntryIndicatorsViewSet.as_view({"get": "list", "put": "put"}),
        name="submission-indicators",
    ),
    *router.urls,
]
