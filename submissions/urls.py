from django.urls import path

from submissions.views import (
    answers,
    bulk,
    delegate,
    files,
    history,
    imports,
    indicators,
    screening,
)

app_name = "submissions"

ENTRY = "entries/<slug:slug>/<int:pk>/"
SCREENING = "manage/<slug:slug>/screening/"

urlpatterns = [
    path("entries/", delegate.MyEntriesView.as_view(), name="my-entries"),
    path(
        "entries/<slug:slug>/new/",
        delegate.SubmissionCreateView.as_view(),
        name="create",
    ),
    path(ENTRY, delegate.SubmissionDetailView.as_view(), name="detail"),
    path(f"{ENTRY}edit/", delegate.SubmissionEditView.as_view(), name="edit"),
    path(f"{ENTRY}evidence/", delegate.EvidenceView.as_view(), name="evidence"),
    path(
        f"{ENTRY}evidence/link/",
        delegate.EvidenceLinkView.as_view(),
        name="evidence-link",
    ),
    path(
        f"{ENTRY}evidence/<int:evidence_pk>/remove/",
        delegate.EvidenceRemoveView.as_view(),
        name="evidence-remove",
    ),
    path(
        f"{ENTRY}evidence/<int:evidence_pk>/edit/",
        delegate.EvidenceEditView.as_view(),
        name="evidence-edit",
    ),
    path(
        f"{ENTRY}evidence/<int:evidence_pk>/file/",
        files.EvidenceFileView.as_view(),
        name="evidence-file",
    ),
    path(
        f"{ENTRY}evidence/<int:evidence_pk>/thumbnail/",
        files.EvidenceFileView.as_view(thumbnail=True),
        name="evidence-thumbnail",
    ),
    path(
        f"{ENTRY}indicators/<int:stage_pk>/",
        indicators.EntryIndicatorsView.as_view(),
        name="indicators",
    ),
    path(
        f"{ENTRY}indicators/<int:stage_pk>/<int:criterion_pk>/evidence/",
        indicators.IndicatorEvidenceView.as_view(),
        name="indicator-evidence",
    ),
    path(
        f"{ENTRY}answers/<int:question_pk>/file/",
        answers.AnswerFileView.as_view(),
        name="answer-file",
    ),
    path(
        f"{ENTRY}answers/<int:question_pk>/download/",
        answers.AnswerFileDownloadView.as_view(),
        name="answer-download",
    ),
    path(f"{ENTRY}submit/", delegate.SubmitView.as_view(), name="submit"),
    path(f"{ENTRY}receipt/", delegate.ReceiptView.as_view(), name="receipt"),
    path(f"{ENTRY}withdraw/", delegate.WithdrawView.as_view(), name="withdraw"),
    path(f"{ENTRY}delete/", delegate.DeleteView.as_view(), name="delete"),
    path(SCREENING, screening.ScreeningQueueView.as_view(), name="screening"),
    path(
        f"{SCREENING}import/",
        imports.EntryImportView.as_view(),
        name="entry-import",
    ),
    path(f"{SCREENING}bulk/", bulk.BulkScreeningView.as_view(), name="screening-bulk"),
    path(
        f"{SCREENING}filters/",
        bulk.SavedFilterSaveView.as_view(),
        name="screening-filter-save",
    ),
    path(
        f"{SCREENING}filters/<int:pk>/delete/",
        bulk.SavedFilterDeleteView.as_view(),
        name="screening-filter-delete",
    ),
    path(f"{SCREENING}drafts/", bulk.DraftsView.as_view(), name="screening-drafts"),
    path(
        f"{SCREENING}drafts/remind/",
        bulk.DraftsRemindView.as_view(),
        name="screening-drafts-remind",
    ),
    path(
        f"{SCREENING}<int:pk>/",
        screening.ScreeningDetailView.as_view(),
        name="screening-detail",
    ),
    path(
        f"{SCREENING}<int:pk>/screen/",
        screening.ScreeningDetailView.as_view(action="screen"),
        name="screen",
    ),
    path(
        f"{SCREENING}<int:pk>/revision/",
        screening.ScreeningDetailView.as_view(action="revision"),
        name="request-revision",
    ),
    path(
        f"{SCREENING}<int:pk>/previous-entry/",
        history.PreviousEntryCheckView.as_view(),
        name="screening-previous-entry",
    ),
    path(
        f"{SCREENING}<int:pk>/reopen/",
        screening.ScreeningDetailView.as_view(action="reopen"),
        name="reopen",
    ),
    path(
        f"{SCREENING}<int:pk>/evidence/<int:evidence_pk>/review/",
        screening.ScreeningDetailView.as_view(action="review"),
        name="evidence-review",
    ),
]
