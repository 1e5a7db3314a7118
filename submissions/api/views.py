from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from common.permissions import RulesPerAction
from contest.api.base import ContestScopedMixin
from contest.rules import is_contest_organizer, is_judge_of
from submissions import selectors, services
from submissions.api.answers import (
    AnswerFileInputSerializer,
    save_with_answers,
)
from submissions.api.answers import refusal as answer_refusal
from submissions.api.serializers import (
    AssignedSubmissionSerializer,
    EvidenceEditInputSerializer,
    EvidenceInputSerializer,
    EvidenceSchemaSerializer,
    EvidenceSerializer,
    PreviousEntryInputSerializer,
    ReasonInputSerializer,
    ReceiptSerializer,
    RevisionInputSerializer,
    ScreenInputSerializer,
    SubmissionInputSerializer,
    SubmissionSchemaSerializer,
    SubmissionSerializer,
)
from submissions.filters import search_entries
from submissions.models import Submission
from submissions.models_answers import Answer
from submissions.receipts import submission_receipt
from submissions.rules import allows
from submissions.services.answers import clear_answer, save_file_answer
from submissions.services.answers_required import AnswersError, questions_for
from submissions.services.history import confirm_previous_entry
from submissions.views.answers import answer_file_response
from submissions.views.files import evidence_file_response

ANSWERS = Prefetch("answers", queryset=Answer.objects.select_related("question"))


class FileRenderer(BaseRenderer):
    """Lets a client that asks for the file's own type (`Accept: image/jpeg`) have
    it: the file is streamed as it is stored; an error is still JSON."""

    media_type = "*/*"
    format = "file"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else json.dumps(data).encode()


FILE_RESPONSES = {
    (200, "*/*"): OpenApiTypes.BINARY,
    403: OpenApiTypes.OBJECT,
    404: OpenApiTypes.OBJECT,
}


