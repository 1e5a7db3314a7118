"""The demo contest: Kontes Kepala Daerah Inovatif 2023, hosted by Kota Bima.

The regions, innovations and dates come from public news of 2017-2023; the texts are
written anew, and the judges, scores and evidence images are illustrative only.
The judging app adds the judges (judging/demo.py). Every step is idempotent:
running it again changes nothing that is already there.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from contest import ledger, services
from contest.enums import StageKind
from contest.models import Contest, Delegate, Region

DEMO_PASSWORD = "inovasi-demo-2023"  # noqa: S105 - printed for the demo accounts
CONTEST_SLUG = "kkdi-2023"
WITA = zoneinfo.ZoneInfo("Asia/Makassar")


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    role: str
    region: str | None = None


ORGANIZERS = [
    DemoAccount("panitia@inovasi.demo", "Panitia KKDI 2023", "organizer"),
]
DELEGATES = [
    DemoAccount("bima@inovasi.demo", "Operator Kota Bima", "delegate", "52.72"),
    DemoAccount(
        "mimika@inovasi.demo", "Operator Kabupaten Mimika", "delegate", "94.04"
    ),
    DemoAccount("bandung@inovasi.demo", "Operator Kota Bandung", "delegate", "32.73"),
    DemoAccount(
        "banyuasin@inovasi.demo", "Operator Kabupaten Banyuasin", "delegate", "16.07"
    ),
    DemoAccount(
        "lomboktengah@inovasi.demo",
        "Operator Kabupaten Lombok Tengah",
        "delegate",
        "52.02",
    ),
    DemoAccount(
        "buleleng@inovasi.demo", "Operator Kabupaten Buleleng", "delegate", "51.08"
    ),
    DemoAccount(
        "batang@inovasi.demo", "Operator Kabupaten Batang", "delegate", "33.25"
    ),
]
JUDGES = [
    DemoAccount(
        "juri.andi@inovasi.demo", "Dr. Andi Pratama (ilustrasi)", "judge", "31.71"
    ),
    DemoAccount(
        "juri.sari@inovasi.demo", "Sari Wulandari, M.Si. (ilustrasi)", "judge", "34.71"
    ),
    DemoAccount(
        "juri.made@inovasi.demo", "I Made Suarjana (ilustrasi)", "judge", "51.71"
    ),
    DemoAccount(
        "juri.rina@inovasi.demo", "Rina Hapsari, Ph.D. (ilustrasi)", "judge", "73.71"
    ),
    DemoAccount(
        "juri.yusuf@inovasi.demo", "Yusuf Rahman (ilustrasi)", "judge", "12.71"
    ),
    DemoAccount(
        "juri.lestari@inovasi.demo", "Lestari Ningsih (ilustrasi)", "judge", "64.72"
    ),
]
SUPERUSER = DemoAccount("admin@inovasi.demo", "Admin Inovasi Award", "superuser")

CATEGORIES = [
    (
        "pelayanan-publik",
        "Pelayanan Publik",
        "Inovasi yang mempercepat dan mempermudah layanan.",
    ),
    ("ekonomi", "Ekonomi", "Inovasi yang menggerakkan usaha dan pendapatan warga."),
    (
        "pariwisata",
        "Pariwisata",
        "Inovasi yang memperkenalkan dan mengelola destinasi daerah.",
    ),
    ("kesehatan", "Kesehatan", "Inovasi layanan kesehatan yang menjangkau warga."),
    ("pendidikan", "Pendidikan", "Inovasi untuk mutu dan akses pendidikan."),
]

DESK_CRITERIA = [
    (
        "Kejelasan masalah dan solusi",
        Decimal("30"),
        "Masalah terukur dan solusi menjawabnya.",
    ),
    (
        "Kelengkapan data dukung",
        Decimal("40"),
        "Setiap klaim didukung dokumen atau tautan.",
    ),
    ("Dampak yang terukur", Decimal("30"), "Ada data sebelum dan sesudah inovasi."),
]
PRESENTATION_CRITERIA = [
    (
        "Kebaruan",
        Decimal("30"),
        "Seberapa baru pendekatannya bagi daerah dan bagi Indonesia.",
    ),
    ("Kemanfaatan", Decimal("25"), "Manfaat nyata bagi warga dan pemerintah daerah."),
    (
        "Kewenangan daerah dan kolaborasi",
        Decimal("15"),
        "Sesuai kewenangan daerah; melibatkan OPD, warga dan mitra.",
    ),
    (
        "Dapat direplikasi",
        Decimal("20"),
        "Dapat ditiru daerah lain dengan biaya wajar.",
    ),
    (
        "Penguasaan materi",
        Decimal("10"),
        "Penyaji menguasai data dan menjawab dengan jelas.",
    ),
]
LEVELS = [
    {"score": 2, "description": "Lemah: klaim tanpa bukti."},
    {"score": 5, "description": "Cukup: sebagian klaim didukung bukti."},
    {"score": 8, "description": "Baik: klaim didukung bukti yang jelas."},
    {"score": 10, "description": "Istimewa: bukti kuat dan hasil teruji."},
]


def _wita(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=WITA)


def _user(account: DemoAccount, **extra):
    user_model = get_user_model()
    user = user_model.objects.filter(email=account.email).first()
    if user is None:
        user = user_model.objects.create_user(
            email=account.email, password=DEMO_PASSWORD, name=account.name, **extra
        )
    return user


# (order, name, kind, opens, closes, scoring settings)
STAGES = [
    (
        1,
        "Seleksi administrasi",
        StageKind.SCREENING,
        _wita(2023, 8, 1),
        _wita(2023, 8, 10),
        {},
    ),
    (
        2,
        "Penilaian dokumen (desk evaluation)",
        StageKind.SCORING,
        _wita(2023, 8, 11),
        _wita(2023, 8, 25),
        {"judges_per_entry": 3, "advance_per_category": 3},
    ),
    (
        3,
        "Presentasi dan wawancara",
        StageKind.SCORING,
        _wita(2023, 9, 11, 8),
        _wita(2023, 9, 15, 17),
        {"judges_per_entry": 3},
    ),
]
RUBRICS = {2: DESK_CRITERIA, 3: PRESENTATION_CRITERIA}


@transaction.atomic
def load_demo_contest() -> Contest:
    """Accounts, the contest, its categories, stages and rubrics, and its delegates."""
    _user(SUPERUSER, is_staff=True, is_superuser=True)
    organizer = _user(ORGANIZERS[0], can_create_contests=True)
    contest = _demo_contest(organizer)
    _demo_categories(contest, organizer)
    for order, name, kind, opens, closes, extra in STAGES:
        stage = contest.stages.filter(order=order).first()
        if stage is None:
            stage = services.create_stage(
                contest=contest,
                by=organizer,
                name=name,
                order=order,
                kind=kind,
                opens=opens,
                closes=closes,
                **extra,
            )
        _demo_rubric(stage, RUBRICS.get(order, []), organizer)
    _demo_delegates(contest, organizer)
    return contest


def _demo_contest(organizer) -> Contest:
    contest = Contest.objects.filter(slug=CONTEST_SLUG).first()
    if contest is not None:
        return contest
    return services.create_contest(
        by=organizer,
        name="Kontes Kepala Daerah Inovatif 2023",
        slug=CONTEST_SLUG,
        description=(
            "Ajang tahunan yang menilai kepala daerah dari inovasi pelayanan "
            "publik "
            "yang dijalankan daerahnya. Edisi 2023 berlangsung di Kota Bima, Nusa "
            "Tenggara Barat, pada September 2023. Data juri, nilai dan gambar data "
            "dukung dalam demo ini bersifat ilustrasi."
        ),
        host_region=Region.objects.get(code="52.72"),
        timezone="Asia/Makassar",
        submission_opens=_wita(2023, 6, 1, 8),
        submission_closes=_wita(2023, 7, 31, 23, 59),
        eligible_region_types=[],
        max_entries_per_region=3,
        is_public=True,
    )


def _demo_categories(contest: Contest, organizer) -> None:
    for order, (slug, name, description) in enumerate(CATEGORIES, start=1):
        if not contest.categories.filter(slug=slug).exists():
            services.create_category(
                contest=contest,
                by=organizer,
                name=name,
                slug=slug,
                description=description,
                order=order,
            )


def _demo_rubric(stage, rubric, organizer) -> None:
    if not rubric or stage.criteria.exists():
        return
    for position, (name, weight, description) in enumerate(rubric, start=1):
        services.create_criterion(
            stage=stage,
            by=organizer,
            name=name,
            weight=weight,
            description=description,
            min_score=Decimal("0"),
            max_score=Decimal("10"),
            step=Decimal("0.5"),
            levels=LEVELS,
            order=position,
        )


def _demo_delegates(contest: Contest, organizer) -> None:
    """The delegates, linked without the invitation e-mails of `invite_delegate`."""
    for account in DELEGATES:
        user = _user(account)
        if Delegate.objects.filter(contest=contest, user=user).exists():
            continue
        delegate = Delegate.objects.create(
            contest=contest, user=user, region=Region.objects.get(code=account.region)
        )
        ledger.record(
            action="delegate.added",
            obj=delegate,
            by=organizer,
            contest=contest,
            data={"user": user.email, "region": account.region},
        )


def demo_accounts() -> list[DemoAccount]:
    return [SUPERUSER, *ORGANIZERS, *DELEGATES, *JUDGES]
