"""The whole life of a contest, through HTTP, by a client written only from the REST
API contract of DESIGN.md (tests/contract/client.py): create, categories, stages,
rubric, delegates, judges, entries with evidence, submit, screen, assign, sheets
without `version`, results, advance through three scoring stages, awards, publish;
then the public reads the results and checks the digest.

Outside HTTP, only what the contract does not cover: the region registry is loaded,
the organizer's account (one who may create contests, address verified) exists, and
each invited delegate and judge "clicks the link in the invitation" (sets a password
and has a verified address) through the ORM. Time moves as a client moves it: by
PATCHing the contest's submission window and the stages' windows.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.contract.client import (
    Api,
    canonical_digest,
    expect,
    find_dicts,
    id_of,
    small_pdf,
    strings_in,
)

pytestmark = [pytest.mark.django_db(transaction=True)]

PASSWORD = "kontes-kepala-daerah-2023"
SLUG = "kontes-kepala-daerah-inovatif-2023"
CONTEST = f"/api/v1/contests/{SLUG}"

# Delegates' regions (NTB, Bali, Jawa Barat) and judges' home regions (far away:
# Papua Tengah, Kalimantan Timur, Riau, Sulawesi Utara), so no judge is conflicted.
DELEGATE_REGIONS = ["52.72", "52.02", "51.08", "32.73"]
JUDGE_HOMES = ["94.04", "64.72", "14.08", "71.73"]
# A judge's leniency: what they add to every score.
JUDGE_BIAS = [1, 0, 0, -1]
# The true quality of each entry, per (region, category): within a category 2 apart,
# more than any pair of judges' biases can move a raw mean.
QUALITY = {
    "pelayanan-publik": [9, 7, 5, 3],
    "kesehatan": [4, 8, 6, 2],
}
SCORING_STAGES = [
    # Each scoring stage: its name, order, advance per category and rubric.
    ("Evaluasi dokumen", 2, 3, [("Kebaruan", 40), ("Kemanfaatan", 60)]),
    (
        "Presentasi dan wawancara",
        3,
        2,
        [
            ("Kebaruan", 30),
            ("Kemanfaatan", 25),
            ("Kewenangan dan kolaborasi", 15),
            ("Replikasi", 20),
            ("Penguasaan materi", 10),
        ],
    ),
    ("Verifikasi lapangan", 4, 1, [("Keberlanjutan", 50), ("Dampak nyata", 50)]),
]


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat()


def later(days: int) -> str:
    return (dt.datetime.now(dt.UTC) + dt.timedelta(days=days)).isoformat()


def organizer_account(email: str) -> None:
    """A ministry staff member who may create contests, address verified."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(
        email=email, password=PASSWORD, name="Panitia Kemendagri"
    )
    user.can_create_contests = True
    user.save()
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)


def click_invitation_link(email: str) -> None:
    """What the invited person does outside the API: follows the link in the
    invitation, sets a password, and so has a verified address."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(email__iexact=email)
    user.set_password(PASSWORD)
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


def region_types(public: Api, codes: list[str]) -> dict[str, str]:
    """The `type` of each region, read from the registry."""
    types = {}
    for code in codes:
        rows = public.every(f"/api/v1/regions/?province={code.split('.')[0]}")
        (row,) = [row for row in rows if row["code"] == code]
        types[code] = row["type"]
    return types


def submission_of(row: dict) -> int:
    """The entry a row (assignment, result) is about."""
    key = "submission" if "submission" in row else "submission_id"
    return id_of(row[key])


def score_rows(results: dict) -> list[dict]:
    return find_dicts(results, "raw_score")


class Life:
    """The contest as the test's participants know it."""

    def __init__(self, base_url: str) -> None:
        self.public = Api(base_url)
        self.organizer: Api
        self.categories: dict[str, int] = {}
        self.screening: int
        self.stages: list[int] = []
        self.rubric: dict[int, list[int]] = {}
        self.delegates: dict[str, Api] = {}
        self.judges: list[Api] = []
        self.judge_ids: list[int] = []
        # submission id -> (category slug, quality)
        self.entries: dict[int, tuple[str, int]] = {}
        self.titles: dict[int, str] = {}

    def move_window(self, stage: int, **window: str) -> None:
        expect(self.organizer.patch(f"{CONTEST}/stages/{stage}/", window), 200)


