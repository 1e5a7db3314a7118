from django.urls import path

from judging import results_views as views

app_name = "results"

MANAGE = "manage/<slug:slug>/results/"
STAGE = "manage/<slug:slug>/stages/<int:stage_pk>/results/"
PUBLIC = "contests/<slug:slug>/results/"

urlpatterns = [
    path(MANAGE, views.ResultsHomeView.as_view(), name="manage"),
    path(f"{MANAGE}settings/", views.SettingsView.as_view(), name="settings"),
    path(f"{MANAGE}awards/", views.AwardsView.as_view(), name="awards"),
    path(
        f"{MANAGE}awards/places/",
        views.PlaceAwardsView.as_view(),
        name="award-places",
    ),
    path(
        f"{MANAGE}awards/<int:pk>/remove/",
        views.AwardRemoveView.as_view(),
        name="award-remove",
    ),
    path(f"{MANAGE}objections/", views.ObjectionsView.as_view(), name="objections"),
    path(
        f"{MANAGE}objections/<int:pk>/resolve/",
        views.ObjectionResolveView.as_view(),
        name="objection-resolve",
    ),
    path(
        f"{MANAGE}objections/answer/",
        views.ObjectionBulkResolveView.as_view(),
        name="objections-resolve",
    ),
    path(f"{MANAGE}publish/", views.PublishView.as_view(), name="publish"),
    path(STAGE, views.StageResultsView.as_view(), name="stage"),
    path(
        f"{STAGE}entries/<int:submission_pk>/",
        views.EntryExplainView.as_view(),
        name="explain",
    ),
    path(f"{STAGE}advance/", views.AdvanceView.as_view(), name="advance"),
    path(f"{STAGE}minutes/", views.MinutesView.as_view(), name="minutes"),
    path(PUBLIC, views.PublicResultsView.as_view(), name="public"),
    path(f"{PUBLIC}gallery/", views.GalleryView.as_view(), name="gallery"),
    path(f"{PUBLIC}verify/", views.VerifyView.as_view(), name="verify"),
    path(
        f"{PUBLIC}snapshot.json",
        views.SnapshotDownloadView.as_view(),
        name="snapshot",
    ),
    path(
        f"{PUBLIC}export.csv",
        views.ExportView.as_view(),
        {"format": "csv"},
        name="export-csv",
    ),
    path(
        f"{PUBLIC}export.xlsx",
        views.ExportView.as_view(),
        {"format": "xlsx"},
        name="export-xlsx",
    ),
    path(
        f"{PUBLIC}certificates/<int:award_id>.pdf",
        views.CertificateView.as_view(),
        name="certificate",
    ),
    path(
        f"{PUBLIC}photos/<int:evidence_pk>.jpg",
        views.PhotoView.as_view(),
        name="photo",
    ),
    path(
        f"{PUBLIC}objections/new/",
        views.ObjectionCreateView.as_view(),
        name="object",
    ),
    path(
        f"{PUBLIC}objections/mine/",
        views.MyObjectionsView.as_view(),
        name="my-objections",
    ),
    path(
        f"{PUBLIC}feedback/<str:code>/",
        views.FeedbackView.as_view(),
        name="feedback",
    ),
]
