from django.urls import path
from rest_framework.routers import SimpleRouter

from contest.api import (
    clusters,
    imports,
    joining,
    lifecycle,
    notifications,
    questions,
    views,
)

CONTEST = r"contests/(?P<contest_slug>[a-z0-9-]+)"

router = SimpleRouter()
router.register("regions", views.RegionViewSet, basename="region")
router.register("contests", views.ContestViewSet, basename="contest")
router.register(f"{CONTEST}/categories", views.CategoryViewSet, basename="category")
router.register(f"{CONTEST}/stages", views.StageViewSet, basename="stage")
# stages/{id}/criteria/ is served by judging.api (judging.services owns the rubric).
router.register(f"{CONTEST}/delegates", views.DelegateViewSet, basename="delegate")
router.register(f"{CONTEST}/questions", questions.QuestionViewSet, basename="question")
router.register(f"{CONTEST}/clusters", clusters.ClusterViewSet, basename="cluster")
router.register(
    f"{CONTEST}/join-requests", joining.JoinRequestViewSet, basename="join-request"
)
router.register(
    f"{CONTEST}/notifications",
    notifications.NotificationViewSet,
    basename="notification",
)

# The contest's life beyond its set-up (contest/api/lifecycle.py).
router.register("accounts", lifecycle.AccountViewSet, basename="account")
router.register(
    f"{CONTEST}/organizers", lifecycle.OrganizerViewSet, basename="organizer"
)

urlpatterns = [
    *router.urls,
    path(
        "contests/<slug:contest_slug>/clone/",
        lifecycle.CloneViewSet.as_view({"post": "create"}),
        name="contest-clone",
    ),
    path(
        "contests/<slug:contest_slug>/delegates/import/",
        imports.DelegateImportViewSet.as_view({"post": "create"}),
        name="delegate-import",
    ),
    path(
        "contests/<slug:contest_slug>/clusters/<int:pk>/import/",
        clusters.ClusterImportViewSet.as_view({"post": "create"}),
        name="cluster-import",
    ),
]