def create_contest(life: Life) -> None:
    organizer_account("panitia@kemendagri.go.id")
    life.organizer = life.public.signed_in("panitia@kemendagri.go.id", PASSWORD)
    types = region_types(life.public, DELEGATE_REGIONS)

    created = expect(
        life.organizer.post(
            "/api/v1/contests/",
            {
                "name": "Kontes Kepala Daerah Inovatif 2023",
                "slug": SLUG,
                "host_region": "52.72",
                "timezone": "Asia/Makassar",
                "submission_opens": (
                    dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
                ).isoformat(),
                "submission_closes": later(1),
                "eligible_region_types": sorted(set(types.values())),
                "max_entries_per_region": 2,
                "is_public": False,
            },
        ),
        201,
    )

    assert created.body["slug"] == SLUG
    assert expect(life.organizer.get(f"{CONTEST}/"), 200).body["slug"] == SLUG
    # Not announced: the public does not know it exists.
    expect(life.public.get(f"{CONTEST}/"), 404)
    assert SLUG not in {row["slug"] for row in life.public.every("/api/v1/contests/")}


def configure(life: Life) -> None:
    for slug, name in [
        ("pelayanan-publik", "Pelayanan Publik"),
        ("kesehatan", "Kesehatan"),
    ]:
        answer = life.organizer.post(
            f"{CONTEST}/categories/",
            {"name": name, "slug": slug, "description": f"Inovasi bidang {name}."},
        )
        life.categories[slug] = expect(answer, 201).body["id"]
    listed = life.organizer.every(f"{CONTEST}/categories/")
    assert {row["slug"] for row in listed} >= set(life.categories)

    life.screening = expect(
        life.organizer.post(
            f"{CONTEST}/stages/",
            {
                "name": "Seleksi administrasi",
                "order": 1,
                "kind": "screening",
                "opens": later(2),
                "closes": later(3),
            },
        ),
        201,
    ).body["id"]
    for number, (name, order, advance, rubric) in enumerate(SCORING_STAGES):
        stage = expect(
            life.organizer.post(
                f"{CONTEST}/stages/",
                {
                    "name": name,
                    "order": order,
                    "kind": "scoring",
                    "opens": later(4 + 2 * number),
                    "closes": later(5 + 2 * number),
                    "judges_per_entry": 2,
                    "advance_per_category": advance,
                },
            ),
            201,
        ).body["id"]
        life.stages.append(stage)
        life.rubric[stage] = [
            expect(
                life.organizer.post(
                    f"{CONTEST}/stages/{stage}/criteria/",
                    {
                        "name": criterion,
                        "description": f"{criterion} inovasi.",
                        "weight": weight,
                        "min_score": 1,
                        "max_score": 10,
                        "levels": [],
                    },
                ),
                201,
            ).body["id"]
            for criterion, weight in rubric
        ]
    listed = life.organizer.every(f"{CONTEST}/stages/")
    assert {row["id"] for row in listed} == {life.screening, *life.stages}


def invite(life: Life) -> None:
    for number, code in enumerate(DELEGATE_REGIONS):
        email = f"operator{number}@pemda-{code.replace('.', '-')}.go.id"
        answer = life.organizer.post(
            f"{CONTEST}/delegates/", {"email": email, "region": code}
        )
        expect(answer, 200, 201)
        click_invitation_link(email)
        life.delegates[code] = life.public.signed_in(email, PASSWORD)

    for number, home in enumerate(JUDGE_HOMES):
        email = f"juri{number}@universitas.ac.id"
        answer = life.organizer.post(
            f"{CONTEST}/judges/",
            {
                "email": email,
                "name": f"Juri {number + 1}",
                "home_region": home,
                "categories": sorted(life.categories.values()),
            },
        )
        life.judge_ids.append(expect(answer, 200, 201).body["id"])
        click_invitation_link(email)
        life.judges.append(life.public.signed_in(email, PASSWORD))
    listed = life.organizer.every(f"{CONTEST}/judges/")
    assert {row["id"] for row in listed} == set(life.judge_ids)


