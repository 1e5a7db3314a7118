from django.urls import path

from contest import views

app_name = "contest"

urlpatterns = [
    path("contests/", views.ContestListView.as_view(), name="list"),
    path("contests/<slug:slug>/", views.ContestDetailView.as_view(), name="detail"),
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
]

home_urlpatterns = [path("", views.ContestListView.as_view(), name="home")]
