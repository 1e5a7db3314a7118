import datetime as dt

import factory

from submissions.enums import EvidenceKind, SubmissionState
from submissions.models import Evidence, Submission
from tests.factories.contest import CategoryFactory, ContestFactory, RegionFactory

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)


class SubmissionFactory(factory.django.DjangoModelFactory):
    """A complete entry (every field filled in), a draft unless told otherwise."""

    class Meta:
        model = Submission

    contest = factory.SubFactory(ContestFactory)
    category = factory.SubFactory(
        CategoryFactory, contest=factory.SelfAttribute("..contest")
    )
    region = factory.SubFactory(RegionFactory)
    title = factory.Sequence(lambda n: f"Inovasi Layanan {n}")
    summary = "Warga melapor lewat aplikasi; laporan diteruskan ke OPD terkait."
    problem = "Keluhan warga tersebar dan sulit dilacak."
    solution = "Satu pintu pelaporan daring dengan pusat kendali."
    impact = "Laporan tertangani lebih cepat."
    started_on = dt.date(2021, 3, 1)
    agency = "Dinas Komunikasi dan Informatika"
    links = factory.LazyFunction(list)
    state = SubmissionState.DRAFT


class EvidenceFactory(factory.django.DjangoModelFactory):
    """A small PDF file, stored under a generated name."""

    class Meta:
        model = Evidence

    submission = factory.SubFactory(SubmissionFactory)
    kind = EvidenceKind.FILE
    title = factory.Sequence(lambda n: f"Dokumen {n}")
    file = factory.django.FileField(data=PDF_BYTES, filename="dokumen.pdf")
    original_name = "dokumen.pdf"
    content_type = "application/pdf"
    size = len(PDF_BYTES)
    processed_at = factory.LazyFunction(lambda: dt.datetime.now(tz=dt.UTC))


class LinkEvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evidence

    submission = factory.SubFactory(SubmissionFactory)
    kind = EvidenceKind.LINK
    title = factory.Sequence(lambda n: f"Video {n}")
    url = "https://www.youtube.com/watch?v=contoh"