def enter(life: Life) -> None:
    pdf = small_pdf()
    for number, (code, delegate) in enumerate(life.delegates.items()):
        for slug, category in life.categories.items():
            title = f"Inovasi {slug} {code}"
            if number == 3 and slug == "kesehatan":
                title = "Layad Rawat \N{EN DASH} kunjungan rumah tenaga kesehatan"
            created = expect(
                delegate.post(
                    f"{CONTEST}/submissions/",
                    {
                        "category": category,
                        "title": title,
                        "summary": "Ringkasan sementara.",
                        "problem": "Keluhan warga tersebar dan sulit dilacak.",
                        "solution": "Satu pintu pelaporan daring.",
                        "impact": "Laporan tertangani lebih cepat.",
                        "started_on": "2021-03-01",
                        "agency": "Dinas Komunikasi dan Informatika",
                    },
                ),
                201,
            )
            entry = created.body["id"]
            path = f"{CONTEST}/submissions/{entry}/"

            # A draft is editable by its delegates.
            expect(delegate.patch(path, {"summary": f"Ringkasan {title}."}), 200)
            assert expect(delegate.get(path), 200).body["summary"] == (
                f"Ringkasan {title}."
            )
            expect(
                delegate.post(
                    f"{path}evidence/",
                    {"title": "Surat keputusan"},
                    files={"file": ("sk.pdf", pdf, "application/pdf")},
                ),
                201,
            )
            expect(
                delegate.post(
                    f"{path}evidence/",
                    {"title": "Video", "url": "https://www.youtube.com/watch?v=xyz"},
                ),
                201,
            )
            expect(delegate.post(f"{path}submit/"), 200, 201)

            quality = QUALITY[slug][number]
            life.entries[entry] = (slug, quality)
            life.titles[entry] = title
        # A delegate reads their own region's entries only.
        mine = {row["id"] for row in delegate.every(f"{CONTEST}/submissions/")}
        assert mine == set(list(life.entries)[-len(life.categories) :])
    every = {row["id"] for row in life.organizer.every(f"{CONTEST}/submissions/")}
    assert every == set(life.entries)


def screen(life: Life) -> None:
    expect(life.organizer.patch(f"{CONTEST}/", {"submission_closes": now()}), 200)
    life.move_window(life.screening, opens=now())

    for entry in life.entries:
        expect(
            life.organizer.post(
                f"{CONTEST}/submissions/{entry}/screen/",
                {"eligible": True, "reason": "Lengkap."},
            ),
            200,
            201,
        )

    life.move_window(life.screening, closes=now())


def write_sheet(judge: Api, assignment: int, criteria: list[int], value: int) -> None:
    """A sheet without `version` (nor If-Match): a draft first, then the final
    submitted one, each applied whole."""
    path = f"/api/v1/assignments/{assignment}/sheet/"
    draft = {
        "scores": [
            {"criterion": criterion, "value": 1, "comment": "Sementara."}
            for criterion in criteria
        ],
        "comment": "Draf.",
        "submit": False,
    }
    expect(judge.put(path, draft), 200)
    stored = expect(judge.get(path), 200)
    assert stored.header("ETag"), str(stored)
    assert {
        (id_of(score["criterion"]), Decimal(str(score["value"])))
        for score in stored.body["scores"]
    } == {(criterion, Decimal(1)) for criterion in criteria}

    final = {
        "scores": [
            {"criterion": criterion, "value": value, "comment": "Data dukung lengkap."}
            for criterion in criteria
        ],
        "comment": "Layak.",
        "submit": True,
    }
    expect(judge.put(path, final), 200)


