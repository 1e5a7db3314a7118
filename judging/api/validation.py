"""The API of an indicator stage's validation: the entries' indicators with their
verdicts, a validator's verdict, the quality-control sample and its review; the
same rules and services as the pages (judging.views.validation)."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.response import Response

from contest.api.base import StageScopedMixin
from contest.enums import StageKind
from judging.models_formats import VALIDATION_FIELDS, IndicatorValidation
from judging.selectors import validation as reads
from judging.services import validation as services

PERM = "judging.validate_indicators"
MAX_ID = 2**31 - 1


class VerdictInputSerializer(serializers.Serializer):
    verdict = serializers.CharField(max_length=20)
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True)


class QcInputSerializer(serializers.Serializer):
    overturn = serializers.BooleanField()
    verdict = serializers.CharField(max_length=20, required=False, allow_null=True)
    note = serializers.CharField(max_length=4000, required=False, allow_blank=True)


class SampleInputSerializer(serializers.Serializer):
    percent = serializers.IntegerField(
        min_value=0, max_value=100, required=False, allow_null=True
    )
    seed = serializers.IntegerField(required=False, allow_null=True)


class ValidationSerializer(serializers.ModelSerializer):
    class Meta:
        model = IndicatorValidation
        fields = ["id", *VALIDATION_FIELDS]
        read_only_fields = fields


def _row(row) -> dict:
    v = row.validation
    return {
        "criterion": row.criterion.pk,
        "name": row.criterion.name,
        "level": row.answer.level if row.answer else None,
        "level_label": row.level_label,
        "points": None if row.points is None else f"{row.points:.2f}",
        "note": row.answer.note if row.answer else "",
        "evidence": [e.pk for e in row.evidence],
        "verdict": row.verdict,
        "verdict_note": v.note if v else "",
        "validated_by": v.validated_by_id if v else None,
        "qc_state": v.qc_state if v else "",
        "qc_verdict_before": v.qc_verdict_before if v else "",
        "qc_note": v.qc_note if v else "",
    }


def _id(value) -> int:
    value = int(value)
    if not 1 <= value <= MAX_ID:
        raise Http404
    return value


class ValidationViewSet(StageScopedMixin, viewsets.GenericViewSet):
    """An indicator stage's validations. GET lists the entries the caller reads
    (an organizer every entry of the stage, a judge their assigned ones), each with
    its indicators; PUT gives a validator's verdict on one indicator; the sample
    for quality control is drawn (POST) and read (GET) at `qc-sample/`, and a
    sampled validation is confirmed or overturned at its `qc/`."""

    # Any stage is loaded, then one of another kind answers 404 (OPTIONS describes
    # the route for any stage).
    stage_kind = None
    queryset = IndicatorValidation.objects.none()
    serializer_class = ValidationSerializer
    action_permissions = {
        "list": PERM,
        "record": PERM,
        "sample": PERM,
        "draw": PERM,
        "qc": PERM,
    }

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if self.action != "metadata" and self.stage.kind != StageKind.INDICATOR:
            raise Http404

    def list(self, request, *args, **kwargs):
        entries = reads.validation_entries(self.stage, request.user)
        page = self.paginate_queryset(entries)
        rows = reads.indicator_rows(self.stage, [e.pk for e in page])
        return self.get_paginated_response(
            [
                {
                    "submission": entry.pk,
                    "title": entry.title,
                    "region": entry.region_id,
                    "indicators": [_row(row) for row in rows[entry.pk]],
                }
                for entry in page
            ]
        )

    def _entry(self, submission_pk):
        entries = reads.validation_entries(self.stage, self.request.user)
        entry = entries.filter(pk=_id(submission_pk)).first()
        if entry is None:
            raise Http404
        return entry

    def _criterion(self, criterion_pk):
        criterion = self.stage.criteria.filter(pk=_id(criterion_pk)).first()
        if criterion is None:
            raise Http404
        return criterion

    @extend_schema(request=VerdictInputSerializer, responses=ValidationSerializer)
    def record(self, request, *args, submission_pk, criterion_pk, **kwargs):
        entry = self._entry(submission_pk)
        criterion = self._criterion(criterion_pk)
        data = VerdictInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        validation = services.record_validation(
            stage=self.stage,
            submission=entry,
            criterion=criterion,
            verdict=data.validated_data["verdict"],
            note=data.validated_data.get("note", ""),
            by=request.user,
        )
        return Response(ValidationSerializer(validation).data)

    @extend_schema(responses=ValidationSerializer(many=True))
    def sample(self, request, *args, **kwargs):
        rows = reads.qc_sample(self.stage, request.user)
        return Response(ValidationSerializer(rows, many=True).data)

    @extend_schema(
        request=SampleInputSerializer, responses={201: ValidationSerializer(many=True)}
    )
    def draw(self, request, *args, **kwargs):
        data = SampleInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        drawn = services.draw_qc_sample(
            stage=self.stage,
            by=request.user,
            percent=data.validated_data.get("percent"),
            seed=data.validated_data.get("seed"),
        )
        return Response(
            ValidationSerializer(drawn, many=True).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=QcInputSerializer, responses=ValidationSerializer)
    def qc(self, request, *args, submission_pk, criterion_pk, **kwargs):
        validation = (
            IndicatorValidation.objects.select_related(
                "stage__contest", "submission", "criterion", "validated_by__user"
            )
            .filter(
                stage=self.stage,
                submission_id=_id(submission_pk),
                criterion_id=_id(criterion_pk),
            )
            .first()
        )
        if validation is None or not any(
            v.pk == validation.pk for v in reads.qc_sample(self.stage, request.user)
        ):
            raise Http404
        data = QcInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        validation = services.review_qc(
            validation=validation,
            by=request.user,
            overturn=data.validated_data["overturn"],
            note=data.validated_data.get("note", ""),
            verdict=data.validated_data.get("verdict"),
        )
        return Response(ValidationSerializer(validation).data)
