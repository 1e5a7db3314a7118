"""POST .../import/ endpoints: a table (`file`, CSV or XLSX) run row by row through
the app's import, as a preview (`dry_run`, the default false) or for good. The
answer lists every row's outcome; a file that cannot be read answers 400 naming
`file`. Each app's endpoint is a subclass naming its permission and its import."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.response import Response

from common.errors import DomainError
from common.imports import Report
from common.tabular import Table, TableError, read_table
from contest.api.base import ContestScopedMixin
from contest.imports import import_delegates


class TableImportInputSerializer(serializers.Serializer):
    file = serializers.FileField()
    dry_run = serializers.BooleanField(default=False)


class ImportRowSerializer(serializers.Serializer):
    line = serializers.IntegerField()
    status = serializers.ChoiceField(choices=["create", "exists", "error"])
    label = serializers.CharField()
    column = serializers.CharField()
    message = serializers.CharField()


class ImportReportSerializer(serializers.Serializer):
    dry_run = serializers.BooleanField()
    created = serializers.IntegerField()
    existing = serializers.IntegerField()
    errors = serializers.IntegerField()
    rows = ImportRowSerializer(many=True)


class TableImportViewSet(ContestScopedMixin, viewsets.GenericViewSet):
    serializer_class = TableImportInputSerializer
    http_method_names = ["post", "options"]
    permission = ""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.action_permissions = {"create": cls.permission}

    def run_import(self, table: Table, *, dry_run: bool) -> Report:
        raise NotImplementedError

    @extend_schema(
        request={"multipart/form-data": TableImportInputSerializer},
        responses={200: ImportReportSerializer, 201: ImportReportSerializer},
    )
    def create(self, request, *args, **kwargs):
        data = TableImportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        dry_run = data.validated_data["dry_run"]
        try:
            table = read_table(upload, filename=upload.name)
        except TableError as exc:
            raise DomainError(exc.message, field="file") from exc
        report = self.run_import(table, dry_run=dry_run)
        code = status.HTTP_200_OK if dry_run else status.HTTP_201_CREATED
        return Response(report.as_dict(), status=code)


class DelegateImportViewSet(TableImportViewSet):
    """POST /contests/{slug}/delegates/import/: `email`, `region` per row."""

    permission = "contest.manage_contest"

    def run_import(self, table, *, dry_run):
        return import_delegates(
            contest=self.contest, table=table, by=self.request.user, dry_run=dry_run
        )