def check_stale_if_match(judge: Api, assignment: int, criteria: list[int]) -> None:
    """A PUT with a stale If-Match answers 409 and writes nothing."""
    path = f"/api/v1/assignments/{assignment}/sheet/"
    draft = {
        "scores": [{"criterion": c, "value": 2, "comment": ""} for c in criteria],
        "comment": "Pertama.",
        "submit": False,
    }
    expect(judge.put(path, draft), 200)
    etag = expect(judge.get(path), 200).header("ETag")
    expect(judge.put(path, {**draft, "comment": "Kedua."}), 200)

    stale = judge.put(path, {**draft, "comment": "Basi."}, headers={"If-Match": etag})

    expect(stale, 409)
    assert expect(judge.get(path), 200).body["comment"] == "Kedua."


def score_stage(life: Life, stage: int, expected: set[int]) -> None:
    life.move_window(stage, opens=now())
    expect(
        life.organizer.post(
            f"{CONTEST}/stages/{stage}/assign/", {"judges_per_entry": 2}
        ),
        200,
        201,
    )

    # The stage holds exactly what reached it, each entry with 2 judges.
    assignments = life.organizer.every(f"{CONTEST}/stages/{stage}/assignments/")
    by_entry: dict[int, list[int]] = {}
    for row in assignments:
        by_entry.setdefault(submission_of(row), []).append(id_of(row["judge"]))
    assert set(by_entry) == expected
    assert all(len(set(judges)) == 2 for judges in by_entry.values()), by_entry
    stage_assignments = {row["id"]: submission_of(row) for row in assignments}

    criteria = [
        row["id"] for row in life.judges[0].every(f"{CONTEST}/stages/{stage}/criteria/")
    ]
    assert sorted(criteria) == sorted(life.rubric[stage])
    seen: set[int] = set()
    for number, judge in enumerate(life.judges):
        for row in judge.every("/api/v1/assignments/"):
            if row["id"] not in stage_assignments:
                continue
            assert len(find_dicts(row, "evidence")) >= 1, row
            entry = stage_assignments[row["id"]]
            assert submission_of(row) == entry
            if not seen and stage == life.stages[0]:
                check_stale_if_match(judge, row["id"], criteria)
            value = life.entries[entry][1] + JUDGE_BIAS[number]
            write_sheet(judge, row["id"], criteria, value)
            seen.add(row["id"])
    assert seen == set(stage_assignments)

    # A submitted sheet is read-only.
    (first, entry) = next(iter(stage_assignments.items()))
    owner = next(
        judge
        for judge in life.judges
        if first in {row["id"] for row in judge.every("/api/v1/assignments/")}
    )
    path = f"/api/v1/assignments/{first}/sheet/"
    before = expect(owner.get(path), 200).body
    refused = owner.put(
        path,
        {
            "scores": [{"criterion": c, "value": 10, "comment": ""} for c in criteria],
            "comment": "Ubah.",
            "submit": True,
        },
    )
    expect(refused, 403, 409)
    assert expect(owner.get(path), 200).body == before

    life.move_window(stage, closes=now())


def check_results(life: Life, stage: int, expected: set[int]) -> dict[int, int]:
    """The stage's results; answers {entry: rank}."""
    answer = expect(life.organizer.get(f"{CONTEST}/stages/{stage}/results/"), 200)
    rows = score_rows(answer.body)
    assert {submission_of(row) for row in rows} == expected, str(answer)
    ranks: dict[int, int] = {}
    for row in rows:
        assert {"normalized_score", "rank", "spread", "sheets"} <= set(row), row
        Decimal(str(row["raw_score"]))
        Decimal(str(row["normalized_score"]))
        sheets = row["sheets"]
        assert (len(sheets) if isinstance(sheets, list) else sheets) == 2, row
        ranks[submission_of(row)] = row["rank"]
    for slug in life.categories:
        in_category = sorted(
            (e for e in expected if life.entries[e][0] == slug),
            key=lambda e: -life.entries[e][1],
        )
        # Ranks within the category, in the order of the entries' true quality:
        # no pair of judges' leniency moves a mean across a 2-point gap.
        assert [ranks[e] for e in in_category] == list(
            range(1, len(in_category) + 1)
        ), ranks
    assert find_dicts(answer.body, "alpha"), str(answer)
    leniency = find_dicts(answer.body, "leniency")
    if len(leniency) == 1 and isinstance(leniency[0]["leniency"], dict | list):
        leniency = leniency[0]["leniency"]
    assert len(leniency) == len(life.judges), str(answer)
    return ranks