@extend_schema_view(
    list=extend_schema(
        responses=SubmissionSchemaSerializer(many=True),
        parameters=[
            OpenApiParameter(
                "q",
                str,
                description="Part of the title, region name, agency or receipt number.",
            )
        ],
    ),
    retrieve=extend_schema(responses=SubmissionSchemaSerializer),
)
class SubmissionViewSet(
    ContestScopedMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """A contest's entries: a delegate sees their region's, an organizer all of them.

    Asked as the entry's pages ask it (submissions.views.mixins): the contest among
    those the user may see (404), then for the list and the creation the contest's
    permission (403; 401 signed out); an entry's route asks only that the user is
    signed in there, finds the entry among those the user may know of (404 for
    anyone else, another contest's organizer included) and asks the action's
    predicate of it (403), through `allows`, without the superuser shortcut of
    `has_perm`: a superuser organizes every contest but is no region's delegate.
    The services then answer a closed window or a wrong state with 409.
    """

    permission_classes = [RulesPerAction]
    serializer_class = SubmissionSerializer
    queryset = Submission.objects.none()
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    # Checked against the contest (ContestScopedMixin).
    action_permissions = {
        "list": "submissions.list_submissions",
        "create": "submissions.add_submission",
        "retrieve": "submissions.look_up_submission",
        "partial_update": "submissions.look_up_submission",
        "destroy": "submissions.look_up_submission",
        "evidence": "submissions.look_up_submission",
        "evidence_edit": "submissions.look_up_submission",
        "receipt": "submissions.look_up_submission",
        "submit": "submissions.look_up_submission",
        "screen": "submissions.look_up_submission",
        "evidence_file": "submissions.look_up_submission",
        "evidence_thumbnail": "submissions.look_up_submission",
        "request_revision": "submissions.look_up_submission",
        "withdraw": "submissions.look_up_submission",
        "reopen": "submissions.look_up_submission",
        "answer_file": "submissions.look_up_submission",
        "answer_download": "submissions.look_up_submission",
        "previous_entry": "submissions.look_up_submission",
    }
    # Checked with `allows`, against the contest for "create", else the entry.
    permission_type_map = {
        "metadata": None,  # OPTIONS: ContestScopedMixin checks what it describes
        "list": None,  # the selector scopes it
        "create": "add",
        "retrieve": "view",
        "partial_update": "write",
        "destroy": "write",
        "evidence": "write",
        "evidence_edit": "write",
        "receipt": "read_receipt",
        "submit": "write",
        "screen": "manage",
        "evidence_file": "view",
        "evidence_thumbnail": "view",
        # As the screening page and the entry's withdrawal page ask them.
        "request_revision": "manage",
        "withdraw": "write",
        "reopen": "manage",
        "answer_file": "write",
        "answer_download": "view",
        "previous_entry": "manage",
    }

    def initial(self, request, *args, **kwargs):
        """The action's predicate, asked with `allows` (rules' own
        AutoPermissionViewSetMixin asks `has_perm`, which grants a superuser)."""
        super().initial(request, *args, **kwargs)
        perm_type = self.permission_type_map[self.action]
        if perm_type is None:
            return
        target = self.contest if self.action == "create" else self.get_object()
        if not allows(request.user, Submission.get_perm(perm_type), target):
            raise PermissionDenied

    def get_queryset(self):
        qs = selectors.submission_with_evidence(
            selectors.submissions_visible_to(self.request.user, self.contest)
        ).order_by("category__order", "region_id", "pk")
        qs = qs.prefetch_related(ANSWERS)
        if self.action == "list":
            qs = search_entries(qs, self.request.query_params.get("q", "")[:200])
        return qs

    def get_serializer_class(self):
        """One decision for the list and each entry: an organizer, or a delegate who
        judges nothing in the contest, reads the organizers' notes (screening reason,
        revision request, evidence review); whoever judges in the contest reads the
        entries without them, their own region's included (the pages show those)."""
        contest = getattr(self, "contest", None)
        user = self.request.user
        if contest is None or is_contest_organizer.test(user, contest):
            return SubmissionSerializer
        if is_judge_of.test(user, contest):
            return AssignedSubmissionSerializer
        return SubmissionSerializer

    def get_object(self):
        if not hasattr(self, "_object"):
            self._object = super().get_object()
        return self._object

    def _output(self, submission: Submission, code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=submission.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    @extend_schema(
        request=SubmissionInputSerializer, responses={201: SubmissionSchemaSerializer}
    )
    def create(self, request, *args, **kwargs):
        data = SubmissionInputSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        data.is_valid(raise_exception=True)
        submission = save_with_answers(
            data.validated_data,
            lambda values: services.create_submission(
                contest=self.contest, by=request.user, **values
            ),
            by=request.user,
        )
        return self._output(submission, status.HTTP_201_CREATED)

    @extend_schema(
        request=SubmissionInputSerializer, responses={200: SubmissionSchemaSerializer}
    )
    def partial_update(self, request, *args, **kwargs):
        submission = self.get_object()
        data = SubmissionInputSerializer(
            data=request.data, partial=True, context=self.get_serializer_context()
        )
        data.is_valid(raise_exception=True)
        save_with_answers(
            data.validated_data,
            lambda values: services.update_submission(
                submission=submission, by=request.user, data=values
            ),
            by=request.user,
        )
        return self._output(submission)

    def destroy(self, request, *args, **kwargs):
        services.delete_submission(submission=self.get_object(), by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request=EvidenceInputSerializer, responses={201: EvidenceSchemaSerializer}
    )
    @action(detail=True, methods=["post"])
    def evidence(self, request, *args, **kwargs):
        submission = self.get_object()
        data = EvidenceInputSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        data.is_valid(raise_exception=True)
        values = data.validated_data
        if values.get("file") is not None:
            created = services.add_evidence_file(
                submission=submission,
                file=values["file"],
                title=values.get("title", ""),
                criterion=values.get("criterion"),
                by=request.user,
            )
        else:
            created = services.add_evidence_link(
                submission=submission,
                url=values["url"],
                title=values["title"],
                criterion=values.get("criterion"),
                by=request.user,
            )
        created.refresh_from_db()
        return Response(
            EvidenceSerializer(created, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        request=EvidenceEditInputSerializer, responses={200: EvidenceSchemaSerializer}
    )
    @action(
        detail=True, methods=["patch"], url_path=r"evidence/(?P<evidence_pk>[0-9]+)"
    )
    def evidence_edit(self, request, *args, evidence_pk, **kwargs):
        """Change a piece of evidence's `title` or `criterion`, on the rules of an
        upload (409 once the entry is no longer open for changes)."""
        submission = self.get_object()
        evidence = submission.evidence.filter(pk=evidence_pk).first()
        if evidence is None:
            raise NotFound
        data = EvidenceEditInputSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        services.edit_evidence(evidence=evidence, by=request.user, **values)
        evidence.refresh_from_db()
        return Response(
            EvidenceSerializer(evidence, context=self.get_serializer_context()).data
        )

    @extend_schema(request=None, responses=FILE_RESPONSES)
    @action(
        detail=True,
        methods=["get"],
        url_path=r"evidence/(?P<evidence_pk>[0-9]+)/file",
        renderer_classes=[JSONRenderer, FileRenderer],
    )
    def evidence_file(self, request, *args, evidence_pk, **kwargs):
        """The evidence's stored file, as the entry's page serves it (the
        `download_url` of each evidence): to those who may see the evidence."""
        return evidence_file_response(
            user=request.user, submission=self.get_object(), evidence_pk=evidence_pk
        )

    @extend_schema(request=None, responses=FILE_RESPONSES)
    @action(
        detail=True,
        methods=["get"],
        url_path=r"evidence/(?P<evidence_pk>[0-9]+)/thumbnail",
        renderer_classes=[JSONRenderer, FileRenderer],
    )
    def evidence_thumbnail(self, request, *args, evidence_pk, **kwargs):
        """An image evidence's thumbnail (JPEG), once it is processed."""
        return evidence_file_response(
            user=request.user,
            submission=self.get_object(),
            evidence_pk=evidence_pk,
            thumbnail=True,
        )

    @extend_schema(request=None, responses={200: ReceiptSerializer})
    @action(detail=True, methods=["get"])
    def receipt(self, request, *args, **kwargs):
        """The receipt of the entry's last submission (404 before it is
        submitted), to the region's delegates and the organizers."""
        submission = self.get_object()
        if submission.submitted_at is None:
            raise NotFound(_("This entry has not been submitted yet."))
        return Response(
            ReceiptSerializer(
                submission_receipt(submission), context=self.get_serializer_context()
            ).data
        )

    @extend_schema(request=None, responses={200: SubmissionSchemaSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, *args, **kwargs):
        submission = self.get_object()
        try:
            services.submit_submission(submission=submission, by=request.user)
        except AnswersError as exc:
            raise answer_refusal(exc) from None
        return self._output(submission)

    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": AnswerFileInputSerializer},
        responses={200: SubmissionSchemaSerializer},
    )
    @extend_schema(methods=["DELETE"], request=None, responses={204: None})
    @action(
        detail=True,
        methods=["post", "delete"],
        url_path=r"answers/(?P<question_pk>[0-9]+)/file",
    )
    def answer_file(self, request, *args, question_pk, **kwargs):
        """Upload (multipart `file`) or clear the entry's answer to a file
        question, on the rules of an upload of evidence."""
        submission = self.get_object()
        question = questions_for(submission).filter(pk=int(question_pk)).first()
        if question is None:
            raise NotFound
        if request.method == "DELETE":
            clear_answer(submission=submission, question=question, by=request.user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        data = AnswerFileInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        save_file_answer(
            submission=submission,
            question=question,
            file=data.validated_data["file"],
            by=request.user,
        )
        return self._output(submission)

    @extend_schema(request=None, responses=FILE_RESPONSES)
    @action(
        detail=True,
        methods=["get"],
        url_path=r"answers/(?P<question_pk>[0-9]+)/download",
        renderer_classes=[JSONRenderer, FileRenderer],
    )
    def answer_download(self, request, *args, question_pk, **kwargs):
        """The stored file of a file answer, to those who may see the entry."""
        return answer_file_response(
            submission=self.get_object(), question_pk=int(question_pk)
        )

    @extend_schema(
        request=ScreenInputSerializer, responses={200: SubmissionSchemaSerializer}
    )
    @action(detail=True, methods=["post"])
    def screen(self, request, *args, **kwargs):
        submission = self.get_object()
        data = ScreenInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.screen_submission(
            submission=submission,
            eligible=data.validated_data["eligible"],
            reason=data.validated_data.get("reason", ""),
            by=request.user,
        )
        return self._output(submission)

    @extend_schema(
        request=PreviousEntryInputSerializer,
        responses={200: SubmissionSchemaSerializer},
    )
    @action(detail=True, methods=["post"], url_path="previous-entry")
    def previous_entry(self, request, *args, **kwargs):
        """An organizer confirms or rejects the earlier entry the delegates named."""
        submission = self.get_object()
        data = PreviousEntryInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        confirm_previous_entry(
            submission=submission,
            confirmed=data.validated_data["confirmed"],
            note=data.validated_data.get("note", ""),
            by=request.user,
        )
        return self._output(submission)

    @extend_schema(
        request=RevisionInputSerializer, responses={200: SubmissionSchemaSerializer}
    )
    @action(detail=True, methods=["post"], url_path="request-revision")
    def request_revision(self, request, *args, **kwargs):
        """Send a submitted entry back to its delegates with a note and a deadline
        (a time without a zone is the contest's); they are told by e-mail."""
        submission = self.get_object()
        data = RevisionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.request_revision(
            submission=submission,
            deadline=data.validated_data["deadline"],
            note=data.validated_data["note"],
            by=request.user,
        )
        return self._output(submission)

    @extend_schema(
        request=ReasonInputSerializer, responses={200: SubmissionSchemaSerializer}
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, *args, **kwargs):
        """The delegates take their entry out of the contest (409 once it is past
        screening, or frozen)."""
        submission = self.get_object()
        data = ReasonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.withdraw_submission(
            submission=submission,
            reason=data.validated_data.get("reason", ""),
            by=request.user,
        )
        return self._output(submission)

    @extend_schema(
        request=ReasonInputSerializer, responses={200: SubmissionSchemaSerializer}
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request, *args, **kwargs):
        """An organizer's undo: a screening decision back to the queue, a submitted
        or withdrawn entry back to draft while the window is open (409 otherwise)."""
        submission = self.get_object()
        data = ReasonInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.reopen_submission(
            submission=submission,
            reason=data.validated_data.get("reason", ""),
            by=request.user,
        )
        return self._output(submission)
