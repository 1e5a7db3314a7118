"""The API of a scoring stage's sessions: slots (list, create one or a series,
read, change, book, delete), the proposed schedule, applying and announcing it,
and the caller's own sessions."""

from __future__ import annotations

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import translation
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from contest.api.base import StageScopedMixin
from judging import schedule_notices
from judging.models_formats import Slot
from judging.selectors import schedule as reads
from judging.services import schedule as services
from judging.services import schedule_apply
from submissions.models import Submission

ID = {"min_value": 1, "max_value": 2**31 - 1}
MANAGE = "judging.manage_judging"


class SlotSerializer(serializers.ModelSerializer):
    submission_title = serializers.SerializerMethodField()
    judges = serializers.SerializerMethodField()
    judge_names = serializers.SerializerMethodField()
    times = serializers.SerializerMethodField()
    contest = serializers.CharField(source="stage.contest.slug", read_only=True)
    stage_name = serializers.CharField(source="stage.name", read_only=True)

    class Meta:
        model = Slot
        fields = [
            "id",
            "contest",
            "stage",
            "stage_name",
            "starts_at",
            "ends_at",
            "place",
            "meeting_url",
            "submission",
            "submission_title",
            "judges",
            "judge_names",
            "times",
            "notified_at",
            "sequence",
        ]
        read_only_fields = fields

    def get_submission_title(self, slot) -> str:
        return slot.submission.title if slot.submission_id else ""

    def get_judges(self, slot) -> list[int]:
        return sorted(j.pk for j in slot.judges.all())

    def get_judge_names(self, slot) -> list[str]:
        return [str(j) for j in sorted(slot.judges.all(), key=lambda j: j.pk)]

    def get_times(self, slot) -> list[str]:
        """The time in the contest's zone, the entry region's and WIB."""
        return schedule_notices.times_of(slot, translation.get_language() or "id")


class SlotInputSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField(required=False)
    ends_at = serializers.DateTimeField(required=False)
    place = serializers.CharField(required=False, allow_blank=True, max_length=300)
    meeting_url = serializers.CharField(
        required=False, allow_blank=True, max_length=500
    )
    submission = serializers.IntegerField(required=False, allow_null=True, **ID)
    judges = serializers.ListField(
        child=serializers.IntegerField(**ID), required=False, max_length=50
    )


class SeriesInputSerializer(serializers.Serializer):
    first_day = serializers.DateField()
    last_day = serializers.DateField()
    day_starts = serializers.TimeField()
    day_ends = serializers.TimeField()
    minutes = serializers.IntegerField(min_value=5, max_value=1440)
    gap = serializers.IntegerField(min_value=0, max_value=1440, default=0)
    place = serializers.CharField(required=False, allow_blank=True, max_length=300)
    meeting_url = serializers.CharField(
        required=False, allow_blank=True, max_length=500
    )


class BookingSerializer(serializers.Serializer):
    slot = serializers.IntegerField(**ID)
    submission = serializers.IntegerField(**ID)
    judges = serializers.ListField(child=serializers.IntegerField(**ID), max_length=50)


class ApplyInputSerializer(serializers.Serializer):
    bookings = BookingSerializer(many=True, required=False, max_length=5000)


def _booking_data(booking) -> dict:
    return {
        "slot": booking.slot.pk,
        "starts_at": booking.slot.starts_at,
        "ends_at": booking.slot.ends_at,
        "submission": booking.submission.pk,
        "submission_title": booking.submission.title,
        "judges": [j.pk for j in booking.judges],
        "judge_names": [str(j) for j in booking.judges],
    }


