"""The screening queue's bulk actions, the drafts and their reminder, and the
organizers' saved filters, in the API: the same services as the pages."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from common.permissions import RulesPerAction
from contest.api.base import ContestScopedMixin
from contest.api.serializers import WindowDateTimeField
from contest.enums import RegionType
from submissions import selectors, services
from submissions.filters import QUEUE_STATES, SORTS, filtered_queue, ordered
from submissions.models import SavedFilter
from submissions.services.bulk import MAX_BULK, BulkAction

SCREEN_PERMISSION = "submissions.screen_submissions"
# A refusal's body: {"detail": ..., "<field>": [...]} naming the field when it is
# about one (common.errors.api_exception_handler).
ERRORS = dict.fromkeys((400, 403, 404, 409), OpenApiTypes.OBJECT)
SORT_CHOICES = [s for key in SORTS for s in (key, f"-{key}")]


class QueueFilterSerializer(serializers.Serializer):
    """The screening queue's filter, as its page's query string."""

    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=200,
        help_text="Part of the title, region name, agency or receipt number.",
    )
    category = serializers.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1
    )
    state = serializers.ChoiceField(
        required=False, choices=[value for value, _label in QUEUE_STATES]
    )
    region_type = serializers.ChoiceField(required=False, choices=RegionType.values)
    sort = serializers.ChoiceField(required=False, choices=SORT_CHOICES)


class BulkInputSerializer(serializers.Serializer):
    action = serializers.ChoiceField(
        choices=list(BulkAction.ALL),
        help_text="eligible, ineligible (needs `reason`), revision (needs `note` "
        "and `deadline`) or message to the entries' delegates (needs `subject` "
        "and `body`).",
    )
    submissions = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        allow_empty=False,
        max_length=MAX_BULK,
        help_text="The entries' ids; or give `filter` instead.",
    )
    filter = QueueFilterSerializer(
        required=False,
        help_text="Every entry of the screening queue matching this filter, in its "
        "order; instead of `submissions`.",
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    deadline = WindowDateTimeField(
        required=False,
        allow_null=True,
        help_text="Until when the delegates may revise; without a zone, the contest's.",
    )
    subject = serializers.CharField(required=False, allow_blank=True, max_length=150)
    body = serializers.CharField(required=False, allow_blank=True, max_length=5000)

    def validate(self, attrs):
        if ("submissions" in attrs) == ("filter" in attrs):
            raise serializers.ValidationError(
                {"submissions": [_("Give either the entries' ids or a filter.")]}
            )
        return attrs


class BulkOutcomeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    done = serializers.BooleanField()
    reason = serializers.CharField(help_text="Why it was skipped; empty when done.")


class BulkReportSerializer(serializers.Serializer):
    action = serializers.CharField()
    done = serializers.IntegerField()
    skipped = serializers.IntegerField()
    recipients = serializers.IntegerField(
        help_text="For a message: the people it was written to."
    )
    entries = BulkOutcomeSerializer(many=True)


class DelegateOutSerializer(serializers.Serializer):
    email = serializers.EmailField()
    name = serializers.CharField()


class DraftSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    region = serializers.CharField(source="region_id")
    region_name = serializers.CharField(source="region.name")
    category = serializers.IntegerField(source="category_id")
    updated_at = serializers.DateTimeField()
    delegates = DelegateOutSerializer(many=True, source="delegate_users")


class SubmissionBulkViewSet(ContestScopedMixin, viewsets.GenericViewSet):
    """The organizers' actions on many entries of a contest's screening queue."""

    permission_classes = [RulesPerAction]
    queryset = SavedFilter.objects.none()
    serializer_class = DraftSerializer
    action_permissions = {
        "bulk_screen": SCREEN_PERMISSION,
        "drafts": SCREEN_PERMISSION,
        "remind_drafts": SCREEN_PERMISSION,
    }

    @extend_schema(
        request=BulkInputSerializer, responses={200: BulkReportSerializer, **ERRORS}
    )
    @action(detail=False, methods=["post"], url_path="bulk-screen")
    def bulk_screen(self, request, *args, **kwargs):
        """One action for many entries: each entry through the single-entry
        service, in one transaction; the answer lists every entry, done or
        skipped with the reason (already screened, another state). 400 names the
        field (`reason`, `note`, `deadline`, `subject`, `body`, `submissions`);
        409 once the contest is frozen."""
        data = BulkInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if "filter" in values:
            filterset = filtered_queue(
                selectors.screening_queue(self.contest),
                {k: str(v) for k, v in values["filter"].items()},
                contest=self.contest,
            )
            if filterset.is_bound and not filterset.is_valid():
                return Response(
                    {
                        "filter": {
                            name: [str(e) for e in errors]
                            for name, errors in filterset.errors.items()
                        }
                    },
                    status=status.HTTP_400_BAD_REQUEST,
                )
            ids = list(
                ordered(filterset, values["filter"]).values_list("pk", flat=True)
            )
            if not ids:
                return Response(
                    {"filter": [_("No entry of the queue matches this filter.")]},
                    status=status.HTTP_400_BAD_REQUEST,
                )
        else:
            ids = values["submissions"]
        report = services.apply_bulk_action(
            contest=self.contest,
            action=values["action"],
            submission_ids=ids,
            data=values,
            by=request.user,
        )
        return Response(report.as_dict())

    @extend_schema(responses={200: DraftSerializer(many=True)})
    @action(detail=False, methods=["get"])
    def drafts(self, request, *args, **kwargs):
        """The drafts not yet submitted, each with its region's delegates."""
        page = self.paginate_queryset(selectors.drafts_queue(self.contest))
        people = selectors.delegates_by_region(
            self.contest, {d.region_id for d in page}
        )
        for draft in page:
            draft.delegate_users = people.get(draft.region_id, [])
        return self.get_paginated_response(DraftSerializer(page, many=True).data)

    @extend_schema(
        request=None,
        responses={
            200: inline_serializer(
                name="DraftsReminded", fields={"reminded": serializers.IntegerField()}
            ),
            **ERRORS,
        },
    )
    @action(detail=False, methods=["post"], url_path="remind-drafts")
    def remind_drafts(self, request, *args, **kwargs):
        """Remind the delegates of every draft (409 when the window is closed,
        no draft waits, or they were all reminded today)."""
        count = services.remind_draft_delegates(contest=self.contest, by=request.user)
        return Response({"reminded": count})


