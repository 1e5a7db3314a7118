"""The results settings for integrators: each scoring stage's weight in the final
score and the score bands, read and saved together as the settings page saves
them (results.views.manage.SettingsView, through set_results_settings)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from contest.api.base import ContestScopedMixin
from judging.selectors import scoring_stages
from results import selectors, services
from results.api.serializers import DecimalTextField, IdField
from results.models import ScoreBand

MANAGE = "results.manage_results"


class StageWeightSerializer(serializers.Serializer):
    stage = serializers.IntegerField(source="stage.pk")
    name = serializers.CharField(source="stage.name")
    order = serializers.IntegerField(source="stage.order")
    weight = DecimalTextField(allow_null=False, help_text="A decimal string.")


class ScoreBandSerializer(serializers.Serializer):
    threshold = DecimalTextField(
        allow_null=False, help_text="The lowest score of the band (decimal string)."
    )
    label = serializers.CharField()


class ResultsSettingsSerializer(serializers.Serializer):
    """Every scoring stage with its weight (1.00 until set; 0 leaves it out of the
    final score), and the bands from the highest (the defaults until set)."""

    weights = StageWeightSerializer(many=True)
    bands = ScoreBandSerializer(many=True)


class StageWeightInputSerializer(serializers.Serializer):
    stage = IdField(help_text="A scoring stage of the contest.")
    weight = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        min_value=0,
        max_value=services.MAX_STAGE_WEIGHT,
    )


class ScoreBandInputSerializer(serializers.Serializer):
    threshold = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100
    )
    label = serializers.CharField(
        max_length=ScoreBand._meta.get_field("label").max_length
    )


class ResultsSettingsInputSerializer(serializers.Serializer):
    weights = StageWeightInputSerializer(
        many=True,
        required=False,
        max_length=1000,
        help_text="The stages to weigh; a stage left out keeps its weight.",
    )
    bands = ScoreBandInputSerializer(
        many=True,
        min_length=1,
        max_length=100,
        help_text="Every band: they replace the contest's bands.",
    )

    def validate_weights(self, value):
        stages = [row["stage"] for row in value]
        if len(set(stages)) != len(stages):
            raise serializers.ValidationError(_("Name each stage once."))
        return value


class ResultsSettingsViewSet(ContestScopedMixin, viewsets.GenericViewSet):
    """The stage weights and score bands. PUT saves both at once, all or nothing,
    with the page's checks (400 naming `weights` or `bands`; 409 once the results
    are published)."""

    # What OPTIONS describes of PUT; the answers are ResultsSettingsSerializer's.
    serializer_class = ResultsSettingsInputSerializer
    queryset = ScoreBand.objects.none()
    action_permissions = {"retrieve": MANAGE, "update": MANAGE}

    def get_object(self):
        """The settings are the contest's own (DRF's OPTIONS asks for the object a
        PUT would change)."""
        return self.contest

    def _settings(self) -> Response:
        stages = list(scoring_stages(self.contest))
        weights = selectors.stage_weights(self.contest, stages)
        body = {
            "weights": [
                {"stage": stage, "weight": weights[stage.pk]} for stage in stages
            ],
            "bands": [
                {"threshold": threshold, "label": label}
                for threshold, label in selectors.score_bands(self.contest)
            ],
        }
        return Response(ResultsSettingsSerializer(body).data)

    @extend_schema(responses={200: ResultsSettingsSerializer})
    def retrieve(self, request, *args, **kwargs):
        return self._settings()

    @extend_schema(
        request=ResultsSettingsInputSerializer,
        responses={200: ResultsSettingsSerializer},
    )
    def update(self, request, *args, **kwargs):
        data = ResultsSettingsInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        services.set_results_settings(
            contest=self.contest,
            weights={row["stage"]: row["weight"] for row in values.get("weights", [])},
            bands=[(row["threshold"], row["label"]) for row in values["bands"]],
            by=request.user,
        )
        return self._settings()