class SlotViewSet(
    StageScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """A scoring stage's sessions. POST makes one (`starts_at`, `ends_at`,
    `place`, `meeting_url`) or, with `first_day`, a series; PATCH changes the
    time, place or link and books an entry and its judges (`submission`,
    `judges`); DELETE removes a free one."""

    serializer_class = SlotSerializer
    queryset = Slot.objects.none()
    lookup_url_kwarg = "pk"
    lookup_value_regex = r"\d+"
    action_permissions = {
        "list": MANAGE,
        "retrieve": MANAGE,
        "create": MANAGE,
        "partial_update": MANAGE,
        "destroy": MANAGE,
    }
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return reads.slots_of_stage(self.stage)

    @extend_schema(request=SlotInputSerializer, responses={201: SlotSerializer})
    def create(self, request, *args, **kwargs):
        if isinstance(request.data, dict) and "first_day" in request.data:
            return self._series(request)
        data = SlotInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        for name in ("starts_at", "ends_at"):
            if name not in values:
                raise serializers.ValidationError({name: ["This field is required."]})
        slot = services.create_slot(
            stage=self.stage,
            starts_at=values["starts_at"],
            ends_at=values["ends_at"],
            place=values.get("place", ""),
            meeting_url=values.get("meeting_url", ""),
            by=request.user,
        )
        return Response(
            SlotSerializer(self.get_queryset().get(pk=slot.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    def _series(self, request):
        data = SeriesInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        slots = services.create_slot_series(
            stage=self.stage, by=request.user, **data.validated_data
        )
        made = self.get_queryset().filter(pk__in=[s.pk for s in slots])
        return Response(
            SlotSerializer(made, many=True).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=SlotInputSerializer, responses={200: SlotSerializer})
    def partial_update(self, request, *args, **kwargs):
        slot = self.get_object()
        data = SlotInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        with transaction.atomic():
            timing = {
                k: values[k]
                for k in ("starts_at", "ends_at", "place", "meeting_url")
                if k in values
            }
            if timing:
                slot = services.update_slot(slot=slot, data=timing, by=request.user)
            if "submission" in values or "judges" in values:
                self._book(slot, values, request.user)
        return Response(SlotSerializer(self.get_queryset().get(pk=slot.pk)).data)

    def _book(self, slot, values, user):
        entry_id = values.get("submission", slot.submission_id)
        entry = None
        if entry_id is not None:
            entry = Submission.objects.filter(
                pk=entry_id, contest_id=self.contest.pk
            ).first()
            if entry is None:
                raise serializers.ValidationError(
                    {"submission": ["This entry does not take part in this stage."]}
                )
        services.book_slot(
            slot=slot, submission=entry, judges=values.get("judges"), by=user
        )

    def destroy(self, request, *args, **kwargs):
        services.delete_slot(slot=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    def get_object(self):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])


class ProposalSerializer(serializers.Serializer):
    bookings = serializers.ListField(child=serializers.DictField())
    load = serializers.DictField(child=serializers.IntegerField())


class AnnouncedSerializer(serializers.Serializer):
    told = serializers.IntegerField()


class ScheduleViewSet(StageScopedMixin, viewsets.GenericViewSet):
    """The stage's schedule: `propose/` answers the solver's schedule (409 with
    the reason when none exists), `apply/` writes it (or the `bookings` given),
    `announce/` tells the delegates and judges with a calendar invitation."""

    serializer_class = ProposalSerializer
    queryset = Slot.objects.none()
    action_permissions = {"propose": MANAGE, "apply": MANAGE, "announce": MANAGE}

    @extend_schema(request=None, responses={200: ProposalSerializer})
    @action(detail=False, methods=["post"])
    def propose(self, request, *args, **kwargs):
        proposal = services.propose_schedule(stage=self.stage, by=request.user)
        return Response(
            {
                "bookings": [_booking_data(b) for b in proposal.bookings],
                "load": {str(k): v for k, v in proposal.load.items()},
            }
        )

    @extend_schema(request=ApplyInputSerializer, responses={200: ProposalSerializer})
    @action(detail=False, methods=["post"])
    def apply(self, request, *args, **kwargs):
        data = ApplyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        bookings = data.validated_data.get("bookings")
        chosen = schedule_apply.apply_schedule(
            stage=self.stage,
            bookings=[dict(b) for b in bookings] if bookings is not None else None,
            by=request.user,
        )
        load: dict[str, int] = {}
        for booking in chosen:
            for judge in booking.judges:
                load[str(judge.pk)] = load.get(str(judge.pk), 0) + 1
        return Response({"bookings": [_booking_data(b) for b in chosen], "load": load})

    @extend_schema(request=None, responses={200: AnnouncedSerializer})
    @action(detail=False, methods=["post"])
    def announce(self, request, *args, **kwargs):
        told = schedule_apply.announce_schedule(stage=self.stage, by=request.user)
        return Response({"told": told})


class MyScheduleViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The caller's announced sessions, as a judge or as a delegate of the entry's
    region."""

    serializer_class = SlotSerializer
    queryset = Slot.objects.none()
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return reads.slots_for_user(self.request.user)
