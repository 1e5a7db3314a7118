from django.urls import path

from judging.views import imports, judge, manage, messages, packs, schedule, validation

app_name = "judging"

MANAGE = "manage/<slug:slug>/judging/"
STAGE = f"{MANAGE}stages/<int:stage_pk>/"
TEMPLATE = f"{MANAGE}templates/<str:event>/<str:language>/"
VALIDATION = "validation/<slug:slug>/stages/<int:stage_pk>/"

urlpatterns = [
    path(
        VALIDATION,
        validation.ValidationQueueView.as_view(),
        name="validation-queue",
    ),
    path(f"{VALIDATION}qc/", validation.QcSampleView.as_view(), name="validation-qc"),
    path(
        f"{VALIDATION}qc/<int:pk>/",
        validation.QcReviewView.as_view(),
        name="validation-qc-review",
    ),
    path(
        f"{VALIDATION}<int:submission_pk>/",
        validation.ValidationEntryView.as_view(),
        name="validation-entry",
    ),
    path(
        f"{VALIDATION}<int:submission_pk>/<int:criterion_pk>/",
        validation.ValidationVerdictView.as_view(),
        name="validation-verdict",
    ),
    path("assignments/", judge.MyAssignmentsView.as_view(), name="my-assignments"),
    path("assignments/<int:pk>/", judge.SheetView.as_view(), name="sheet"),
    path("schedule/", schedule.MyScheduleView.as_view(), name="my-schedule"),
    path(f"{STAGE}schedule/", schedule.ScheduleView.as_view(), name="schedule"),
    path(
        f"{STAGE}schedule/series/",
        schedule.SeriesCreateView.as_view(),
        name="schedule-series",
    ),
    path(f"{STAGE}schedule/slots/", schedule.SlotCreateView.as_view(), name="slot-add"),
    path(
        f"{STAGE}schedule/slots/<int:pk>/",
        schedule.SlotEditView.as_view(),
        name="slot-edit",
    ),
    path(
        f"{STAGE}schedule/slots/<int:pk>/delete/",
        schedule.SlotDeleteView.as_view(),
        name="slot-delete",
    ),
    path(
        f"{STAGE}schedule/slots/<int:pk>/unbook/",
        schedule.SlotUnbookView.as_view(),
        name="slot-unbook",
    ),
    path(
        f"{STAGE}schedule/apply/", schedule.ApplyView.as_view(), name="schedule-apply"
    ),
    path(
        f"{STAGE}schedule/announce/",
        schedule.AnnounceView.as_view(),
        name="schedule-announce",
    ),
    path(
        "assignments/<int:pk>/conflict/",
        judge.DeclareConflictView.as_view(),
        name="declare-conflict",
    ),
    path(
        "assignments/<int:pk>/pack/",
        packs.EntryPackView.as_view(),
        name="pack-entry",
    ),
    path("packs/", packs.PacksView.as_view(), name="packs"),
    path("packs/<int:pk>/", packs.PackView.as_view(), name="pack"),
    path("packs/<int:pk>/file/", packs.PackFileView.as_view(), name="pack-file"),
    path(
        "assignments/<int:pk>/reopen/",
        manage.ReopenSheetView.as_view(),
        name="sheet-reopen",
    ),
    path(MANAGE, manage.JudgingHomeView.as_view(), name="manage"),
    path(f"{MANAGE}judges/", manage.PanelsView.as_view(), name="panels"),
    path(
        f"{MANAGE}judges/import/",
        imports.JudgeImportView.as_view(),
        name="judge-import",
    ),
    path(
        f"{MANAGE}judges/<int:pk>/", manage.JudgeEditView.as_view(), name="judge-edit"
    ),
    path(
        f"{MANAGE}judges/<int:pk>/remove/",
        manage.JudgeRemoveView.as_view(),
        name="judge-remove",
    ),
    path(f"{MANAGE}conflicts/", manage.ConflictsView.as_view(), name="conflicts"),
    path(f"{STAGE}rubric/", manage.RubricView.as_view(), name="rubric"),
    path(
        f"{STAGE}rubric/<int:pk>/",
        manage.CriterionEditView.as_view(),
        name="criterion-edit",
    ),
    path(
        f"{STAGE}rubric/<int:pk>/remove/",
        manage.CriterionRemoveView.as_view(),
        name="criterion-remove",
    ),
    path(f"{STAGE}assignments/", manage.AssignmentsView.as_view(), name="assignments"),
    path(
        f"{STAGE}assignments/add/",
        manage.AssignmentAddView.as_view(),
        name="assignment-add",
    ),
    path(
        f"{STAGE}assignments/<int:pk>/remove/",
        manage.AssignmentRemoveView.as_view(),
        name="assignment-remove",
    ),
    path(f"{STAGE}progress/", manage.ProgressView.as_view(), name="progress"),
    path(
        f"{STAGE}progress/<int:submission_pk>/extra-judge/",
        manage.ExtraJudgeView.as_view(),
        name="extra-judge",
    ),
    path(f"{STAGE}remind/", manage.RemindView.as_view(), name="remind"),
    path(f"{MANAGE}messages/", messages.MessagesView.as_view(), name="messages"),
    path(
        f"{MANAGE}messages/<int:pk>/",
        messages.MessageDetailView.as_view(),
        name="message-detail",
    ),
    path(f"{MANAGE}templates/", messages.TemplatesView.as_view(), name="templates"),
    path(TEMPLATE, messages.TemplateEditView.as_view(), name="template-edit"),
    path(
        f"{TEMPLATE}restore/",
        messages.TemplateRestoreView.as_view(),
        name="template-restore",
    ),
]
