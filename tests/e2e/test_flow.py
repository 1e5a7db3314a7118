"""Issue #6: one innovation from the delegate's draft to the published results.

Against the live server, in one browser page (the users sign in and out in turn):

1. a delegate of Kota Bima writes an entry, uploads two files at once (the upload
   <progress> bar moves), and submits it through the confirmation;
2. the submission window closes (the clock moves through the ORM, see
   flow_support.move_to_screening); an organizer screens the entry (each piece of
   evidence valid, the entry eligible);
3. the scoring stage opens (flow_support.move_to_scoring); the organizer runs the
   assignment (2 judges per entry, both judges on the category's panel);
4. a judge scores: the draft autosaves (htmx), survives a reload, and is submitted;
   the second judge's sheet is recorded through the service (the same form twice
   would add time, not coverage);
5. the organizer gives the places and publishes the final results;
6. an anonymous visitor reads the public results and downloads the certificate.

Once in Indonesian, once in English, once on a phone. Every page visited passes
support.check_page (styled, axe without serious or critical violations, no sideways
scroll) and no JavaScript error reaches the console.
"""

from __future__ import annotations

import re

import pytest

from tests.e2e.flow_support import (
    DELEGATE_EMAIL,
    JUDGE_EMAILS,
    ORGANIZER_EMAIL,
    PASSWORD,
    UploadThrottle,
    accept_dialogs,
    build_flow,
    check,
    evidence_files,
    fill,
    move_to_scoring,
    move_to_screening,
    recorded_upload_progress,
    screenshot_first_screen,
    sign_out,
    wait_for_autosave,
    watch_upload_progress,
)
from tests.e2e.support import activate, expect, follow, open_menu, sign_in, visit

pytestmark = [pytest.mark.django_db(transaction=True)]

ENTRY = {
    "title": "Saninu: lapor warga satu pintu",
    "summary": "Warga melapor keluhan lewat aplikasi Saninu; Command Center "
    "meneruskannya ke OPD yang bertanggung jawab.",
    "problem": "Keluhan warga tersebar di banyak saluran dan sulit dilacak.",
    "solution": "Satu aplikasi pelaporan dan pusat kendali yang membagi laporan "
    "ke OPD terkait dengan tenggat penanganan.",
    "impact": "Laporan tertangani lebih cepat dan warga dapat memantau prosesnya.",
    "started_on": "2021-03-01",
    "agency": "Dinas Komunikasi dan Informatika Kota Bima",
    "links": "https://bimakota.go.id/saninu",
}
SCORES = {  # criterion order: (score, comment)
    1: ("8", "Gagasan baru untuk Kota Bima."),
    2: ("7", "Manfaat terukur bagi warga."),
    3: ("9", "Mudah ditiru daerah lain."),
}
OTHER_JUDGE_SCORES = {1: "7", 2: "8", 3: "8"}
FINAL_SCORE = re.compile(r"77[.,]50")  # "77,50" in Indonesian
OVERALL_COMMENT = "Inovasi matang; perluas ke layanan kecamatan."
TEXT = {
    "id": {
        "submitted": "Entri telah diajukan.",
        "autosaved": "Draf tersimpan pukul",
        "to_score": "Belum dinilai",
    },
    "en": {
        "submitted": "The entry was submitted.",
        "autosaved": "Draft saved at",
        "to_score": "Still to score",
    },
}
FLOWS = pytest.mark.parametrize(
    ("viewport", "language"),
    [("desktop", "id"), ("desktop", "en"), ("phone", "id")],
    indirect=True,
)


# ---------- 1. the delegate ----------


