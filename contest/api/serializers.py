from __future__ import annotations

import re
import zoneinfo
from collections.abc import Mapping

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from contest import services
from contest.enums import ContestTimezone, RegionType
from contest.models import Category, Contest, Criterion, Delegate, Region, Stage
from contest.validators import validate_sane_datetime

REGION_CODE = re.compile(r"[0-9]{2}(\.[0-9]{2})?")


class WindowDateTimeField(serializers.DateTimeField):
    """A window's start or end: in the sane years, and never a 500 on overflow.

    DRF makes a naive time aware in the current zone (the contest's) and checks it by
    converting to UTC, which overflows for year 1 or 9999; that is a 400 here.
    """

    default_validators = [validate_sane_datetime]

    def enforce_timezone(self, value):
        try:
            return super().enforce_timezone(value)
        except OverflowError:
            self.fail("overflow")


WINDOW_FIELDS = {
    **serializers.ModelSerializer.serializer_field_mapping,
    models.DateTimeField: WindowDateTimeField,
}


class RegionCodeField(serializers.SlugRelatedField):
    """A region by its Kemendagri code ("52.72"); anything not shaped like a code
    (NUL bytes, numbers, lists) is refused before it reaches the database."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Region.objects.all())
        super().__init__(slug_field="code", **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str) or not REGION_CODE.fullmatch(data):
            self.fail("does_not_exist", slug_name=self.slug_field, value=str(data)[:20])
        return super().to_internal_value(data)


class RegionSerializer(serializers.ModelSerializer):
    province = serializers.CharField(
        source="province_id", read_only=True, allow_null=True
    )

    class Meta:
        model = Region
        fields = ["code", "name", "type", "province"]


class ContestSerializer(serializers.ModelSerializer):
    host_region = RegionCodeField()
    eligible_region_types = serializers.ListField(
        child=serializers.ChoiceField(choices=RegionType.choices),
        required=False,
        allow_empty=True,
    )

    class Meta:
        model = Contest
        fields = services.CONTEST_FIELDS

    serializer_field_mapping = WINDOW_FIELDS

    def _zone(self, data) -> zoneinfo.ZoneInfo:
        """The contest's zone: the one given, else the stored one, else WIB."""
        given = data.get("timezone") if isinstance(data, Mapping) else None
        if isinstance(given, str) and given in ContestTimezone.values:
            return zoneinfo.ZoneInfo(given)
        if self.instance is not None and isinstance(self.instance, Contest):
            return self.instance.tzinfo
        return zoneinfo.ZoneInfo(ContestTimezone.WIB)

    def to_internal_value(self, data):
        # A time without an offset is read in the contest's zone, as on the page.
        with timezone.override(self._zone(data)):
            return super().to_internal_value(data)

    def to_representation(self, instance):
        with timezone.override(instance.tzinfo):
            return super().to_representation(instance)

    def validate_eligible_region_types(self, value: list[str]) -> list[str]:
        return sorted(set(value))

    def create(self, validated_data):
        return services.create_contest(
            by=self.context["request"].user, **validated_data
        )

    def update(self, instance, validated_data):
        return services.update_contest(
            contest=instance, by=self.context["request"].user, data=validated_data
        )


# What a smallint column holds on PostgreSQL (SQLite would take more): the same
# bound on every database, in the schema too.
SMALLINT = {"min_value": 0, "max_value": 32767}


class CategorySerializer(serializers.ModelSerializer):
    """A clashing slug or name is refused by the model's clean() (through the
    service), as on the page."""

    class Meta:
        model = Category
        fields = ["id", *services.CATEGORY_FIELDS]
        extra_kwargs = {"order": SMALLINT}

    def create(self, validated_data):
        return services.create_category(
            contest=self.context["contest"],
            by=self.context["request"].user,
            **validated_data,
        )

    def update(self, instance, validated_data):
        return services.update_category(
            category=instance, by=self.context["request"].user, data=validated_data
        )


class StageSerializer(serializers.ModelSerializer):
    """The window's order and a clashing order are the model's checks (clean(), run
    by the service), as on the page."""

    class Meta:
        model = Stage
        fields = ["id", *services.STAGE_FIELDS]
        extra_kwargs = {
            "order": SMALLINT,
            "advance_per_category": {"min_value": 1, "max_value": 32767},
        }

    serializer_field_mapping = WINDOW_FIELDS

    def create(self, validated_data):
        return services.create_stage(
            contest=self.context["contest"],
            by=self.context["request"].user,
            **validated_data,
        )

    def update(self, instance, validated_data):
        return services.update_stage(
            stage=instance, by=self.context["request"].user, data=validated_data
        )


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["id", *services.CRITERION_FIELDS]

    def validate_levels(self, value):
        stage = self.context.get("stage")
        if stage is not None and stage.is_indicator:
            return value  # the service checks an indicator's levels (400 `levels`)
        if not isinstance(value, list):
            raise serializers.ValidationError(
                _("Give a list of {score, description} objects.")
            )
        for level in value:
            if (
                not isinstance(level, dict)
                or not isinstance(level.get("score"), (int, float))
                or not isinstance(level.get("description"), str)
            ):
                raise serializers.ValidationError(
                    _("Each level needs a numeric score and a description.")
                )
        return value

    def create(self, validated_data):
        return services.create_criterion(
            stage=self.context["stage"],
            by=self.context["request"].user,
            **validated_data,
        )


class DelegateInputSerializer(serializers.Serializer):
    email = serializers.EmailField()
    region = RegionCodeField()


class DelegateSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email", read_only=True)
    region = serializers.CharField(source="region_id", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)

    class Meta:
        model = Delegate
        fields = ["id", "email", "region", "region_name", "created_at"]
