"""The events whose e-mails an organizer may rewrite for a contest: each with its
label and a sample of the data its notification carries (the variables a
contest's own text may use, and what its preview is rendered with).

An app that writes a new event adds one line to EVENTS (`_event(...)`); an
event not listed here keeps the site's text and cannot be rewritten. Account
events belong to no contest, so they are not listed. The samples are plain data,
as `notify` stores it; `set_password_url` is made when the mail is sent (see
`rendering._links`) and appears here as the link the recipient would get."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

SITE = "https://inovasi.example.go.id"
CONTEST = {"contest_name": "Kompetisi Inovasi Pelayanan Publik 2027"}
CONTEST_URL = f"{SITE}/contests/kipp-2027/"
# Variables every message has, whatever its event (rendering.render adds them).
COMMON_VARIABLES = {"site_url": SITE, "recipient_email": "operator@bima.go.id"}


@dataclass(frozen=True)
class Event:
    name: str
    label: Promise | str
    sample: dict[str, Any] = field(default_factory=dict)

    def sample_context(self) -> dict[str, Any]:
        """The sample with the variables every message has."""
        return {**self.sample, **COMMON_VARIABLES}

    def variables(self) -> list[str]:
        return sorted(self.sample_context())


def _event(event: str, label: Promise | str, /, **sample: Any) -> tuple[str, Event]:
    return event, Event(name=event, label=label, sample=sample)


ENTRY = {
    **CONTEST,
    "entry_title": "Layanan Aduan Warga Satu Pintu",
    "region_name": "Kota Bima",
    "url": f"{SITE}/contests/kipp-2027/entries/42/",
}
DEADLINE = {"closes": "14 September 2027, 23.59", "tz": "WITA"}

SESSION = {
    **CONTEST,
    "stage_name": "Presentasi dan Wawancara",
    "entry_title": "Layanan Aduan Warga Satu Pintu",
    "region_name": "Kota Bima",
    "role": "delegate",
    "times": [
        "14 September 2027, 10.00\N{EN DASH}10.45 WITA",
        "14 September 2027, 09.00\N{EN DASH}09.45 WIB",
    ],
    "place": "Ruang Rapat Utama, Kantor Wali Kota Bima",
    "meeting_url": "https://meet.example.go.id/kipp-2027-42",
    "url": f"{SITE}/judging/schedule/",
}

EVENTS: dict[str, Event] = dict(
    [
        _event(
            "invitation",
            _("Invitation"),
            **CONTEST,
            role="delegate",
            contest_url=CONTEST_URL,
            login_url=f"{SITE}/accounts/login/",
            new_account=True,
            claim=False,
            set_password_url=f"{SITE}/accounts/password/reset/key/3-abc/",
        ),
        _event(
            "contest.window_changed",
            _("A window moved"),
            **CONTEST,
            window="Masa pengajuan",
            before="1 Agustus 2027, 08:00 \N{EN DASH} 31 Agustus 2027, 23:59",
            after="1 Agustus 2027, 08:00 \N{EN DASH} 25 Agustus 2027, 23:59",
            tz="WITA",
            shortened=True,
            url=CONTEST_URL,
        ),
        _event(
            "judging.reminder",
            _("Reminder to judges"),
            **CONTEST,
            **DEADLINE,
            judge_name="Dr. Andi Wijaya",
            stage_name="Penilaian Tahap 1",
            count=3,
            url=f"{SITE}/judging/assignments/",
        ),
        _event(
            "judging.conflict_declared",
            _("Conflict of interest declared"),
            **ENTRY,
            judge_name="Dr. Andi Wijaya",
            stage_name="Penilaian Tahap 1",
            reason="Pernah menjadi konsultan inovasi ini.",
            sheet_kept=False,
        ),
        _event(
            "submission.received",
            _("Entry received"),
            **ENTRY,
            name="Operator Kota Bima",
            receipt_number="KIPP-2027-0042",
            submitted_at="2 September 2027, 10.15",
            tz="WITA",
            resubmission=False,
        ),
        _event(
            "submission.revision_requested",
            _("Entry sent back for revision"),
            **ENTRY,
            name="Operator Kota Bima",
            deadline="14 September 2027, 23.59",
            tz="WITA",
            note="Lengkapi bukti dukung anggaran.",
        ),
        _event(
            "submission.screened",
            _("Screening decision"),
            **ENTRY,
            name="Operator Kota Bima",
            tz="WITA",
            eligible=True,
            reason="",
        ),
        _event(
            "submission.imported",
            _("Entry created for a region"),
            **ENTRY,
            name="Operator Kota Bima",
            organizer_name="Panitia KIPP",
        ),
        _event(
            "submission.deadline",
            _("Reminder to delegates"),
            **CONTEST,
            **DEADLINE,
            name="Operator Kota Bima",
            region_name="Kota Bima",
            count=1,
            drafts=["Layanan Aduan Warga Satu Pintu"],
            mark="3d",
            url=f"{SITE}/entries/",
        ),
        _event(
            "judging.deadline",
            _("Scoring deadline reminder"),
            **CONTEST,
            **DEADLINE,
            judge_name="Dr. Andi Wijaya",
            stage_name="Penilaian Tahap 1",
            count=3,
            mark="3d",
            url=f"{SITE}/judging/assignments/",
        ),
        _event(
            "judging.assigned",
            _("Assignment to a judge"),
            **CONTEST,
            **DEADLINE,
            judge_name="Dr. Andi Wijaya",
            stage_name="Penilaian Tahap 1",
            count=2,
            total=2,
            more=0,
            titles=["Layanan Aduan Warga Satu Pintu", "Posyandu Digital"],
            url=f"{SITE}/judging/assignments/",
        ),
        _event(
            "judging.extra_judge",
            _("Extra judge added"),
            **CONTEST,
            **DEADLINE,
            judge_name="Dr. Andi Wijaya",
            stage_name="Penilaian Tahap 1",
            entry_title="Layanan Aduan Warga Satu Pintu",
            url=f"{SITE}/judging/assignments/",
        ),
        _event(
            "indicator.revision_requested",
            _("Indicator revision requested"),
            **ENTRY,
            stage_name="Penilaian Indikator",
            indicator_name="Dukungan regulasi",
            note="Unggah salinan peraturan bupati yang telah ditandatangani.",
            closes="14 September 2027, 23.59",
            tz="WITA",
        ),
        _event(
            "indicator.validation_overturned",
            _("Validation overturned"),
            **CONTEST,
            judge_name="Dr. Andi Wijaya",
            stage_name="Penilaian Indikator",
            entry_title="Layanan Aduan Warga Satu Pintu",
            indicator_name="Dukungan regulasi",
            verdict_before="Valid",
            verdict="Tidak valid",
            note="Bukti tidak memuat tanda tangan kepala daerah.",
            url=f"{SITE}/judging/manage/kipp-2027/judging/stages/3/validation/",
        ),
        *[
            _event(name, label, **SESSION)
            for name, label in (
                ("schedule.slot_announced", _("Session announced")),
                ("schedule.slot_changed", _("Session changed")),
                ("schedule.slot_cancelled", _("Session cancelled")),
            )
        ],
        _event(
            "results.provisional",
            _("Provisional results"),
            **CONTEST,
            opens="1 Oktober 2027, 08.00",
            closes="7 Oktober 2027, 23.59",
            tz="WITA",
            results_url=f"{SITE}/contests/kipp-2027/results/",
            object_url=f"{SITE}/contests/kipp-2027/results/object/",
        ),
        _event(
            "results.final",
            _("Final results"),
            **CONTEST,
            digest="3f1a9c0e5b7d2a4c6e8f0b1d3a5c7e9f1b3d5f7a9c1e3a5b7d9f1a3c5e7b9d1f",
            results_url=f"{SITE}/contests/kipp-2027/results/",
            verify_url=f"{SITE}/contests/kipp-2027/results/verify/",
        ),
        _event(
            "results.objection_answered",
            _("Objection answered"),
            **CONTEST,
            titles=["Layanan Aduan Warga Satu Pintu"],
            upheld=False,
            answer="Nilai telah diperiksa ulang dan tetap.",
            url=f"{SITE}/contests/kipp-2027/results/objections/mine/",
        ),
    ]
)


def editable_event(name: str) -> Event | None:
    """The event of `name` an organizer may rewrite, or None."""
    return EVENTS.get(name)