def delegate_writes_and_submits(page, flow, language, tmp_path, asked) -> None:
    from submissions.models import Submission

    sign_in(page, DELEGATE_EMAIL, PASSWORD)
    expect(page.locator("html")).to_have_attribute("lang", language)
    open_menu(page)
    follow(page, page.locator('#site-nav a[href="/entries/"]'))
    check(page)
    slug = flow.contest.slug
    follow(page, page.locator(f'main a[href="/entries/{slug}/new/"]'))
    expect(page).to_have_url(re.compile(rf"/entries/{slug}/new/$"))
    expect(page.locator("#id_category")).to_have_value(str(flow.category.pk))
    for name, value in ENTRY.items():
        if name == "started_on":
            page.fill(f"#id_{name}", value)
        else:
            fill(page, f"#id_{name}", value)
    check(page, screenshot_name=f"entry-form-{language}")
    follow(page, page.locator("#entry-form button[type=submit]"))

    entry = Submission.objects.get(contest=flow.contest)
    assert (entry.title, entry.region_id, entry.state) == (
        ENTRY["title"],
        "52.72",
        "draft",
    )
    evidence_url = f"/entries/{slug}/{entry.pk}/evidence/"
    expect(page).to_have_url(re.compile(re.escape(evidence_url) + "$"))
    check(page)

    # Two files at once, tied to the first criterion, with the upload slowed down so
    # that the XMLHttpRequest reports progress while it sends.
    files = evidence_files(tmp_path / "evidence")
    page.set_input_files("#evidence-upload input[type=file]", files)
    page.select_option(
        "#evidence-upload select[name=criterion]",
        label=f"{flow.scoring.name} · {flow.criteria[0].name}",
    )
    watch_upload_progress(page, "#evidence-upload")
    throttle = UploadThrottle(page, bytes_per_second=1024 * 1024)
    try:
        progress = page.locator("#evidence-upload [data-progress-target]")
        activate(page, page.locator("#evidence-upload button[type=submit]"))
        expect(progress).to_be_visible()
        expect(page.locator("#evidence-upload")).to_have_attribute("aria-busy", "true")
        # app.js replaces the document with the page the upload redirected to.
        expect(page.locator("#evidence-upload [data-progress-box]")).to_be_hidden(
            timeout=20_000
        )
    finally:
        throttle.stop()
    expect(page).to_have_url(re.compile(re.escape(evidence_url) + "$"))
    log = recorded_upload_progress(page)
    assert log["shown"], f"the progress bar was never shown: {log}"
    assert max(log["values"], default=0) > 0, f"the progress stayed at 0: {log}"
    assert any(0 < v < 100 for v in log["values"]), (
        f"no intermediate progress while the files were sent: {log}"
    )
    assert log["values"][-1] == 100, log
    check(page, screenshot_name=f"evidence-upload-{language}")
    names = [f.name for f in files]
    for name in names:
        expect(page.locator("main")).to_contain_text(name)
    stored = list(entry.evidence.order_by("pk"))
    assert [e.original_name for e in stored] == names
    assert [e.criterion_id for e in stored] == [flow.criteria[0].pk] * 2
    assert stored[1].thumbnail, "the photo got no thumbnail"

    # Check and submit: the page lists what is missing (nothing), the button asks
    # for confirmation first.
    follow(page, page.locator(f'main a[href="/entries/{slug}/{entry.pk}/submit/"]'))
    check(page)
    # Nothing is missing: no "fill them in" or "attach evidence" link.
    expect(page.locator("section[aria-labelledby=check-heading] a")).to_have_count(0)
    submit = page.locator(f'main form[action="/entries/{slug}/{entry.pk}/submit/"]')
    asked.clear()
    follow(page, submit.locator("button[type=submit]"))
    assert len(asked) == 1, f"the submit button asked {asked}"
    expect(page).to_have_url(re.compile(rf"/entries/{slug}/{entry.pk}/$"))
    expect(page.locator(".toast").first).to_contain_text(TEXT[language]["submitted"])
    check(page)
    entry.refresh_from_db()
    assert entry.state == "submitted"
    assert entry.submitted_at is not None
    sign_out(page)


# ---------- 2. and 3. the organizer: screening, assignment ----------