def top(life: Life, ranks: dict[int, int], per_category: int) -> set[int]:
    return {entry for entry, rank in ranks.items() if rank <= per_category}


def award_and_publish(life: Life, ranks: dict[int, int]) -> str:
    names = {1: "Terbaik I", 2: "Terbaik II"}
    for entry, rank in ranks.items():
        slug = life.entries[entry][0]
        expect(
            life.organizer.post(
                f"{CONTEST}/awards/",
                {
                    "name": names[rank],
                    "category": life.categories[slug],
                    "submission": entry,
                    "rank": rank,
                },
            ),
            201,
        )
    assert len(life.organizer.every(f"{CONTEST}/awards/")) == len(ranks)
    expect(life.public.get(f"{CONTEST}/results/"), 404)

    published = expect(life.organizer.post(f"{CONTEST}/publish/", {}), 200, 201)

    digest = published.body["digest"]
    assert isinstance(digest, str)
    assert len(digest) == 64
    return digest


def check_public_results(life: Life, digest: str, winners: set[int]) -> None:
    answer = expect(life.public.get(f"{CONTEST}/results/"), 200)

    assert set(answer.body) >= {"snapshot", "digest"}
    assert answer.body["digest"] == digest
    assert canonical_digest(answer.body["snapshot"]) == digest
    assert {life.titles[entry] for entry in winners} <= strings_in(
        answer.body["snapshot"]
    )
    # The final publication announces the contest.
    assert expect(life.public.get(f"{CONTEST}/"), 200).body["slug"] == SLUG
    assert SLUG in {row["slug"] for row in life.public.every("/api/v1/contests/")}


def check_frozen(life: Life) -> None:
    before = expect(life.organizer.get(f"{CONTEST}/"), 200).body
    categories = life.organizer.every(f"{CONTEST}/categories/")
    stages = life.organizer.every(f"{CONTEST}/stages/")
    last = life.stages[-1]
    rubric = life.organizer.every(f"{CONTEST}/stages/{last}/criteria/")

    refused = [
        life.organizer.patch(f"{CONTEST}/", {"name": "Kontes yang diubah"}),
        life.organizer.post(
            f"{CONTEST}/categories/",
            {"name": "Pariwisata", "slug": "pariwisata", "description": ""},
        ),
        life.organizer.patch(f"{CONTEST}/stages/{last}/", {"closes": later(30)}),
        life.organizer.post(
            f"{CONTEST}/stages/{last}/criteria/",
            {
                "name": "Tambahan",
                "description": "",
                "weight": 10,
                "min_score": 1,
                "max_score": 10,
                "levels": [],
            },
        ),
    ]

    assert [answer.status for answer in refused] == [409] * 4, [str(a) for a in refused]
    assert expect(life.organizer.get(f"{CONTEST}/"), 200).body == before
    assert life.organizer.every(f"{CONTEST}/categories/") == categories
    assert life.organizer.every(f"{CONTEST}/stages/") == stages
    assert life.organizer.every(f"{CONTEST}/stages/{last}/criteria/") == rubric


def test_contest_life_through_http(live_server, regions):
    from django.core.cache import cache

    cache.clear()  # the token endpoint's throttle counts per address in the cache
    life = Life(live_server.url)
    create_contest(life)
    configure(life)
    invite(life)
    enter(life)
    screen(life)

    entering = set(life.entries)
    for number, stage in enumerate(life.stages):
        score_stage(life, stage, entering)
        ranks = check_results(life, stage, entering)
        if number < len(life.stages) - 1:
            advance = life.organizer.post(f"{CONTEST}/stages/{stage}/advance/", {})
            expect(advance, 200, 201)
            entering = top(life, ranks, SCORING_STAGES[number][2])
    digest = award_and_publish(life, ranks)

    check_public_results(life, digest, set(ranks))
    check_frozen(life)
