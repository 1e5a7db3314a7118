from django.urls import path
from rest_framework.routers import SimpleRouter

from judging.api import imports, schedule, validation, views
from judging.api.messages import MessageViewSet
from judging.api.packs import PackViewSet

CONTEST = r"contests/(?P<contest_slug>[a-z0-9-]+)"
STAGE = rf"{CONTEST}/stages/(?P<stage_pk>\d+)"

router = SimpleRouter()
router.register(f"{STAGE}/criteria", views.CriterionViewSet, basename="criterion")
router.register(f"{CONTEST}/judges", views.JudgeViewSet, basename="judge")
router.register(f"{CONTEST}/conflicts", views.ConflictViewSet, basename="conflict")
router.register(f"{CONTEST}/messages", MessageViewSet, basename="message")
router.register(f"{STAGE}/assign", views.AssignRunViewSet, basename="stage-assign")
router.register(f"{STAGE}/remind", views.ReminderViewSet, basename="stage-remind")
router.register(
    f"{STAGE}/assignments", views.StageAssignmentViewSet, basename="stage-assignment"
)
router.register("assignments", views.MyAssignmentViewSet, basename="my-assignment")
router.register("packs", PackViewSet, basename="pack")
router.register(f"{STAGE}/slots", schedule.SlotViewSet, basename="stage-slot")
router.register(f"{STAGE}/schedule", schedule.ScheduleViewSet, basename="schedule")
router.register("schedule", schedule.MyScheduleViewSet, basename="my-schedule")

VALIDATIONS = "contests/<slug:contest_slug>/stages/<int:stage_pk>/"
ONE_VALIDATION = f"{VALIDATIONS}validations/<int:submission_pk>/<int:criterion_pk>/"

urlpatterns = [
    path(
        f"{VALIDATIONS}validations/",
        validation.ValidationViewSet.as_view({"get": "list"}),
        name="stage-validations",
    ),
    path(
        ONE_VALIDATION,
        validation.ValidationViewSet.as_view({"put": "record"}),
        name="stage-validation",
    ),
    path(
        f"{ONE_VALIDATION}qc/",
        validation.ValidationViewSet.as_view({"post": "qc"}),
        name="stage-validation-qc",
    ),
    path(
        f"{VALIDATIONS}qc-sample/",
        validation.ValidationViewSet.as_view({"get": "sample", "post": "draw"}),
        name="stage-qc-sample",
    ),
    path(
        "contests/<slug:contest_slug>/judges/import/",
        imports.JudgeImportViewSet.as_view({"post": "create"}),
        name="judge-import",
    ),
    *router.urls,
]