def organizer_screens(page, flow, language) -> None:
    from submissions.models import Submission

    entry = Submission.objects.get(contest=flow.contest)
    slug = flow.contest.slug
    sign_in(page, ORGANIZER_EMAIL, PASSWORD)
    open_menu(page)
    follow(page, page.locator('#site-nav a[href="/manage/"]'))
    check(page)
    follow(page, page.locator(f'main a[href="/manage/{slug}/"]'))
    check(page)
    follow(page, page.locator(f'main a[href="/manage/{slug}/screening/"]'))
    check(page)
    follow(page, page.get_by_role("link", name=ENTRY["title"]))
    expect(page).to_have_url(re.compile(rf"/manage/{slug}/screening/{entry.pk}/$"))
    check(page)

    for evidence in entry.evidence.order_by("pk"):
        card = page.locator(f"#evidence-{evidence.pk}")
        card.locator("select").select_option("valid")
        follow(page, card.locator("button[type=submit]"))
        # "Valid" in both languages.
        expect(page.locator(f"#evidence-{evidence.pk} .badge")).to_have_text("Valid")
    assert set(entry.evidence.values_list("review_status", flat=True)) == {"valid"}

    page.locator("input[name='screen-decision'][value='eligible']").check()
    fill(page, "#id_screen-reason", "Lengkap dan sesuai ketentuan.")
    check(page, screenshot_name=f"screening-{language}")
    follow(page, page.locator(f'form[action$="/screening/{entry.pk}/screen/"] button'))
    check(page)
    entry.refresh_from_db()
    assert entry.state == "eligible"


def organizer_runs_assignment(page, flow, language, asked) -> None:
    from judging.models import Assignment

    slug = flow.contest.slug
    visit(page, f"/manage/{slug}/")
    follow(page, page.locator(f'main a[href="/manage/{slug}/judging/"]'))
    check(page)
    url = f"/manage/{slug}/judging/stages/{flow.scoring.pk}/assignments/"
    follow(page, page.locator(f'main a[href="{url}"]'))
    check(page)
    expect(page.locator("#id_judges_per_entry")).to_have_value("2")
    asked.clear()
    follow(page, page.locator("main form:not(#add-assignment) button[type=submit]"))
    assert len(asked) == 1, f"running the assignment asked {asked}"
    expect(page.locator("#result-heading")).to_be_visible()
    check(page, screenshot_name=f"assignment-{language}")
    pairs = set(
        Assignment.objects.filter(stage=flow.scoring).values_list(
            "judge__user__email", "submission__title"
        )
    )
    assert pairs == {(email, ENTRY["title"]) for email in JUDGE_EMAILS}
    sign_out(page)


# ---------- 4. the judges ----------


def judge_scores(page, flow, language, asked) -> None:
    from judging.models import Assignment

    assignment = Assignment.objects.get(
        stage=flow.scoring, judge__user__email=JUDGE_EMAILS[0]
    )
    sign_in(page, JUDGE_EMAILS[0], PASSWORD)
    open_menu(page)
    follow(page, page.locator('#site-nav a[href="/assignments/"]'))
    check(page)
    sheet_url = f"/assignments/{assignment.pk}/"
    follow(page, page.locator(f'main td.actions a[href="{sheet_url}"]'))
    expect(page).to_have_url(re.compile(re.escape(sheet_url) + "$"))
    check(page)

    for criterion in flow.criteria:
        score, comment = SCORES[criterion.order]
        fill(page, f"#id_score_{criterion.pk}", score)
        fill(page, f"#id_note_{criterion.pk}", comment)
    fill(page, "#id_comment", OVERALL_COMMENT)
    page.locator("#id_comment").blur()
    wait_for_autosave(page, TEXT[language]["autosaved"])
    expect(page.locator("#save-status")).not_to_contain_text(TEXT[language]["to_score"])
    check(page)

    page.reload()
    check(page)
    screenshot_first_screen(page, f"scoring-{language}")
    for criterion in flow.criteria:
        score, comment = SCORES[criterion.order]
        expect(page.locator(f"#id_score_{criterion.pk}")).to_have_value(score)
        expect(page.locator(f"#id_note_{criterion.pk}")).to_have_value(comment)
    expect(page.locator("#id_comment")).to_have_value(OVERALL_COMMENT)

    asked.clear()
    follow(page, page.locator("button[name=action][value=submit]"))
    assert len(asked) == 1, f"submitting the sheet asked {asked}"
    expect(page).to_have_url(re.compile(r"/assignments/$"))
    check(page)
    assignment.refresh_from_db()
    assert assignment.sheet.state == "submitted"
    sign_out(page)


def other_judge_scores(flow) -> None:
    """The second judge's sheet, through the same service the form calls."""
    from judging import services
    from judging.models import Assignment

    assignment = Assignment.objects.get(
        stage=flow.scoring, judge__user__email=JUDGE_EMAILS[1]
    )
    sheet = services.ensure_sheet(assignment=assignment)
    services.record_sheet(
        sheet=sheet,
        scores=[
            {"criterion": c.pk, "value": OTHER_JUDGE_SCORES[c.order], "comment": ""}
            for c in flow.criteria
        ],
        comment="",
        submit=True,
        version=sheet.version,
        by=assignment.judge.user,
    )


