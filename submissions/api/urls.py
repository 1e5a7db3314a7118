from rest_framework.routers import SimpleRouter

from submissions.api import views

router = SimpleRouter()
router.register(
    r"contests/(?P<contest_slug>[a-z0-9-]+)/submissions",
    views.SubmissionViewSet,
    basename="submission",
)

urlpatterns = router.urls
