from django.urls import path

from results.views import delegate, documents, exports, index, manage, public

app_name = "results"

MANAGE = "manage/<slug:slug>/results/"
STAGE = "manage/<slug:slug>/stages/<int:stage_pk>/results/"
PUBLIC = "contests/<slug:slug>/results/"

urlpatterns = [
    path(
        "entries/<slug:slug>/<int:pk>/dashboard/",
        delegate.EntryDashboardView.as_view(),
        name="entry-dashboard",
    ),
    path(MANAGE, manage.ResultsHomeView.as_view(), name="manage"),
    path(f"{MANAGE}settings/", manage.SettingsView.as_view(), name="settings"),
    path(f"{MANAGE}documents/", documents.DocumentsView.as_view(), name="documents"),
    path(f"{MANAGE}awards/", manage.AwardsView.as_view(), name="awards"),
    path(
        f"{MANAGE}awards/places/",
        manage.PlaceAwardsView.as_view(),
        name="award-places",
    ),
    path(
        f"{MANAGE}awards/<int:pk>/remove/",
        manage.AwardRemoveView.as_view(),
        name="award-remove",
    ),
    path(f"{MANAGE}objections/", manage.ObjectionsView.as_view(), name="objections"),
    path(
        f"{MANAGE}objections/<int:pk>/resolve/",
        manage.ObjectionResolveView.as_view(),
        name="objection-resolve",
    ),
    path(
        f"{MANAGE}objections/answer/",
        manage.ObjectionBulkResolveView.as_view(),
        name="objections-resolve",
    ),
    path(f"{MANAGE}publish/", manage.PublishView.as_view(), name="publish"),
    path(f"{MANAGE}exports/", exports.ExportsView.as_view(), name="exports"),
    path(
        f"{MANAGE}exports/<slug:kind>.<slug:fmt>",
        exports.ContestExportView.as_view(),
        name="export-table",
    ),
    path(
        f"{STAGE}exports/<slug:kind>.<slug:fmt>",
        exports.StageExportView.as_view(),
        name="stage-export-table",
    ),
    path(STAGE, manage.StageResultsView.as_view(), name="stage"),
    path(
        f"{STAGE}entries/<int:submission_pk>/",
        manage.EntryExplainView.as_view(),
        name="explain",
    ),
    path(f"{STAGE}advance/", manage.AdvanceView.as_view(), name="advance"),
    path(f"{STAGE}minutes/", manage.MinutesView.as_view(), name="minutes"),
    path(
        "manage/<slug:slug>/stages/<int:stage_pk>/index/",
        index.IndexRankingView.as_view(),
        name="index",
    ),
    path(
        "manage/<slug:slug>/stages/<int:stage_pk>/index/advance/",
        index.IndexAdvanceView.as_view(),
        name="index-advance",
    ),
    path(
        "contests/<slug:slug>/stages/<int:stage_pk>/ranking/",
        index.PublicIndexRankingView.as_view(),
        name="index-public",
    ),
    path(PUBLIC, public.PublicResultsView.as_view(), name="public"),
    path(f"{PUBLIC}gallery/", public.GalleryView.as_view(), name="gallery"),
    path(f"{PUBLIC}verify/", public.VerifyView.as_view(), name="verify"),
    path(
        f"{PUBLIC}snapshot.json",
        public.SnapshotDownloadView.as_view(),
        name="snapshot",
    ),
    path(
        f"{PUBLIC}export.csv",
        public.ExportView.as_view(),
        {"format": "csv"},
        name="export-csv",
    ),
    path(
        f"{PUBLIC}export.xlsx",
        public.ExportView.as_view(),
        {"format": "xlsx"},
        name="export-xlsx",
    ),
    path(
        f"{PUBLIC}certificates/<int:award_id>.pdf",
        public.CertificateView.as_view(),
        name="certificate",
    ),
    path(
        f"{PUBLIC}photos/<int:evidence_pk>.jpg",
        public.PhotoView.as_view(),
        name="photo",
    ),
    path(
        f"{PUBLIC}objections/new/",
        public.ObjectionCreateView.as_view(),
        name="object",
    ),
    path(
        f"{PUBLIC}objections/mine/",
        public.MyObjectionsView.as_view(),
        name="my-objections",
    ),
    path(
        f"{PUBLIC}feedback/<str:code>/",
        public.FeedbackView.as_view(),
        name="feedback",
    ),
]
