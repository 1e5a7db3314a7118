"""Demo entries for the demo contest (Kontes Kepala Daerah Inovatif 2023).

The innovations and their regions come from public news of 2017-2023; the texts are
written anew. Start dates are approximate (the year the news gives), the agencies are
the ones such an innovation usually sits with, and the evidence posters are drawn here
and marked "ilustrasi".

The demo contest's submission window was in 2023, so this loader calls the services'
internal functions that skip the window check (`_create_submission`, `_attach_files`);
the eligibility rules, the file checks (type by content, size, decompression bombs) and
the image clean-up task (EXIF stripped, thumbnail) all still apply. Every state change
goes through `set_submission_state`, so the audit ledger records it. Idempotent: an
entry is found again by contest, region and title, and only what is missing is added.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import textwrap
import zoneinfo
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from contest.models import Contest
from submissions import services
from submissions.enums import SubmissionState
from submissions.models import Submission

WITA = zoneinfo.ZoneInfo("Asia/Makassar")


@dataclass(frozen=True)
class DemoEntry:
    region: str
    category: str
    title: str
    summary: str
    problem: str
    solution: str
    impact: str
    started_on: dt.date
    agency: str
    state: str
    colour: tuple[int, int, int]
    submitted_day: int


ENTRIES = [
    DemoEntry(
        region="52.72",
        category="pelayanan-publik",
        title="Saninu (E-Lapor) dan Command Center Kota Bima",
        summary=(
            "Warga Kota Bima menyampaikan keluhan dan kebutuhannya lewat aplikasi "
            "Saninu; Command Center meneruskan setiap laporan ke perangkat daerah yang "
            "bertanggung jawab dan memantau tindak lanjutnya."
        ),
        problem=(
            "Sebelumnya keluhan warga tersebar di banyak saluran, sulit dilacak, dan "
            "sering tidak jelas dinas mana yang harus menjawab."
        ),
        solution=(
            "Satu pintu pelaporan daring (E-Lapor) yang terhubung dengan Command "
            "Center kota. Petugas memilah laporan lalu mengirimkannya ke OPD terkait; "
            "warga dapat melihat status laporannya. Diluncurkan tahun 2021 sebagai "
            "bagian dari program kota cerdas."
        ),
        impact=(
            "Laporan warga tercatat dan terpantau dari masuk sampai selesai. Kota Bima "
            "meraih penghargaan DIA tingkat nasional pada 2021 dan menjadi tuan rumah "
            "Kontes Kepala Daerah Inovatif 2023."
        ),
        started_on=dt.date(2021, 1, 1),
        agency="Dinas Komunikasi dan Informatika Kota Bima",
        state=SubmissionState.ELIGIBLE,
        colour=(0, 92, 120),
        submitted_day=18,
    ),
    DemoEntry(
        region="94.04",
        category="pelayanan-publik",
        title="Lapor Akai Meno",
        summary=(
            "Kanal daring tempat warga Mimika menyampaikan pengaduan, keluhan, "
            "aspirasi dan informasi, yang lalu diteruskan kepada instansi yang "
            "berwenang."
        ),
        problem=(
            "Wilayah yang luas membuat warga sulit datang langsung ke kantor "
            "pemerintah untuk menyampaikan pengaduan."
        ),
        solution=(
            "Laporan dikirim secara daring dan diteruskan ke perangkat daerah terkait, "
            "yang wajib menanggapi."
        ),
        impact=(
            "Jarak tidak lagi menjadi penghalang bagi warga untuk didengar. Kabupaten "
            "Mimika menerima Smart City Award pada 2017."
        ),
        started_on=dt.date(2017, 1, 1),
        agency="Dinas Komunikasi dan Informatika Kabupaten Mimika",
        state=SubmissionState.ELIGIBLE,
        colour=(140, 60, 20),
        submitted_day=20,
    ),
    DemoEntry(
        region="32.73",
        category="kesehatan",
        title="Layad Rawat",
        summary=(
            "Tenaga kesehatan mengunjungi warga Bandung yang sakit di rumahnya; "
            "kunjungan diminta melalui aplikasi."
        ),
        problem=(
            "Warga yang sakit, lanjut usia atau sulit bergerak kerap tidak dapat "
            "datang ke puskesmas."
        ),
        solution=(
            "Keluarga atau warga memesan kunjungan lewat aplikasi; tim puskesmas "
            "datang ke rumah untuk memeriksa dan merawat."
        ),
        impact=(
            "Layanan kesehatan menjangkau warga yang paling membutuhkan di rumah "
            "mereka. Kota Bandung menerima Smart City Award pada 2017."
        ),
        started_on=dt.date(2017, 1, 1),
        agency="Dinas Kesehatan Kota Bandung",
        state=SubmissionState.ELIGIBLE,
        colour=(20, 110, 70),
        submitted_day=21,
    ),
    DemoEntry(
        region="16.07",
        category="pelayanan-publik",
        title="e-Voting Pemilihan Kepala Desa",
        summary=(
            "Pemilihan kepala desa di Banyuasin memakai pemungutan suara elektronik; "
            "pada November 2017 sebanyak 48 desa memilih serentak."
        ),
        problem=(
            "Penghitungan manual surat suara memakan waktu lama dan rawan sengketa "
            "hasil."
        ),
        solution=(
            "Pemilih memberikan suara pada perangkat elektronik di TPS; hasil dihitung "
            "otomatis dan dapat segera diumumkan."
        ),
        impact=(
            "Hasil pemilihan lebih cepat diketahui dan biaya cetak surat suara "
            "berkurang. Kabupaten Banyuasin menerima Smart City Award pada 2017."
        ),
        started_on=dt.date(2017, 11, 1),
        agency="Dinas Pemberdayaan Masyarakat dan Desa Kabupaten Banyuasin",
        state=SubmissionState.ELIGIBLE,
        colour=(90, 40, 130),
        submitted_day=22,
    ),
    DemoEntry(
        region="16.07",
        category="pelayanan-publik",
        title="SAPA Banyuasin",
        summary=(
            "Platform sosial tempat pegawai dan warga berbincang langsung dengan "
            "pejabat; setiap pegawai juga mendapat ruang simpan berkas hingga 10 GB."
        ),
        problem=(
            "Komunikasi antara warga, pegawai dan pimpinan daerah berjalan lambat dan "
            "berjenjang."
        ),
        solution=(
            "Satu aplikasi untuk bertanya, menyampaikan usulan, dan berbagi dokumen "
            "kerja, dengan ruang simpan bagi pegawai."
        ),
        impact=(
            "Pertanyaan warga dan pegawai sampai langsung kepada pejabat yang "
            "berwenang."
        ),
        started_on=dt.date(2017, 1, 1),
        agency="Dinas Komunikasi dan Informatika Kabupaten Banyuasin",
        state=SubmissionState.SUBMITTED,
        colour=(30, 70, 150),
        submitted_day=24,
    ),
    DemoEntry(
        region="52.02",
        category="pelayanan-publik",
        title="Masterplan Smart City Lombok Tengah",
        summary=(
            "Rencana induk kota cerdas yang disusun setelah penandatanganan komitmen "
            "bersama dengan Kementerian Komunikasi dan Informatika pada 2021."
        ),
        problem=(
            "Program digital antar-OPD berjalan sendiri-sendiri tanpa arah bersama."
        ),
        solution=(
            "Masterplan dengan enam pilar (smart governance, smart branding, smart "
            "economy, smart living, smart society dan smart environment) menjadi acuan "
            "program setiap OPD."
        ),
        impact=(
            "Program kota cerdas kini direncanakan dan dievaluasi dalam satu kerangka."
        ),
        started_on=dt.date(2021, 1, 1),
        agency="Badan Perencanaan Pembangunan Daerah Kabupaten Lombok Tengah",
        state=SubmissionState.SUBMITTED,
        colour=(170, 110, 0),
        submitted_day=26,
    ),
    DemoEntry(
        region="51.08",
        category="pelayanan-publik",
        title="Gerakan Menuju Smart City Buleleng",
        summary=(
            "Buleleng menjadi satu dari 50 daerah yang dipilih pada 2022 dari 88 "
            "daerah yang dinilai, lalu menandatangani nota kesepahaman pada Februari "
            "2023."
        ),
        problem=(
            "Daerah memerlukan arah yang jelas agar layanan digitalnya tumbuh terpadu."
        ),
        solution=(
            "Mengikuti Gerakan Menuju Smart City dengan memenuhi kriterianya: komitmen "
            "pimpinan, kapasitas fiskal, dan indeks SPBE daerah."
        ),
        impact="Rencana kota cerdas Buleleng disusun bersama pendamping dari pusat.",
        started_on=dt.date(2022, 1, 1),
        agency=(
            "Dinas Komunikasi, Informatika, Persandian dan Statistik Kabupaten Buleleng"
        ),
        state=SubmissionState.ELIGIBLE,
        colour=(0, 120, 140),
        submitted_day=27,
    ),
    DemoEntry(
        region="33.25",
        category="pelayanan-publik",
        title="Tiga Inovasi Setiap OPD",
        summary=(
            "Sejak 2020 setiap perangkat daerah di Batang wajib menghasilkan tiga "
            "inovasi setiap tahun, yang dievaluasi tahunan dengan peninjauan lapangan."
        ),
        problem="Inovasi hanya muncul di segelintir OPD dan tidak berkelanjutan.",
        solution=(
            "Kewajiban tiga inovasi per OPD per tahun, disertai evaluasi tahunan dan "
            "kunjungan lapangan untuk memastikan inovasi benar-benar berjalan."
        ),
        impact=(
            "Inovasi menjadi pekerjaan rutin setiap perangkat daerah, bukan acara "
            "sesaat."
        ),
        started_on=dt.date(2020, 1, 1),
        agency=(
            "Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah Batang"
        ),
        state=SubmissionState.SUBMITTED,
        colour=(150, 30, 50),
        submitted_day=28,
    ),
]


def poster(entry: DemoEntry, region_name: str) -> bytes:
    """A simple illustrative poster: a coloured background, the name, 'ILUSTRASI'."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (1200, 800), entry.colour)
    draw = ImageDraw.Draw(image)
    big = ImageFont.load_default(size=64)
    medium = ImageFont.load_default(size=36)
    small = ImageFont.load_default(size=28)
    draw.rectangle((40, 40, 1160, 760), outline=(255, 255, 255), width=6)
    y = 120
    for line in textwrap.wrap(entry.title, width=28):
        draw.text((90, y), line, font=big, fill=(255, 255, 255))
        y += 80
    draw.text((90, y + 30), region_name, font=medium, fill=(255, 235, 180))
    draw.text(
        (90, 640),
        "Kontes Kepala Daerah Inovatif 2023",
        font=small,
        fill=(255, 255, 255),
    )
    draw.rectangle((820, 610, 1120, 690), fill=(255, 255, 255))
    draw.text((850, 625), "ILUSTRASI", font=medium, fill=entry.colour)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40]


