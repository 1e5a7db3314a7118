"""The entry form's answers on the delegate's pages: the typed answers saved with
the entry's own fields (AnswerFieldsMixin), a file answer uploaded or cleared on its
own (AnswerFileView), and a stored file served behind the entry's check."""

from __future__ import annotations

from django.contrib import messages
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View

from common.errors import DomainError
from common.views import object_or_404
from contest.enums import QuestionKind
from contest.models import EntryQuestion
from submissions.answer_forms import AnswerFileForm, add_answer_fields, split_answers
from submissions.files import type_for_mime
from submissions.services.answers import clear_answer, save_answers, save_file_answer
from submissions.services.answers_required import (
    AnswersError,
    answer_rows,
    questions_for,
)
from submissions.views.mixins import EntryMixin


def _language() -> str:
    return (get_language() or "id")[:2]


def entry_answers(submission) -> list[dict]:
    return answer_rows(submission, language=_language())


class AnswerFieldsMixin:
    """Adds the questions' fields to the entry's form and saves the answers with
    the entry, in one transaction; a refused answer is shown at its field."""

    def answer_questions(self) -> list[EntryQuestion]:
        submission = getattr(self, "submission", None)
        if submission is not None:
            return list(questions_for(submission).select_related("category"))
        return list(
            self.contest.questions.select_related("category").order_by("order", "pk")
        )

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        submission = getattr(self, "submission", None)
        stored = (
            {a.question_id: a for a in submission.answers.all()} if submission else {}
        )
        add_answer_fields(
            form,
            self.answer_questions(),
            language=_language(),
            answers=stored,
            show_categories=submission is None,
        )
        return form

    def entry_data(self, form) -> dict:
        return split_answers(form.cleaned_data)[0]

    def save_with_answers(self, form, save):
        """`save(entry_data)` returns the entry; then its answers are saved."""
        own, answers = split_answers(form.cleaned_data)

        def call():
            try:
                with transaction.atomic():
                    submission = save(own)
                    asked = {q.pk for q in questions_for(submission)}
                    save_answers(
                        submission=submission,
                        answers={k: v for k, v in answers.items() if k in asked},
                        by=self.request.user,
                    )
                    return submission
            except AnswersError as exc:
                for pk, errors in exc.errors.items():
                    name = f"answer_{pk}"
                    form.add_error(name if name in form.fields else None, errors)
                self.error_status = 400
                return None

        return self.run_service(form, call)


class AnswerFileView(EntryMixin, View):
    """POST a file for a file question (`file`), or `clear` to remove it; back to
    the entry's edit page with what happened."""

    permission_required = "submissions.write_submission"
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        question = object_or_404(
            questions_for(self.submission), pk=kwargs["question_pk"]
        )
        try:
            if request.POST.get("clear"):
                clear_answer(
                    submission=self.submission, question=question, by=request.user
                )
                done = _("The file was removed.")
            else:
                form = AnswerFileForm(request.POST, request.FILES)
                upload = form.files.get("file") if form.is_valid() else None
                save_file_answer(
                    submission=self.submission,
                    question=question,
                    file=upload,
                    by=request.user,
                )
                done = _("The file was saved.")
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, done)
        return redirect(
            reverse(
                "submissions:edit",
                kwargs={"slug": self.contest.slug, "pk": self.submission.pk},
            )
            + "#answer-files"
        )


def answer_file_response(*, submission, question_pk):
    """The stored file of the entry's answer to one file question (404 when none),
    to whoever may see the entry; never cached."""
    answer = object_or_404(
        submission.answers.filter(question__kind=QuestionKind.FILE).exclude(file=""),
        question_id=question_pk,
    )
    ftype = type_for_mime(answer.content_type)
    try:
        handle = default_storage.open(answer.file.name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=not (ftype and ftype.inline),
        filename=answer.original_name or f"answer-{answer.pk}",
        content_type=answer.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


class AnswerFileDownloadView(EntryMixin, View):
    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        return answer_file_response(
            submission=self.submission, question_pk=kwargs["question_pk"]
        )
