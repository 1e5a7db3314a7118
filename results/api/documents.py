"""The contest's official document settings for integrators: how the minutes and
the certificates are numbered, placed and signed, as the page saves them
(results.views.manage.DocumentsView, through set_results_documents). JSON, or
multipart to upload the scanned signature (`certificate_signature`)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from common.errors import DomainError
from contest.api.base import ContestScopedMixin
from results import documents, services
from results.models import ResultsDocuments

MANAGE = "results.manage_results"


class SignatorySerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    position = serializers.CharField(max_length=160, required=False, allow_blank=True)
    nip = serializers.CharField(
        max_length=40,
        required=False,
        allow_blank=True,
        help_text="18 digits (spaces allowed), or empty.",
    )


class ResultsDocumentsSerializer(serializers.Serializer):
    """What is saved (empty: the default) and what the documents print now."""

    place = serializers.CharField(allow_blank=True)
    minutes_number_pattern = serializers.CharField(allow_blank=True)
    certificate_number_pattern = serializers.CharField(allow_blank=True)
    minutes_signatories = SignatorySerializer(many=True)
    certificate_signatory = SignatorySerializer(allow_null=True)
    has_signature = serializers.BooleanField()
    effective_place = serializers.CharField(allow_blank=True)
    effective_minutes_number_pattern = serializers.CharField()
    effective_certificate_number_pattern = serializers.CharField()


class ResultsDocumentsInputSerializer(serializers.Serializer):
    """Every field is optional: one left out keeps its saved value."""

    place = serializers.CharField(max_length=80, required=False, allow_blank=True)
    minutes_number_pattern = serializers.CharField(
        max_length=120,
        required=False,
        allow_blank=True,
        help_text="Fields {number}, {stage}, {year}, {month}, {roman_month}.",
    )
    certificate_number_pattern = serializers.CharField(
        max_length=120,
        required=False,
        allow_blank=True,
        help_text="Fields {number}, {year}, {month}, {roman_month}.",
    )
    minutes_signatories = SignatorySerializer(
        many=True, required=False, max_length=documents.MAX_SIGNATORIES
    )
    certificate_signatory = SignatorySerializer(required=False, allow_null=True)
    certificate_signature = serializers.ImageField(
        required=False,
        help_text="Multipart: a PNG or JPEG scan of the signature, 512 KB at most.",
    )
    remove_signature = serializers.BooleanField(required=False, default=False)


def _nested(path: str, message: Any) -> dict[str, Any]:
    """A service's error on a part of an input (`certificate_signatory.nip`,
    `minutes_signatories.1.nip`) nested as the serializer nests its own:
    {"certificate_signatory": {"nip": [...]}}, {"minutes_signatories": [{},
    {"nip": [...]}]}."""
    head, *parts = path.split(".")
    value: Any = [str(message)]
    for part in reversed(parts):
        value = (
            [{} for _ in range(int(part))] + [value]
            if part.isdigit()
            else {part: value}
        )
    return {head: value}


def _signer(name: str, position: str, nip: str) -> dict[str, str] | None:
    return {"name": name, "position": position, "nip": nip} if name else None


class ResultsDocumentsViewSet(ContestScopedMixin, viewsets.GenericViewSet):
    """GET the document settings; PUT saves them (400 naming the field, a
    signatory's part nested as the serializer nests it:
    {"minutes_signatories": [{}, {"nip": [...]}]}; 409 once the results are
    published)."""

    serializer_class = ResultsDocumentsInputSerializer
    queryset = ResultsDocuments.objects.none()
    action_permissions = {"retrieve": MANAGE, "update": MANAGE}

    def get_object(self):
        return self.contest

    def _saved(self) -> ResultsDocuments:
        return ResultsDocuments.objects.filter(
            contest=self.contest
        ).first() or ResultsDocuments(contest=self.contest)

    def _answer(self) -> Response:
        saved = self._saved()
        now = documents.document_settings(self.contest)
        body = {
            "place": saved.place,
            "minutes_number_pattern": saved.minutes_number_pattern,
            "certificate_number_pattern": saved.certificate_number_pattern,
            "minutes_signatories": saved.minutes_signatories or [],
            "certificate_signatory": _signer(
                saved.certificate_signatory_name,
                saved.certificate_signatory_position,
                saved.certificate_signatory_nip,
            ),
            "has_signature": bool(saved.certificate_signature),
            "effective_place": now.place,
            "effective_minutes_number_pattern": now.minutes_pattern,
            "effective_certificate_number_pattern": now.certificate_pattern,
        }
        return Response(ResultsDocumentsSerializer(body).data)

    @extend_schema(responses={200: ResultsDocumentsSerializer})
    def retrieve(self, request, *args, **kwargs):
        return self._answer()

    @extend_schema(
        request=ResultsDocumentsInputSerializer,
        responses={200: ResultsDocumentsSerializer},
    )
    def update(self, request, *args, **kwargs):
        data = ResultsDocumentsInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        given = data.validated_data
        try:
            self._save(request, given)
        except DomainError as exc:
            if not exc.field or "." not in exc.field:
                raise
            body = {"detail": str(exc.message), **_nested(exc.field, exc.message)}
            return Response(body, status=exc.status)
        return self._answer()

    def _save(self, request, given: dict[str, Any]) -> None:
        saved = self._saved()
        signer = given.get(
            "certificate_signatory",
            _signer(
                saved.certificate_signatory_name,
                saved.certificate_signatory_position,
                saved.certificate_signatory_nip,
            ),
        )
        services.set_results_documents(
            contest=self.contest,
            by=request.user,
            place=given.get("place", saved.place),
            minutes_number_pattern=given.get(
                "minutes_number_pattern", saved.minutes_number_pattern
            ),
            certificate_number_pattern=given.get(
                "certificate_number_pattern", saved.certificate_number_pattern
            ),
            minutes_signatories=given.get(
                "minutes_signatories", saved.minutes_signatories or []
            ),
            certificate_signatory=signer,
            signature=given.get("certificate_signature"),
            remove_signature=given["remove_signature"],
        )
