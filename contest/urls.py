from django.urls import path

from contest import (
    views,
    views_clusters,
    views_forms,
    views_import,
    views_joining,
    views_lifecycle,
)

app_name = "contest"

urlpatterns = [
    path("join/", views_joining.MyJoinRequestsView.as_view(), name="my-join-requests"),
    path(
        "join/<int:pk>/withdraw/",
        views_joining.JoinRequestWithdrawView.as_view(),
        name="join-request-withdraw",
    ),
    path(
        "manage/<slug:slug>/join-requests/",
        views_joining.JoinRequestsView.as_view(),
        name="join-requests",
    ),
    path(
        "manage/<slug:slug>/join-requests/<int:pk>/approve/",
        views_joining.JoinRequestApproveView.as_view(),
        name="join-request-approve",
    ),
    path(
        "manage/<slug:slug>/join-requests/<int:pk>/decline/",
        views_joining.JoinRequestDeclineView.as_view(),
        name="join-request-decline",
    ),
    path("contests/", views.ContestListView.as_view(), name="list"),
    path("contests/<slug:slug>/", views.ContestDetailView.as_view(), name="detail"),
    path("start/", views.LandingView.as_view(), name="landing"),
    path("manage/", views.ManageDashboardView.as_view(), name="manage"),
    path("manage/new/", views.ContestCreateView.as_view(), name="create"),
    path("manage/<slug:slug>/", views.ContestSetupView.as_view(), name="setup"),
    path("manage/<slug:slug>/edit/", views.ContestEditView.as_view(), name="edit"),
    path(
        "manage/<slug:slug>/categories/new/",
        views.CategoryCreateView.as_view(),
        name="category-create",
    ),
    path(
        "manage/<slug:slug>/categories/<int:pk>/edit/",
        views.CategoryEditView.as_view(),
        name="category-edit",
    ),
    path(
        "manage/<slug:slug>/questions/",
        views_forms.QuestionListView.as_view(),
        name="questions",
    ),
    path(
        "manage/<slug:slug>/questions/new/",
        views_forms.QuestionCreateView.as_view(),
        name="question-create",
    ),
    path(
        "manage/<slug:slug>/clusters/",
        views_clusters.ClusterListView.as_view(),
        name="clusters",
    ),
    path(
        "manage/<slug:slug>/clusters/by-type/",
        views_clusters.ClusterTypesView.as_view(),
        name="cluster-types",
    ),
    path(
        "manage/<slug:slug>/clusters/<int:pk>/edit/",
        views_clusters.ClusterEditView.as_view(),
        name="cluster-edit",
    ),
    path(
        "manage/<slug:slug>/clusters/<int:pk>/delete/",
        views_clusters.ClusterDeleteView.as_view(),
        name="cluster-delete",
    ),
    path(
        "manage/<slug:slug>/clusters/<int:pk>/import/",
        views_clusters.ClusterImportView.as_view(),
        name="cluster-import",
    ),
    path(
        "manage/<slug:slug>/questions/<int:pk>/edit/",
        views_forms.QuestionEditView.as_view(),
        name="question-edit",
    ),
    path(
        "manage/<slug:slug>/questions/<int:pk>/delete/",
        views_forms.QuestionDeleteView.as_view(),
        name="question-delete",
    ),
    path(
        "manage/<slug:slug>/questions/<int:pk>/move/",
        views_forms.QuestionMoveView.as_view(),
        name="question-move",
    ),
    path(
        "manage/<slug:slug>/stages/new/",
        views.StageCreateView.as_view(),
        name="stage-create",
    ),
    path(
        "manage/<slug:slug>/stages/<int:pk>/edit/",
        views.StageEditView.as_view(),
        name="stage-edit",
    ),
    path(
        "manage/<slug:slug>/delegates/",
        views.DelegateListView.as_view(),
        name="delegates",
    ),
    path(
        "manage/<slug:slug>/delegates/import/",
        views_import.DelegateImportView.as_view(),
        name="delegate-import",
    ),
    path(
        "manage/<slug:slug>/delegates/<int:pk>/remove/",
        views.DelegateRemoveView.as_view(),
        name="delegate-remove",
    ),
    path(
        "manage/<slug:slug>/notifications/",
        views.NotificationLogView.as_view(),
        name="notifications",
    ),
    path(
        "manage/<slug:slug>/notifications/<int:pk>/retry/",
        views.NotificationRetryView.as_view(),
        name="notification-retry",
    ),
    # The contest's life beyond its set-up (contest/views_lifecycle.py).
    path("creators/", views_lifecycle.CreatorRightsView.as_view(), name="creators"),
    path(
        "creators/<int:pk>/",
        views_lifecycle.CreatorRightToggleView.as_view(),
        name="creator-toggle",
    ),
    path(
        "manage/<slug:slug>/organizers/",
        views_lifecycle.OrganizerListView.as_view(),
        name="organizers",
    ),
    path(
        "manage/<slug:slug>/organizers/<int:pk>/remove/",
        views_lifecycle.OrganizerRemoveView.as_view(),
        name="organizer-remove",
    ),
    path(
        "manage/<slug:slug>/categories/<int:pk>/delete/",
        views_lifecycle.CategoryDeleteView.as_view(),
        name="category-delete",
    ),
    path(
        "manage/<slug:slug>/stages/<int:pk>/delete/",
        views_lifecycle.StageDeleteView.as_view(),
        name="stage-delete",
    ),
    path(
        "manage/<slug:slug>/delete/",
        views_lifecycle.ContestDeleteView.as_view(),
        name="delete",
    ),
    path(
        "manage/<slug:slug>/clone/",
        views_lifecycle.ContestCloneView.as_view(),
        name="clone",
    ),
]

home_urlpatterns = [path("", views.ContestListView.as_view(), name="home")]
