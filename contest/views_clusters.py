"""The organizer's region clusters page (contest/services_clusters.py): the list,
a form to add one, the three clusters by type in one step, edit, delete and the
import of a listed cluster's regions from a table."""

from __future__ import annotations

from django import forms
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.generic import FormView

from common.import_views import TableImportView
from common.views import ServiceFormMixin, ServicePostView, object_or_404
from contest import services_clusters as services
from contest.clusters import clusters_of
from contest.enums import RegionType
from contest.mixins import ContestPermissionMixin
from contest.models import Category
from contest.models_formats import RegionCluster
from contest.validators import validate_slug_text

MANAGE = "contest.manage_contest"


class ClusterForm(forms.Form):
    name = forms.CharField(label=_lazy("Name"), max_length=120)
    slug = forms.CharField(
        label=_lazy("Slug"),
        max_length=80,
        validators=[validate_slug_text],
        help_text=_lazy("Lower-case letters, digits and hyphens, e.g. perbatasan."),
    )
    region_type = forms.ChoiceField(
        label=_lazy("Every region of type"),
        choices=[("", "—"), *RegionType.choices],
        required=False,
        help_text=_lazy("Empty: the cluster holds the regions listed below."),
    )
    regions = forms.CharField(
        label=_lazy("Region codes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_lazy("Codes separated by spaces, commas or lines: 91.71, 94.01"),
    )
    categories = forms.ModelMultipleChoiceField(
        label=_lazy("Categories only for this cluster"),
        queryset=Category.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    order = forms.IntegerField(
        label=_lazy("Order"), min_value=0, max_value=32767, required=False
    )

    def __init__(self, *args, contest, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].queryset = contest.categories.order_by("order")

    def clean_regions(self) -> list[str]:
        text = self.cleaned_data.get("regions") or ""
        return [code for code in text.replace(",", " ").split() if code]

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["categories"] = list(data["categories"])
        if data.get("order") is None:
            data["order"] = 0
        return data


class ClusterListView(ContestPermissionMixin, ServiceFormMixin, FormView):
    """The contest's clusters, and a form to add one."""

    permission_required = MANAGE
    form_class = ClusterForm
    template_name = "contest/manage/clusters.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "contest": self.contest}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["clusters"] = list(clusters_of(self.contest))
        return context

    def form_valid(self, form):
        return self.save_with_service(
            form,
            lambda: services.create_cluster(
                contest=self.contest, by=self.request.user, **form.service_data()
            ),
            message=lambda c: _("“%(name)s” was saved.") % {"name": c.name},
            then=reverse("contest:clusters", kwargs={"slug": self.contest.slug}),
        )


class ClusterEditView(ClusterListView):
    template_name = "contest/manage/cluster_form.html"

    def get_object(self) -> RegionCluster:
        if not hasattr(self, "_object"):
            self._object = object_or_404(
                clusters_of(self.contest), pk=self.kwargs["pk"]
            )
        return self._object

    def get_initial(self):
        cluster = self.get_object()
        return {
            "name": cluster.name,
            "slug": cluster.slug,
            "region_type": cluster.region_type,
            "regions": " ".join(sorted(r.code for r in cluster.regions.all())),
            "categories": list(cluster.categories.all()),
            "order": cluster.order,
        }

    def get_context_data(self, **kwargs):
        kwargs.setdefault("cluster", self.get_object())
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        return self.save_with_service(
            form,
            lambda: services.update_cluster(
                cluster=self.get_object(),
                by=self.request.user,
                data=form.service_data(),
            ),
            message=lambda c: _("“%(name)s” was saved.") % {"name": c.name},
            then=reverse("contest:clusters", kwargs={"slug": self.contest.slug}),
        )


class ClusterTypesView(ContestPermissionMixin, ServicePostView):
    permission_required = MANAGE

    def post(self, request, *args, **kwargs):
        self.run(
            lambda: services.create_type_clusters(
                contest=self.contest, by=request.user
            ),
            lambda made: (
                _("%(count)d clusters by type were added.") % {"count": len(made)}
            ),
        )
        return redirect("contest:clusters", slug=self.contest.slug)


class ClusterDeleteView(ContestPermissionMixin, ServicePostView):
    permission_required = MANAGE

    def post(self, request, *args, **kwargs):
        cluster = object_or_404(self.contest.clusters.all(), pk=kwargs["pk"])
        self.run(
            lambda: services.delete_cluster(cluster=cluster, by=request.user),
            lambda _result: _("“%(name)s” was deleted.") % {"name": cluster.name},
        )
        return redirect("contest:clusters", slug=self.contest.slug)


class ClusterImportView(ContestPermissionMixin, TableImportView):
    permission_required = MANAGE
    template_name = "contest/manage/clusters_import.html"
    import_kind = "cluster"
    columns = (("region", _lazy("The region's code (52.72) or its name (Kota Bima).")),)

    @property
    def cluster(self) -> RegionCluster:
        if not hasattr(self, "_cluster"):
            self._cluster = object_or_404(
                self.contest.clusters.all(), pk=self.kwargs["pk"]
            )
        return self._cluster

    @property
    def session_key(self) -> str:
        return f"table-import:cluster:{self.contest.pk}:{self.cluster.pk}"

    def get_context_data(self, **kwargs):
        kwargs.setdefault("cluster", self.cluster)
        return super().get_context_data(**kwargs)

    def run_import(self, table, *, dry_run):
        return services.import_cluster_regions(
            cluster=self.cluster, table=table, by=self.request.user, dry_run=dry_run
        )

    def list_url(self) -> str:
        return reverse("contest:clusters", kwargs={"slug": self.contest.slug})
