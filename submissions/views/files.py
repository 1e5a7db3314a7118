"""Evidence files, served only through a permission check (never from MEDIA_URL)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.views import View

from common.views import object_or_404
from submissions.enums import EvidenceKind
from submissions.files import type_for_mime
from submissions.rules import allows
from submissions.views.mixins import EntryMixin


def evidence_file_response(*, user, submission, evidence_pk, thumbnail=False):
    """The stored file of one evidence of `submission` (a file, ready, that `user`
    may see), or its thumbnail: images and PDFs inline, office documents as
    attachments, never cached. 404 for an evidence that is not there or not ready,
    403 for one the user may not see. The entry's page and the API serve files
    through this one function."""
    evidence = object_or_404(
        submission.evidence.all(), pk=evidence_pk, kind=EvidenceKind.FILE
    )
    if not allows(user, "submissions.view_evidence", evidence):
        raise PermissionDenied
    if not evidence.is_ready:
        raise Http404
    if thumbnail:
        if not evidence.thumbnail:
            raise Http404
        name, content_type, inline = evidence.thumbnail.name, "image/jpeg", True
        filename = f"thumbnail-{evidence.pk}.jpg"
    else:
        ftype = type_for_mime(evidence.content_type)
        name, content_type = evidence.file.name, evidence.content_type
        inline = bool(ftype and ftype.inline)
        filename = evidence.original_name or f"evidence-{evidence.pk}"
    try:
        handle = default_storage.open(name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=not inline, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


class EvidenceFileView(EntryMixin, View):
    """The stored file (evidence_file_response), for the signed-in pages."""

    http_method_names = ["get", "head"]
    thumbnail = False

    def get(self, request, *args, **kwargs):
        return evidence_file_response(
            user=request.user,
            submission=self.submission,
            evidence_pk=kwargs["evidence_pk"],
            thumbnail=self.thumbnail,
        )