def load_demo_submissions(contest: Contest) -> list[Submission]:
    delegates = {
        d.region_id: d for d in contest.delegates.select_related("user", "region")
    }
    organizer = contest.organizers.select_related("user").first()
    categories = {c.slug: c for c in contest.categories.all()}
    entries = []
    for demo in ENTRIES:
        delegate = delegates.get(demo.region)
        category = categories.get(demo.category)
        if delegate is None or category is None:
            continue
        with transaction.atomic():
            entry = _load_entry(contest, demo, delegate, category, organizer)
        entries.append(entry)
    return entries


def _load_entry(contest, demo: DemoEntry, delegate, category, organizer) -> Submission:
    user = delegate.user
    entry = Submission.objects.filter(
        contest=contest, region_id=demo.region, title=demo.title
    ).first()
    if entry is None:
        entry = services._create_submission(
            contest=contest,
            by=user,
            category=category,
            title=demo.title,
            summary=demo.summary,
            problem=demo.problem,
            solution=demo.solution,
            impact=demo.impact,
            started_on=demo.started_on,
            agency=demo.agency,
        )
    if not entry.evidence.exists():
        upload = SimpleUploadedFile(
            f"poster-{_slug(demo.title)}.jpg",
            poster(demo, delegate.region.name),
            content_type="image/jpeg",
        )
        services._attach_files(
            submission=entry,
            uploads=[upload],
            by=user,
            title="Poster inovasi (ilustrasi)",
        )
    if entry.state == SubmissionState.DRAFT:
        entry.submitted_at = dt.datetime(
            2023, 7, demo.submitted_day, 10, 0, tzinfo=WITA
        )
        services.set_submission_state(
            submission=entry, new_state=SubmissionState.SUBMITTED, by=user
        )
    if (
        demo.state == SubmissionState.ELIGIBLE
        and entry.state == SubmissionState.SUBMITTED
    ):
        entry.screening_reason = "Berkas administrasi lengkap (ilustrasi)."
        entry.screened_at = dt.datetime(2023, 8, 5, 14, 0, tzinfo=WITA)
        entry.screened_by = organizer.user if organizer else None
        services.set_submission_state(
            submission=entry,
            new_state=SubmissionState.ELIGIBLE,
            by=entry.screened_by,
            reason=entry.screening_reason,
        )
    return entry