# ---------- 5. and 6. results, publication, the public ----------


def organizer_publishes(page, flow, language, asked) -> None:
    from results.models import Publication

    slug = flow.contest.slug
    sign_in(page, ORGANIZER_EMAIL, PASSWORD)
    visit(page, f"/manage/{slug}/results/")
    # The preview of the final standings: the mean of the two sheets, 79 and 76.
    standings = page.locator("#standings-heading + p + .table-wrap")
    expect(standings).to_contain_text(ENTRY["title"])
    expect(standings.locator("tbody tr").first).to_contain_text(FINAL_SCORE)
    follow(page, page.locator(f'main .tabs a[href="/manage/{slug}/results/awards/"]'))
    check(page)
    places = page.locator(f'main form[action="/manage/{slug}/results/awards/places/"]')
    follow(page, places.locator("button[type=submit]"))
    check(page)
    expect(page.locator("main table")).to_contain_text(ENTRY["title"])
    follow(page, page.locator(f'main .tabs-sub a[href="/manage/{slug}/results/"]'))
    check(page)
    _special_award(flow)
    asked.clear()
    publish = page.locator(f'main form[action="/manage/{slug}/results/publish/"]')
    follow(page, publish.locator("button[name=kind][value=final]"))
    assert len(asked) == 1, f"publishing asked {asked}"
    publication = Publication.objects.get(contest=flow.contest)
    assert publication.kind == "final"
    expect(page.locator("main")).to_contain_text(publication.digest)
    check(page, screenshot_name=f"results-{language}")
    sign_out(page)


# A special award with a long name: its badge wraps inside the gallery's card,
# even at 360 px (it once widened the page to 395 px).
SPECIAL_AWARD = "Penghargaan Khusus Inovasi Pelayanan Publik Berbasis Digital Terbaik"


def _special_award(flow) -> None:
    """Given through the service the awards page uses (its form is another
    test's)."""
    from results.enums import AwardKind
    from results.services import assign_award
    from submissions.models import Submission

    assign_award(
        contest=flow.contest,
        name=SPECIAL_AWARD,
        kind=AwardKind.SPECIAL,
        submission=Submission.objects.get(contest=flow.contest),
        by=flow.contest.organizers.first().user,
    )


def visitor_reads_results(page, flow, language) -> None:
    slug = flow.contest.slug
    visit(
        page, f"/contests/{slug}/results/", screenshot_name=f"public-results-{language}"
    )
    expect(page.locator("html")).to_have_attribute("lang", language)
    winner = page.locator("main .winner")
    expect(winner).to_contain_text(ENTRY["title"])
    expect(winner).to_contain_text(FINAL_SCORE)
    expect(winner.locator("img.winner-photo")).to_be_visible()
    certificate = page.locator(
        f'main a[href^="/contests/{slug}/results/certificates/"]'
    )
    # One certificate per award: the place and the special award.
    expect(certificate).to_have_count(2)
    href = certificate.first.get_attribute("href")
    response = page.request.get(href)
    assert response.ok, f"GET {href} answered {response.status}"
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
    visit(page, f"/contests/{slug}/results/gallery/")
    expect(page.locator("main .gallery .badge", has_text=SPECIAL_AWARD)).to_be_visible()


@FLOWS
def test_entry_from_draft_to_published_results(page, language, viewport, tmp_path):
    flow = build_flow()
    asked = accept_dialogs(page)

    delegate_writes_and_submits(page, flow, language, tmp_path, asked)
    # Time passes (the dates are moved through the ORM, nothing else changes): the
    # submission window closes and the screening stage opens.
    move_to_screening(flow)
    organizer_screens(page, flow, language)
    # Screening is over and the scoring stage opens (ORM again).
    move_to_scoring(flow)
    organizer_runs_assignment(page, flow, language, asked)
    judge_scores(page, flow, language, asked)
    other_judge_scores(flow)
    organizer_publishes(page, flow, language, asked)
    visitor_reads_results(page, flow, language)
