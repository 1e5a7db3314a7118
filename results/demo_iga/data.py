"""The facts and the illustrative figures of the second demo contest, in the format of
Kemendagri's Innovative Government Award (IGA).

What is public and written here in our own words: regions report their innovations
against a fixed set of indicators, each answered with a level and its supporting
evidence (*data dukung*); a verification team validates the evidence of each
indicator, and an answer whose evidence does not prove it scores nothing; a quality
control team reviews a sample of the validations; the index places a region in a band
(*Sangat Inovatif*, *Inovatif*, *Kurang Inovatif*, or *Tidak dapat dinilai* when
nothing could be validated); regions are compared within clusters (provinces,
regencies, cities, border regions, underdeveloped regions, Papua), and the best of
each cluster are invited to present (in 2021: 7 provinces, 12 regencies, 12 cities,
5 border and 3 underdeveloped regions).

What is invented: the indicators' exact wording, levels and weights, the
innovations' details, every level claimed, every verdict, every score, the judges
and the schedule. The demo says so on its pages ("ilustrasi").
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from decimal import Decimal

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
CONTEST_SLUG = "iga-2023"
ORGANIZER_EMAIL = "panitia.iga@inovasi.demo"


def wib(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=WIB)


CONTEST = {
    "name": "Innovative Government Award 2023 (format IGA, ilustrasi)",
    "slug": CONTEST_SLUG,
    "description": (
        "Contoh ajang dengan format Innovative Government Award: daerah melaporkan "
        "inovasinya menurut indikator Indeks Inovasi Daerah, setiap indikator "
        "dijawab dengan satu tingkat dan data dukungnya, tim verifikasi menilai "
        "keabsahan data dukung, tim pengendali mutu memeriksa sebagian "
        "validasinya, lalu daerah terbaik setiap klaster mempresentasikan "
        "inovasinya. Indikator, tingkat, bobot, nilai, juri dan jadwal dalam demo "
        "ini bersifat ilustrasi."
    ),
    "host_region": "31",
    "timezone": "Asia/Jakarta",
    "submission_opens": wib(2023, 5, 2, 8),
    "submission_closes": wib(2023, 6, 30, 23, 59),
    "max_entries_per_region": 3,
    "min_running_months": 6,
}

# (slug, name, region type or "", listed region codes)
CLUSTERS = [
    ("provinsi", "Provinsi", "provinsi", []),
    ("kabupaten", "Kabupaten", "kabupaten", []),
    ("kota", "Kota", "kota", []),
    ("perbatasan", "Daerah perbatasan", "", ["65.03", "61.07"]),
    ("tertinggal", "Daerah tertinggal", "", ["52.08", "53.14"]),
    ("papua", "Papua", "", ["94.04"]),
]

# (slug, name, the cluster whose regions may enter it)
CATEGORIES = [
    ("provinsi", "Klaster provinsi", "provinsi"),
    ("kabupaten", "Klaster kabupaten", "kabupaten"),
    ("kota", "Klaster kota", "kota"),
    ("perbatasan", "Klaster daerah perbatasan", "perbatasan"),
    ("tertinggal", "Klaster daerah tertinggal", "tertinggal"),
    ("papua", "Klaster Papua", "papua"),
]


@dataclass(frozen=True)
class Indicator:
    name: str
    weight: Decimal
    description: str
    # (label, points, the evidence this level needs)
    levels: tuple[tuple[str, int, str], ...]


INDICATORS = [
    Indicator(
        "Regulasi inovasi daerah",
        Decimal("10"),
        "Dasar hukum yang menetapkan inovasi ini.",
        (
            ("Keputusan kepala perangkat daerah", 1, "Salinan keputusan"),
            ("Keputusan kepala daerah", 2, "Salinan SK kepala daerah"),
            ("Peraturan kepala daerah atau perda", 3, "Salinan perkada atau perda"),
        ),
    ),
    Indicator(
        "Dukungan anggaran",
        Decimal("10"),
        "Inovasi dibiayai dalam anggaran daerah.",
        (
            ("Dianggarkan satu tahun", 1, "Potongan DPA tahun berjalan"),
            ("Dianggarkan dua tahun berturut-turut", 2, "Potongan DPA dua tahun"),
            ("Dianggarkan tiga tahun atau lebih", 3, "Potongan DPA tiga tahun"),
        ),
    ),
    Indicator(
        "Penggunaan teknologi informasi",
        Decimal("10"),
        "Sejauh mana layanan berjalan secara digital.",
        (
            ("Sebagian besar manual", 1, "Foto atau formulir layanan"),
            ("Sebagian proses daring", 2, "Tangkapan layar aplikasi"),
            ("Daring dan terintegrasi", 3, "Tautan aplikasi dan bukti integrasi"),
        ),
    ),
    Indicator(
        "Kemanfaatan inovasi",
        Decimal("20"),
        "Jumlah warga atau pelaku yang merasakan manfaatnya.",
        (
            ("Kurang dari 1.000 penerima manfaat", 1, "Rekap penerima manfaat"),
            ("1.000 sampai 10.000 penerima manfaat", 2, "Rekap penerima manfaat"),
            ("Lebih dari 10.000 penerima manfaat", 3, "Rekap dan survei kepuasan"),
        ),
    ),
    Indicator(
        "Monitoring dan evaluasi",
        Decimal("10"),
        "Inovasi dipantau dan dinilai hasilnya.",
        (
            ("Laporan internal", 1, "Laporan pemantauan"),
            ("Evaluasi oleh perangkat daerah", 2, "Dokumen evaluasi"),
            ("Kajian pihak independen", 3, "Laporan kajian"),
        ),
    ),
    Indicator(
        "Replikasi",
        Decimal("15"),
        "Inovasi ditiru oleh daerah lain.",
        (
            ("Belum direplikasi", 0, "Pernyataan"),
            ("Direplikasi satu atau dua daerah", 2, "Surat atau berita replikasi"),
            ("Direplikasi tiga daerah atau lebih", 3, "Surat-surat replikasi"),
        ),
    ),
    Indicator(
        "Kemudahan akses informasi layanan",
        Decimal("15"),
        "Warga mudah mengetahui dan menjangkau layanannya.",
        (
            ("Informasi di kantor layanan", 1, "Foto papan informasi"),
            ("Laman resmi", 2, "Tautan laman"),
            ("Aplikasi dan kanal pengaduan", 3, "Tautan aplikasi dan kanal aduan"),
        ),
    ),
    Indicator(
        "Keterlibatan aktor inovasi",
        Decimal("10"),
        "Siapa yang terlibat menjalankan inovasi.",
        (
            ("Satu perangkat daerah", 1, "Surat tugas"),
            ("Beberapa perangkat daerah", 2, "Surat keputusan tim"),
            ("Perangkat daerah, warga dan mitra", 3, "Perjanjian kerja sama"),
        ),
    ),
]

PRESENTATION_CRITERIA = [
    ("Kebaruan dan nilai tambah", Decimal("30"), "Seberapa baru bagi daerah."),
    ("Kemanfaatan yang terukur", Decimal("30"), "Data sebelum dan sesudah inovasi."),
    ("Keberlanjutan", Decimal("20"), "Regulasi, anggaran dan SDM yang menjamin."),
    ("Penguasaan materi", Decimal("20"), "Penyaji menjawab dengan data."),
]

# How verdicts are written in the demo: V valid, I invalid, R revision asked and then
# fixed and found valid, X invalid because the evidence was missing.
VALID, INVALID, REVISED, MISSING = "V", "I", "R", "X"


@dataclass(frozen=True)
class Innovation:
    region: str
    category: str
    title: str
    summary: str
    agency: str
    started_on: dt.date
    # One (level index, verdict) per indicator, in INDICATORS' order.
    answers: tuple[tuple[int, str], ...]


def _all(level: int, verdict: str = VALID) -> tuple[tuple[int, str], ...]:
    return tuple((level, verdict) for _ in INDICATORS)


INNOVATIONS = [
    Innovation(
        "35",
        "provinsi",
        "Layanan perizinan terpadu satu pintu daring Jawa Timur",
        "Izin usaha diurus daring dari kabupaten mana pun dan dipantau statusnya.",
        "Dinas Penanaman Modal dan PTSP Provinsi Jawa Timur",
        dt.date(2019, 3, 1),
        (
            (2, VALID),
            (2, VALID),
            (2, VALID),
            (2, VALID),
            (1, VALID),
            (2, VALID),
            (2, VALID),
            (2, REVISED),
        ),
    ),
    Innovation(
        "33",
        "provinsi",
        "Lapor gubernur lewat media sosial",
        "Aduan warga lewat media sosial dijawab dan diteruskan ke dinas terkait.",
        "Dinas Komunikasi dan Informatika Provinsi Jawa Tengah",
        dt.date(2018, 6, 1),
        (
            (1, VALID),
            (2, VALID),
            (2, VALID),
            (2, VALID),
            (2, VALID),
            (1, INVALID),
            (2, VALID),
            (1, VALID),
        ),
    ),
    Innovation(
        "73",
        "provinsi",
        "Rumah sakit keliling ke pulau-pulau",
        "Kapal layanan kesehatan menjangkau warga kepulauan secara terjadwal.",
        "Dinas Kesehatan Provinsi Sulawesi Selatan",
        dt.date(2020, 2, 1),
        (
            (1, VALID),
            (1, VALID),
            (0, VALID),
            (1, VALID),
            (0, INVALID),
            (0, VALID),
            (0, VALID),
            (1, VALID),
        ),
    ),
    Innovation(
        "35.10",
        "kabupaten",
        "Layanan administrasi desa daring Banyuwangi",
        "Warga mengurus surat desa dari balai desa yang terhubung ke kabupaten.",
        "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Banyuwangi",
        dt.date(2017, 1, 1),
        _all(2),
    ),
    Innovation(
        "51.03",
        "kabupaten",
        "Pembayaran pajak hotel dan restoran secara daring",
        "Pelaku usaha wisata melaporkan dan membayar pajak daerah lewat aplikasi.",
        "Badan Pendapatan Daerah Kabupaten Badung",
        dt.date(2018, 9, 1),
        (
            (2, VALID),
            (2, VALID),
            (2, VALID),
            (1, VALID),
            (1, VALID),
            (1, INVALID),
            (2, VALID),
            (1, VALID),
        ),
    ),
    Innovation(
        "14.08",
        "kabupaten",
        "Siak hijau: pengelolaan gambut bersama desa",
        "Desa dan dinas memantau lahan gambut agar tidak terbakar.",
        "Dinas Lingkungan Hidup Kabupaten Siak",
        dt.date(2019, 5, 1),
        (
            (1, VALID),
            (1, VALID),
            (1, VALID),
            (1, VALID),
            (2, VALID),
            (0, VALID),
            (1, VALID),
            (2, VALID),
        ),
    ),
    Innovation(
        "64.02",
        "kabupaten",
        "Posyandu digital Kutai Kartanegara",
        "Data tumbuh kembang balita dicatat di posyandu dan dipantau puskesmas.",
        "Dinas Kesehatan Kabupaten Kutai Kartanegara",
        dt.date(2021, 4, 1),
        (
            (1, VALID),
            (0, VALID),
            (1, VALID),
            (1, INVALID),
            (0, VALID),
            (0, VALID),
            (1, VALID),
            (0, VALID),
        ),
    ),
    Innovation(
        "33.74",
        "kota",
        "Aplikasi aduan warga Kota Semarang",
        "Aduan warga masuk satu kanal, ditindaklanjuti OPD dan dipantau wali kota.",
        "Dinas Komunikasi, Informatika, Statistik dan Persandian Kota Semarang",
        dt.date(2016, 8, 1),
        _all(2),
    ),
    Innovation(
        "73.71",
        "kota",
        "Layanan kesehatan ke rumah warga Makassar",
        "Dokter dan perawat datang ke rumah warga yang memanggil lewat telepon.",
        "Dinas Kesehatan Kota Makassar",
        dt.date(2017, 3, 1),
        (
            (2, VALID),
            (2, VALID),
            (1, VALID),
            (2, VALID),
            (1, VALID),
            (2, VALID),
            (1, VALID),
            (1, VALID),
        ),
    ),
    Innovation(
        "64.72",
        "kota",
        "Samarinda bebas banjir: sensor muka air",
        "Sensor di sungai memberi peringatan dini kepada warga dan petugas.",
        "Dinas Pekerjaan Umum dan Penataan Ruang Kota Samarinda",
        dt.date(2020, 11, 1),
        (
            (1, VALID),
            (1, VALID),
            (2, VALID),
            (1, VALID),
            (1, INVALID),
            (0, VALID),
            (1, VALID),
            (1, VALID),
        ),
    ),
    Innovation(
        "35.78",
        "kota",
        "Sekolah gratis dengan rapor daring",
        "Orang tua memantau kehadiran dan nilai anak lewat aplikasi sekolah.",
        "Dinas Pendidikan Kota Surabaya",
        dt.date(2018, 7, 1),
        (
            (2, VALID),
            (2, VALID),
            (2, VALID),
            (2, VALID),
            (1, VALID),
            (1, VALID),
            (2, VALID),
            (1, VALID),
        ),
    ),
    Innovation(
        "65.03",
        "perbatasan",
        "Pos layanan terpadu di perbatasan Nunukan",
        "Warga perbatasan mengurus dokumen kependudukan tanpa ke ibu kota kabupaten.",
        "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Nunukan",
        dt.date(2020, 1, 1),
        (
            (1, VALID),
            (1, VALID),
            (1, VALID),
            (1, VALID),
            (1, VALID),
            (0, VALID),
            (1, VALID),
            (1, VALID),
        ),
    ),
    Innovation(
        "61.07",
        "perbatasan",
        "Pasar rakyat lintas batas Bengkayang",
        "Pelaku usaha kecil menjual hasil bumi di pasar dekat pos lintas batas.",
        "Dinas Perindustrian dan Perdagangan Kabupaten Bengkayang",
        dt.date(2021, 2, 1),
        (
            (0, VALID),
            (0, INVALID),
            (1, VALID),
            (1, VALID),
            (0, VALID),
            (0, VALID),
            (0, VALID),
            (1, VALID),
        ),
    ),
    Innovation(
        "52.08",
        "tertinggal",
        "Air bersih untuk dusun di lereng Rinjani",
        "Jaringan pipa dan pengelola dusun menyalurkan air bersih ke rumah warga.",
        "Dinas Pekerjaan Umum dan Perumahan Rakyat Kabupaten Lombok Utara",
        dt.date(2020, 6, 1),
        (
            (1, VALID),
            (1, VALID),
            (0, VALID),
            (2, VALID),
            (1, VALID),
            (0, VALID),
            (0, VALID),
            (2, VALID),
        ),
    ),
    Innovation(
        "53.14",
        "tertinggal",
        "Kelas jarak jauh untuk pulau-pulau Rote Ndao",
        "Guru mengajar siswa di pulau kecil lewat radio dan pesan singkat.",
        "Dinas Pendidikan Kabupaten Rote Ndao",
        dt.date(2021, 7, 1),
        _all(1, MISSING),
    ),
    Innovation(
        "94.04",
        "papua",
        "Lapor Akai Meno",
        "Keluhan, aduan, aspirasi dan informasi warga dilaporkan daring lalu "
        "diteruskan ke perangkat daerah yang berwenang.",
        "Dinas Komunikasi dan Informatika Kabupaten Mimika",
        dt.date(2017, 1, 1),
        (
            (1, VALID),
            (1, VALID),
            (2, VALID),
            (1, VALID),
            (1, VALID),
            (0, VALID),
            (2, VALID),
            (1, VALID),
        ),
    ),
]

# The verification team (validators) and the presentation panel: illustrative people,
# each with a home region, so the platform's conflict rules apply to them.
VALIDATORS = [
    ("validator.dewi@inovasi.demo", "Dewi Anggraini (ilustrasi)", "31.71"),
    ("validator.bayu@inovasi.demo", "Bayu Nugroho (ilustrasi)", "34.71"),
]
QC_REVIEWER = ("mutu.hana@inovasi.demo", "Hana Siregar (ilustrasi)", "12.71")
PANEL = [
    ("panelis.arif@inovasi.demo", "Prof. Arif Wibowo (ilustrasi)", "34.04"),
    ("panelis.maria@inovasi.demo", "Maria Tanamal (ilustrasi)", "81.71"),
    ("panelis.rudi@inovasi.demo", "Rudi Hartono (ilustrasi)", "36.71"),
    ("panelis.sinta@inovasi.demo", "Sinta Maharani (ilustrasi)", "63.71"),
]

# Each stage: its order, name, kind, window and settings.
STAGES = [
    (1, "Verifikasi administrasi", "screening", wib(2023, 7, 3), wib(2023, 7, 10), {}),
    (
        2,
        "Validasi indikator Indeks Inovasi Daerah",
        "indicator",
        wib(2023, 7, 11),
        wib(2023, 8, 18),
        {"judges_per_entry": 1, "advance_per_category": 2, "qc_sample_percent": 10},
    ),
    (
        3,
        "Presentasi dan wawancara",
        "scoring",
        wib(2023, 9, 11, 8),
        wib(2023, 9, 15, 17),
        {"judges_per_entry": 3},
    ),
]
# The presentation sessions: two days, 45 minutes each with a 15-minute pause.
SESSION_DAYS = [wib(2023, 9, 11, 8), wib(2023, 9, 12, 8)]
SESSION_MINUTES = 45
SESSION_GAP_MINUTES = 15
SESSIONS_PER_DAY = 7
SESSION_PLACE = "Ruang rapat BSKDN, Jakarta, dan daring"
SESSION_LINK = "https://meet.example.org/iga-2023-presentasi"
