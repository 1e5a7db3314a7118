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


class EvidenceFileView(EntryMixin, View):
    """The stored file: images and PDFs inline, office documents as attachments."""

    http_method_names = ["get", "head"]
    thumbnail = False

    def get(self, request, *args, **kwargs):
        evidence = object_or_404(
            self.submission.evidence.all(),
            pk=kwargs["evidence_pk"],
            kind=EvidenceKind.FILE,
        )
        if not allows(request.user, "submissions.view_evidence", evidence):
            raise PermissionDenied
        if not evidence.is_ready:
            raise Http404
        if self.thumbnail:
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
            handle,
            as_attachment=not inline,
            filename=filename,
            content_type=content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        response["Cross-Origin-Resource-Policy"] = "same-origin"
        return response