class SavedFilterSerializer(serializers.ModelSerializer):
    params = QueueFilterSerializer()

    class Meta:
        model = SavedFilter
        fields = ["id", "name", "params", "created_at"]
        read_only_fields = ["id", "created_at"]


class SavedFilterInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=80)
    params = QueueFilterSerializer()


class SavedFilterViewSet(
    ContestScopedMixin,
    mixins.ListModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """The caller's saved filters of the contest's screening queue; a filter of
    the same name is replaced."""

    permission_classes = [RulesPerAction]
    serializer_class = SavedFilterSerializer
    queryset = SavedFilter.objects.none()
    http_method_names = ["get", "post", "delete", "head", "options"]
    action_permissions = {
        "list": SCREEN_PERMISSION,
        "create": SCREEN_PERMISSION,
        "destroy": SCREEN_PERMISSION,
    }

    def get_queryset(self):
        return selectors.saved_filters_of(self.contest, self.request.user)

    @extend_schema(
        request=SavedFilterInputSerializer,
        responses={201: SavedFilterSerializer, **ERRORS},
    )
    def create(self, request, *args, **kwargs):
        data = SavedFilterInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        saved = services.save_filter(
            contest=self.contest,
            name=data.validated_data["name"],
            params=data.validated_data["params"],
            by=request.user,
        )
        return Response(
            SavedFilterSerializer(saved).data, status=status.HTTP_201_CREATED
        )

    def destroy(self, request, *args, **kwargs):
        services.delete_filter(saved=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
