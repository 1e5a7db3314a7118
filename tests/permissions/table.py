"""The permission table: one row per route (by URL name), the expected answer per
method written once, per state only where the contest's life changes it.

An expectation names who is allowed and what everyone else gets:
- `ok`: what an allowed role gets. GETs answer 200 (or a redirect the page makes);
  writes carry an empty body, so PASSED (anything but 401/403/404/405: a 400 or 409
  for the empty body proves the request got past the permission check).
- `deny`: what a signed-in role outside `allow` gets (403), `hide`: the roles that
  may not know the object exists (404).
- `anon`: what anonymous gets when not allowed: pages redirect to the login page,
  the API answers 401.
When a row's object does not exist yet in a state (no assignment before judging),
the allowed roles get 404 too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.permissions.scenario import MISSING, ROLES

WRITES = ("post", "put", "patch", "delete")
PASSED = "passed"  # not 401/403/404/405
LOGIN = "login"  # 302 to the login page
REDIRECT = "redirect"  # 302 elsewhere

EVERYONE = frozenset(ROLES)
SIGNED_IN = EVERYONE - {"anonymous"}
ORGANIZERS = frozenset({"organizer", "superuser"})
JUDGES = frozenset({"judge_assigned", "judge_unassigned", "judge_conflicted"})
DELEGATES = frozenset({"delegate", "other_delegate"})
# Who may not know that the delegate's entry exists (404 on its pages and its API
# routes alike): until judging every judge; from judging on the judge assigned to the
# entry reads it, and gets 403 where it may not act.
ENTRY_STRANGERS = JUDGES | {"other_delegate", "other_organizer"}
JUDGED_ENTRY_STRANGERS = ENTRY_STRANGERS - {"judge_assigned"}


@dataclass(frozen=True)
class Expect:
    allow: frozenset[str]
    ok: int | str = 200
    deny: int | str = 403
    hide: frozenset[str] = frozenset()
    anon: int | str | None = None  # None: LOGIN for pages, 401 for the API

    def status(self, role: str, *, api: bool, missing: bool) -> int | str:
        if role in self.allow:
            return 404 if missing else self.ok
        if role == "anonymous":
            if self.anon is not None:
                return self.anon
            return 401 if api else LOGIN
        if role in self.hide:
            return 404
        return self.deny


def page(allow=ORGANIZERS, ok=200, **extra) -> Expect:
    return Expect(allow=frozenset(allow), ok=ok, **extra)


def write(allow=ORGANIZERS, **extra) -> Expect:
    return Expect(allow=frozenset(allow), ok=PASSED, **extra)


def nobody(status: int | str) -> Expect:
    """Every role gets `status` (the object or the page does not exist yet)."""
    return Expect(allow=EVERYONE, ok=status)


def by_state(**states: Expect) -> dict[str, Expect]:
    """An expectation per state, written as `open=..., judging=...` or with a tuple
    of states joined by `__` (`provisional__final=...`)."""
    table = {}
    for key, expect in states.items():
        for state in key.split("__"):
            table[state] = expect
    return table


@dataclass(frozen=True)
class Row:
    name: str
    methods: dict[str, Expect | dict[str, Expect]]
    # Which scenario object each URL argument is ("pk": "entry").
    objects: dict[str, str] = field(default_factory=dict)
    api: bool = False

    def expect(self, method: str, state: str) -> Expect:
        rule = self.methods[method]
        return rule[state] if isinstance(rule, dict) else rule


def _rows(*rows: Row) -> dict[str, Row]:
    return {row.name: row for row in rows}


ENTRY = {"slug": "contest", "pk": "entry"}
ENTRY_EVIDENCE = {**ENTRY, "evidence_pk": "evidence"}
STAGE = {"slug": "contest", "stage_pk": "stage"}
CONTEST = {"slug": "contest"}
API_CONTEST = {"contest_slug": "contest"}
API_STAGE = {"contest_slug": "contest", "stage_pk": "stage"}

# A contest's own text of one e-mail (judging:template-edit).
EMAIL_TEXT = {"slug": "contest", "event": "=invitation", "language": "=id"}

BEFORE_JUDGING = "open__closed__screening"
JUDGED = "judging__provisional__final"


def on_entry(expect=page, allow=ORGANIZERS, *, judge_reads=False, **extra):
    """An entry's route: the strangers (ENTRY_STRANGERS) get 404; from judging on
    the assigned judge knows the entry, and is among `allow` when `judge_reads`."""
    allow = frozenset(allow)
    judged = allow | {"judge_assigned"} if judge_reads else allow
    return by_state(
        **{
            BEFORE_JUDGING: expect(allow, hide=ENTRY_STRANGERS, **extra),
            JUDGED: expect(judged, hide=JUDGED_ENTRY_STRANGERS, **extra),
        }
    )


delegate_page = on_entry(page, {"delegate"})
delegate_write = on_entry(write, {"delegate"})
screening_page = on_entry(page)
screening_write = on_entry(write)
readers_page = on_entry(page, {"delegate", *ORGANIZERS}, judge_reads=True)
# Once the window has closed the edit page sends the delegate back to the entry.
edit_page = {
    **on_entry(page, {"delegate"}, ok=REDIRECT),
    "open": page({"delegate"}, hide=ENTRY_STRANGERS),
}
# Objections are filed during the provisional publication's window only.
# Objections are filed during the provisional publication's window only (404
# outside it); in it, by the contest's delegates (403 to the others, the superuser
# included, as the service refuses them).
OBJECTORS = DELEGATES
objection_page = by_state(
    open__closed__screening__judging__final=page(frozenset(), hide=SIGNED_IN),
    provisional=page(OBJECTORS),
)
objection_write = by_state(
    open__closed__screening__judging__final=page(frozenset(), hide=SIGNED_IN),
    provisional=write(OBJECTORS),
)
published_page = by_state(
    open__closed__screening__judging=nobody(404),
    provisional__final=page(EVERYONE),
)
# The certificates and each region's feedback come with the final publication only.
final_page = by_state(
    open__closed__screening__judging__provisional=nobody(404),
    final=page(EVERYONE),
)
REGION_READERS = frozenset({"delegate", *ORGANIZERS})
feedback_page = by_state(
    open__closed__screening__judging__provisional=nobody(404),
    final=page(REGION_READERS, hide=SIGNED_IN - REGION_READERS),
)
# The feedback page answers its 404 before it looks at the method.
feedback_other_methods = by_state(
    open__closed__screening__judging__provisional=nobody(404), final=nobody(405)
)

# An entry's dashboard and receipt (delegate helper): its region's delegates and
# the organizers; an assigned judge reads the entry but not these (403). The
# receipt of a draft (the scenario's entry before the window closes) sends back.
ENTRY_FOLLOWERS = frozenset({"delegate", *ORGANIZERS})
follower_page = on_entry(page, ENTRY_FOLLOWERS)
receipt_page = {
    **on_entry(page, ENTRY_FOLLOWERS),
    "open": page(ENTRY_FOLLOWERS, ok=REDIRECT, hide=ENTRY_STRANGERS),
}
JOIN_MISSING = {"slug": "contest", "pk": f"={MISSING}"}

PAGES = _rows(
    Row("home", {"get": page(EVERYONE)}),
    Row("contest:list", {"get": page(EVERYONE)}),
    Row("contest:detail", {"get": page(EVERYONE)}, CONTEST),
    # Where sign-in leads: every signed-in role is sent on to its own page.
    Row("contest:landing", {"get": page(SIGNED_IN, ok=REDIRECT)}),
    Row("contest:manage", {"get": page(SIGNED_IN)}),
    # Only a user who may create contests (the superuser here) may.
    Row("contest:create", {"get": page({"superuser"}), "post": write({"superuser"})}),
    Row("contest:setup", {"get": page()}, CONTEST),
    Row("contest:edit", {"get": page(), "post": write()}, CONTEST),
    Row("contest:category-create", {"get": page(), "post": write()}, CONTEST),
    Row(
        "contest:category-edit",
        {"get": page(), "post": write()},
        {"slug": "contest", "pk": "category"},
    ),
    Row("contest:stage-create", {"get": page(), "post": write()}, CONTEST),
    Row(
        "contest:stage-edit",
        {"get": page(), "post": write()},
        {"slug": "contest", "pk": "stage"},
    ),
    Row("contest:delegates", {"get": page(), "post": write()}, CONTEST),
    Row("contest:delegate-import", {"get": page(), "post": write()}, CONTEST),
    Row(
        "contest:delegate-remove",
        {"post": write()},
        {"slug": "contest", "pk": "other_delegate_row"},
    ),
    Row("contest:notifications", {"get": page()}, CONTEST),
    # The scenario's notification failed for good: organizers may send it again.
    Row(
        "contest:notification-retry",
        {"post": write()},
        {"slug": "contest", "pk": "notification"},
    ),
    # The contest's life beyond its set-up (contest/views_lifecycle.py). Creator
    # rights are the superusers'; copying takes creator rights as well (the
    # scenario's organizer has none). Rows the scenario has no object for name
    # MISSING: those allowed get 404, the others their refusal.
    Row("contest:creators", {"get": page({"superuser"})}),
    Row(
        "contest:creator-toggle",
        {"post": page({"superuser"}, ok=404)},
        {"pk": f"={MISSING}"},
    ),
    Row("contest:organizers", {"get": page(), "post": write()}, CONTEST),
    Row(
        "contest:organizer-remove",
        {"post": page(ok=404)},
        {"slug": "contest", "pk": f"={MISSING}"},
    ),
    Row(
        "contest:category-delete",
        {"get": page(), "post": write()},
        {"slug": "contest", "pk": "category"},
    ),
    Row(
        "contest:stage-delete",
        {"get": page(), "post": write()},
        {"slug": "contest", "pk": "stage"},
    ),
    Row("contest:delete", {"get": page(), "post": write()}, CONTEST),
    Row(
        "contest:clone",
        {"get": page({"superuser"}), "post": write({"superuser"})},
        CONTEST,
    ),
    Row("submissions:my-entries", {"get": page(SIGNED_IN)}),
    Row(
        "submissions:create",
        {"get": page(DELEGATES), "post": write(DELEGATES)},
        CONTEST,
    ),
    Row("submissions:detail", {"get": readers_page}, ENTRY),
    Row("submissions:edit", {"get": edit_page, "post": delegate_write}, ENTRY),
    Row("submissions:evidence", {"get": delegate_page, "post": delegate_write}, ENTRY),
    # A form posted from the evidence page: GET is not served.
    Row(
        "submissions:evidence-link",
        {"get": on_entry(page, {"delegate"}, ok=405), "post": delegate_write},
        ENTRY,
    ),
    Row("submissions:evidence-remove", {"post": delegate_write}, ENTRY_EVIDENCE),
    Row("submissions:evidence-file", {"get": readers_page}, ENTRY_EVIDENCE),
    Row(
        "submissions:evidence-thumbnail",
        {"get": readers_page},
        {**ENTRY, "evidence_pk": "photo"},
    ),
    Row("submissions:submit", {"get": delegate_page, "post": delegate_write}, ENTRY),
    Row("submissions:withdraw", {"get": delegate_page, "post": delegate_write}, ENTRY),
    Row("submissions:delete", {"get": delegate_page, "post": delegate_write}, ENTRY),
    Row("submissions:receipt", {"get": receipt_page}, ENTRY),
    Row(
        "submissions:evidence-edit",
        {"get": edit_page, "post": delegate_write},
        ENTRY_EVIDENCE,
    ),
    Row("submissions:screening", {"get": page()}, CONTEST),
    Row("submissions:entry-import", {"get": page(), "post": write()}, CONTEST),
    Row("submissions:screening-bulk", {"post": write()}, CONTEST),
    Row("submissions:screening-filter-save", {"post": write()}, CONTEST),
    Row(
        "submissions:screening-filter-delete",
        {"post": page(ok=404)},
        {**CONTEST, "pk": f"={MISSING}"},
    ),
    Row("submissions:screening-drafts", {"get": page()}, CONTEST),
    Row("submissions:screening-drafts-remind", {"post": write()}, CONTEST),
    # The detail page shows the forms; a POST must name the action's own URL.
    Row(
        "submissions:screening-detail",
        {"get": screening_page, "post": on_entry(page, ok=405)},
        ENTRY,
    ),
    Row("submissions:screen", {"get": screening_page, "post": screening_write}, ENTRY),
    Row(
        "submissions:request-revision",
        {"get": screening_page, "post": screening_write},
        ENTRY,
    ),
    Row("submissions:reopen", {"get": screening_page, "post": screening_write}, ENTRY),
    Row(
        "submissions:evidence-review",
        {"get": screening_page, "post": screening_write},
        ENTRY_EVIDENCE,
    ),
)

ASSIGNMENT = {"pk": "assignment"}
# Who may not know the assignment exists: all but its judge and the organizers.
ASSIGNMENT_STRANGERS = SIGNED_IN - ORGANIZERS - {"judge_assigned"}
judge_page = page({"judge_assigned"}, hide=SIGNED_IN)
judge_write = write({"judge_assigned"}, hide=SIGNED_IN)


def on_assignment(expect=page, allow=ORGANIZERS):
    """An assignment's route: it exists from judging on (404 to everyone before),
    and then answers 404 to the ASSIGNMENT_STRANGERS."""
    return by_state(
        **{
            BEFORE_JUDGING: expect(frozenset(), hide=SIGNED_IN),
            JUDGED: expect(allow, hide=ASSIGNMENT_STRANGERS),
        }
    )


# The organizers read a sheet (judging.rules.can_view_sheet); only its judge writes.
sheet_page = on_assignment(page, {"judge_assigned", *ORGANIZERS})
sheet_write = on_assignment(write, {"judge_assigned"})
# An entry is a candidate of the first scoring stage once screened eligible (from
# screening on); the stage's pages about it answer 404 before.
in_stage_write = by_state(
    open__closed=page(ok=404), screening__judging__provisional__final=write()
)
# An entry's explanation needs a submitted sheet: the scenario submits it when it
# publishes.
explain_page = by_state(
    open__closed__screening__judging=page(ok=404), provisional__final=page()
)

PAGES |= _rows(
    Row("judging:my-assignments", {"get": page(SIGNED_IN)}),
    Row("judging:sheet", {"get": sheet_page, "post": sheet_write}, ASSIGNMENT),
    Row(
        "judging:declare-conflict",
        {"get": judge_page, "post": judge_write},
        ASSIGNMENT,
    ),
    Row("judging:sheet-reopen", {"post": on_assignment(write)}, ASSIGNMENT),
    # Files for offline judging: the scenario has no pack, so its routes answer 404
    # to every signed-in role (tests/judging/test_packs.py has them per role).
    Row(
        "judging:pack-entry",
        {"post": on_assignment(write, {"judge_assigned", *ORGANIZERS})},
        ASSIGNMENT,
    ),
    Row("judging:packs", {"get": page(SIGNED_IN), "post": write(SIGNED_IN)}),
    Row("judging:pack", {"get": page(SIGNED_IN, ok=404)}, {"pk": f"={MISSING}"}),
    Row("judging:pack-file", {"get": page(SIGNED_IN, ok=404)}, {"pk": f"={MISSING}"}),
    Row("judging:manage", {"get": page()}, CONTEST),
    Row("judging:panels", {"get": page(), "post": write()}, CONTEST),
    Row("judging:judge-import", {"get": page(), "post": write()}, CONTEST),
    Row(
        "judging:judge-edit",
        {"get": page(), "post": write()},
        {"slug": "contest", "pk": "judge"},
    ),
    Row("judging:judge-remove", {"post": write()}, {"slug": "contest", "pk": "judge"}),
    Row("judging:conflicts", {"get": page(), "post": write()}, CONTEST),
    Row("judging:rubric", {"get": page(), "post": write()}, STAGE),
    Row(
        "judging:criterion-edit",
        {"get": page(), "post": write()},
        {**STAGE, "pk": "criterion"},
    ),
    Row("judging:criterion-remove", {"post": write()}, {**STAGE, "pk": "criterion"}),
    Row("judging:assignments", {"get": page(), "post": write()}, STAGE),
    Row("judging:assignment-add", {"post": write()}, STAGE),
    Row("judging:assignment-remove", {"post": write()}, {**STAGE, "pk": "assignment"}),
    Row("judging:progress", {"get": page()}, STAGE),
    Row(
        "judging:extra-judge",
        {"post": in_stage_write},
        {**STAGE, "submission_pk": "entry"},
    ),
    Row("judging:remind", {"post": write()}, STAGE),
    Row("judging:messages", {"get": page(), "post": write()}, CONTEST),
    # The scenario sends no message: its page answers 404 to those who may.
    Row(
        "judging:message-detail",
        {"get": page(ok=404)},
        {"slug": "contest", "pk": f"={MISSING}"},
    ),
    Row("judging:templates", {"get": page()}, CONTEST),
    Row(
        "judging:template-edit",
        {"get": page(), "post": write()},
        EMAIL_TEXT,
    ),
    Row("judging:template-restore", {"post": write()}, EMAIL_TEXT),
    Row("results:manage", {"get": page()}, CONTEST),
    Row("results:settings", {"get": page(), "post": write()}, CONTEST),
    Row("results:documents", {"get": page(), "post": write()}, CONTEST),
    Row("results:awards", {"get": page(), "post": write()}, CONTEST),
    Row("results:award-places", {"post": write()}, CONTEST),
    Row("results:award-remove", {"post": write()}, {"slug": "contest", "pk": "award"}),
    Row("results:objections", {"get": page()}, CONTEST),
    Row(
        "results:objection-resolve",
        {"post": write()},
        {"slug": "contest", "pk": "objection"},
    ),
    Row("results:objections-resolve", {"post": write()}, CONTEST),
    Row("results:publish", {"post": write()}, CONTEST),
    Row("results:exports", {"get": page()}, CONTEST),
    Row(
        "results:export-table",
        {"get": page()},
        {**CONTEST, "kind": "=entries", "fmt": "=csv"},
    ),
    Row(
        "results:stage-export-table",
        {"get": page()},
        {**STAGE, "kind": "=sheets", "fmt": "=xlsx"},
    ),
    Row("results:stage", {"get": page()}, STAGE),
    Row(
        "results:explain",
        {"get": explain_page},
        {**STAGE, "submission_pk": "entry"},
    ),
    Row("results:advance", {"get": page(), "post": write()}, STAGE),
    # The scenario writes no minutes: the download answers 404 to those who may.
    Row("results:minutes", {"get": page(ok=404), "post": write()}, STAGE),
    Row("results:public", {"get": published_page}, CONTEST),
    Row("results:gallery", {"get": published_page}, CONTEST),
    Row("results:verify", {"get": published_page, "post": published_page}, CONTEST),
    Row("results:snapshot", {"get": published_page}, CONTEST),
    Row("results:export-csv", {"get": published_page}, CONTEST),
    Row("results:export-xlsx", {"get": published_page}, CONTEST),
    Row(
        "results:certificate",
        {"get": final_page},
        {"slug": "contest", "award_id": "award"},
    ),
    Row(
        "results:photo",
        {"get": published_page},
        {"slug": "contest", "evidence_pk": "photo"},
    ),
    Row("results:object", {"get": objection_page, "post": objection_write}, CONTEST),
    Row("results:my-objections", {"get": page(SIGNED_IN)}, CONTEST),
    Row("results:entry-dashboard", {"get": follower_page}, ENTRY),
    # Requests to join a contest as a region's delegate (contest/views_joining.py).
    Row(
        "contest:my-join-requests",
        {"get": page(SIGNED_IN), "post": write(SIGNED_IN)},
    ),
    Row(
        "contest:join-request-withdraw",
        {"post": page(SIGNED_IN, ok=404)},
        {"pk": f"={MISSING}"},
    ),
    Row("contest:join-requests", {"get": page()}, CONTEST),
    Row("contest:join-request-approve", {"post": page(ok=404)}, JOIN_MISSING),
    Row("contest:join-request-decline", {"post": page(ok=404)}, JOIN_MISSING),
    Row(
        "results:feedback",
        {"get": feedback_page, **dict.fromkeys(WRITES, feedback_other_methods)},
        {"slug": "contest", "code": "region"},
    ),
    Row("accounts:profile", {"get": page(SIGNED_IN), "post": write(SIGNED_IN)}),
)

# allauth's pages and Django's language switch: not the project's rules, one row each
# with what they answer, so that a change of the sign-in flow shows here.
signed_out_only = page({"anonymous"}, deny=REDIRECT)
account_page = page(SIGNED_IN)
ALLAUTH = _rows(
    Row("account_login", {"get": signed_out_only, "post": signed_out_only}),
    Row(
        "account_logout",
        {
            "get": page(SIGNED_IN, anon=REDIRECT),
            "post": page(SIGNED_IN, ok=REDIRECT, anon=REDIRECT),
        },
    ),
    Row("account_inactive", {"get": page(EVERYONE)}),
    Row("account_signup", {"get": signed_out_only, "post": signed_out_only}),
    Row("account_reauthenticate", {"get": account_page, "post": account_page}),
    Row("account_email", {"get": account_page, "post": page(SIGNED_IN, ok=REDIRECT)}),
    Row(
        "account_email_verification_sent",
        {"get": page(EVERYONE), **dict.fromkeys(WRITES, nobody(405))},
    ),
    Row("account_change_password", {"get": account_page, "post": account_page}),
    # Every account here has a password: "set" sends to "change", whatever the
    # method (allauth answers from its dispatch).
    Row(
        "account_set_password",
        dict.fromkeys(("get", *WRITES), page(SIGNED_IN, ok=REDIRECT)),
    ),
    Row("account_reset_password", {"get": page(EVERYONE), "post": page(EVERYONE)}),
    # No login is pending: sent home, whatever the method.
    Row(
        "account_confirm_login_code",
        dict.fromkeys(("get", *WRITES), page(SIGNED_IN, ok=REDIRECT)),
    ),
    # A made-up key: the page says the link is invalid; a POST finds no address.
    Row(
        "account_confirm_email",
        {"get": page(EVERYONE), "post": nobody(404)},
        {"key": "=made-up"},
    ),
    Row("account_reset_password_from_key_done", {"get": page(EVERYONE)}),
    # A made-up key: the page says the link is invalid, whatever the method.
    Row(
        "account_reset_password_from_key",
        dict.fromkeys(("get", *WRITES), page(EVERYONE)),
        {"uidb36": "=made", "key": "=up"},
    ),
    Row("account_reset_password_done", {"get": page(EVERYONE)}),
    Row(
        "set_language",
        dict.fromkeys(("get", *WRITES), page(EVERYONE, ok=REDIRECT)),
    ),
    Row("javascript-catalog", {"get": page(EVERYONE)}),
    # Anonymous, without a session: each service's state (tests/ops/test_health.py).
    Row("healthz", {"get": page(EVERYONE)}),
)


def api(allow=ORGANIZERS, ok=200, **extra) -> Expect:
    return Expect(allow=frozenset(allow), ok=ok, **extra)


def api_write(allow=ORGANIZERS, **extra) -> Expect:
    return Expect(allow=frozenset(allow), ok=PASSED, **extra)


api_published = by_state(
    open__closed__screening__judging=nobody(404),
    provisional__final=api(EVERYONE),
)
API_PK = {**API_CONTEST, "pk": "entry"}
API_OBJECTION = {**API_CONTEST, "pk": "objection"}
# The scenario's objection is filed by the other delegate.
OBJECTION_READERS = ORGANIZERS | {"other_delegate"}
api_objection_write = by_state(
    open__closed__screening__judging__final=api_write(SIGNED_IN),
    provisional=api_write(OBJECTORS),
)

API = _rows(
    # Empty credentials: 400 for everyone. Only a token signs its own token out;
    # a session does not count (401).
    Row("api-token", {"post": api_write(EVERYONE), "delete": nobody(401)}),
    Row("region-list", {"get": api(EVERYONE)}),
    Row("region-detail", {"get": api(EVERYONE)}, {"pk": "region"}),
    Row("contest-list", {"get": api(EVERYONE), "post": api_write({"superuser"})}),
    Row(
        "contest-detail",
        {
            "get": api(EVERYONE),
            "patch": api_write(),
            "delete": api_write(),
            "put": nobody(405),
        },
        {"slug": "contest"},
    ),
    Row("category-list", {"get": api(EVERYONE), "post": api_write()}, API_CONTEST),
    Row(
        "category-detail",
        {
            "get": api(EVERYONE),
            "patch": api_write(),
            "delete": api_write(),
            "put": nobody(405),
        },
        {**API_CONTEST, "pk": "category"},
    ),
    Row("stage-list", {"get": api(), "post": api_write()}, API_CONTEST),
    Row(
        "stage-detail",
        {
            "get": api(),
            "patch": api_write(),
            "delete": api_write(),
            "put": nobody(405),
        },
        {**API_CONTEST, "pk": "stage"},
    ),
    Row("delegate-list", {"get": api(), "post": api_write()}, API_CONTEST),
    Row("delegate-import", {"post": api_write()}, API_CONTEST),
    Row(
        "join-request-list",
        {"get": api(SIGNED_IN), "post": api_write(SIGNED_IN - DELEGATES)},
        API_CONTEST,
    ),
    Row(
        "join-request-approve",
        {"post": api(ok=404)},
        {**API_CONTEST, "pk": f"={MISSING}"},
    ),
    Row(
        "join-request-decline",
        {"post": api(ok=404)},
        {**API_CONTEST, "pk": f"={MISSING}"},
    ),
    Row(
        "join-request-withdraw",
        {"post": api(SIGNED_IN, ok=404)},
        {**API_CONTEST, "pk": f"={MISSING}"},
    ),
    Row("message-list", {"get": api(), "post": api_write()}, API_CONTEST),
    Row("message-preview", {"post": api_write()}, API_CONTEST),
    Row("notification-list", {"get": api()}, API_CONTEST),
    Row(
        "notification-retry",
        {"post": api_write()},
        {**API_CONTEST, "pk": "notification"},
    ),
    # contest/api/lifecycle.py: creator rights (superusers), organizers, copies.
    Row("account-list", {"get": api({"superuser"})}),
    Row(
        "account-creator-right",
        {"post": api({"superuser"}, ok=404)},
        {"pk": f"={MISSING}"},
    ),
    Row("organizer-list", {"get": api(), "post": api_write()}, API_CONTEST),
    Row(
        "organizer-detail",
        {"delete": api(ok=404)},
        {**API_CONTEST, "pk": f"={MISSING}"},
    ),
    Row("contest-clone", {"post": api_write({"superuser"})}, API_CONTEST),
    # A list scoped to the caller: a judge sees an empty one; another contest's
    # organizer is refused. Entries are entered by delegates only, as on the page.
    Row(
        "submission-list",
        {"get": api(SIGNED_IN - {"other_organizer"}), "post": api_write(DELEGATES)},
        API_CONTEST,
    ),
    # An entry's routes answer as its pages do (ENTRY_STRANGERS get 404).
    Row(
        "submission-detail",
        {
            "get": on_entry(api, {"delegate", *ORGANIZERS}, judge_reads=True),
            "patch": on_entry(api_write, {"delegate"}),
            "delete": on_entry(api_write, {"delegate"}),
            "put": nobody(405),
        },
        API_PK,
    ),
    Row("submission-evidence", {"post": on_entry(api_write, {"delegate"})}, API_PK),
    # The files, as the entry's page serves them (readers_page).
    Row(
        "submission-evidence-file",
        {"get": on_entry(api, {"delegate", *ORGANIZERS}, judge_reads=True)},
        {**API_PK, "evidence_pk": "evidence"},
    ),
    Row(
        "submission-evidence-thumbnail",
        {"get": on_entry(api, {"delegate", *ORGANIZERS}, judge_reads=True)},
        {**API_PK, "evidence_pk": "photo"},
    ),
    Row("submission-screen", {"post": on_entry(api_write)}, API_PK),
    Row("submission-import", {"post": api_write()}, API_CONTEST),
    Row("submission-bulk-bulk-screen", {"post": api_write()}, API_CONTEST),
    Row("submission-bulk-drafts", {"get": api()}, API_CONTEST),
    Row("submission-bulk-remind-drafts", {"post": api_write()}, API_CONTEST),
    Row("saved-filter-list", {"get": api(), "post": api_write()}, API_CONTEST),
    Row(
        "saved-filter-detail",
        {"delete": api(ok=404)},
        {**API_CONTEST, "pk": f"={MISSING}"},
    ),
    # As the screening page's revision and reopening, and the entry's withdrawal.
    Row("submission-request-revision", {"post": on_entry(api_write)}, API_PK),
    Row("submission-reopen", {"post": on_entry(api_write)}, API_PK),
    Row("submission-withdraw", {"post": on_entry(api_write, {"delegate"})}, API_PK),
    Row("submission-submit", {"post": on_entry(api_write, {"delegate"})}, API_PK),
    Row(
        "submission-evidence-edit",
        {"patch": on_entry(api_write, {"delegate"})},
        {**API_PK, "evidence_pk": "evidence"},
    ),
    Row(
        "submission-receipt",
        {
            "get": {
                **on_entry(api, ENTRY_FOLLOWERS),
                "open": api(ENTRY_FOLLOWERS, ok=404, hide=ENTRY_STRANGERS),
            }
        },
        API_PK,
    ),
    Row("submission-dashboard", {"get": on_entry(api, ENTRY_FOLLOWERS)}, API_PK),
    Row(
        "criterion-list",
        {"get": api(ORGANIZERS | JUDGES), "post": api_write()},
        API_STAGE,
    ),
    Row("judge-list", {"get": api(), "post": api_write()}, API_CONTEST),
    Row("judge-import", {"post": api_write()}, API_CONTEST),
    Row("conflict-list", {"post": api_write(ORGANIZERS | JUDGES)}, API_CONTEST),
    Row("stage-assign-list", {"post": api_write()}, API_STAGE),
    Row("stage-remind-list", {"post": api_write()}, API_STAGE),
    Row("stage-assignment-list", {"get": api(), "post": api_write()}, API_STAGE),
    Row(
        "stage-assignment-detail",
        {"delete": api_write()},
        {**API_STAGE, "pk": "assignment"},
    ),
    Row("my-assignment-list", {"get": api(SIGNED_IN)}),
    Row("pack-list", {"get": api(SIGNED_IN), "post": api_write(SIGNED_IN)}),
    Row("pack-detail", {"get": api(SIGNED_IN, ok=404)}, {"pk": f"={MISSING}"}),
    Row("pack-file", {"get": api(SIGNED_IN, ok=404)}, {"pk": f"={MISSING}"}),
    Row(
        "my-assignment-sheet",
        {
            "get": on_assignment(api, {"judge_assigned", *ORGANIZERS}),
            "put": on_assignment(api_write, {"judge_assigned"}),
        },
        {"pk": "assignment"},
    ),
    Row("stage-results", {"get": api()}, API_STAGE),
    Row("stage-advance", {"post": api_write()}, API_STAGE),
    Row("contest-awards", {"get": api(), "post": api_write()}, API_CONTEST),
    Row("contest-publish", {"post": api_write()}, API_CONTEST),
    Row("contest-export", {"get": api()}, {**API_CONTEST, "kind": "=entries"}),
    Row("contest-results", {"get": api_published}, API_CONTEST),
    Row(
        "contest-results-settings",
        {"get": api(), "put": api_write()},
        API_CONTEST,
    ),
    Row(
        "contest-results-documents",
        {"get": api(), "put": api_write()},
        API_CONTEST,
    ),
    # The minutes of a stage; the scenario writes none, so a file answers 404.
    Row("stage-minutes-list", {"get": api(), "post": api_write()}, API_STAGE),
    Row(
        "stage-minutes-file",
        {"get": api(ok=404)},
        {**API_STAGE, "pk": f"={MISSING}"},
    ),
    # Everyone signed in reads their own objections (an organizer all of them);
    # the objection window's predicate decides who files, while it is open (the
    # others are answered 400 for the empty body, or 409 by the service).
    Row(
        "objection-list",
        {"get": api(SIGNED_IN), "post": api_objection_write},
        API_CONTEST,
    ),
    Row(
        "objection-detail",
        {"get": api(OBJECTION_READERS, hide=SIGNED_IN - OBJECTION_READERS)},
        API_OBJECTION,
    ),
    Row("objection-answer", {"post": api_write()}, API_OBJECTION),
    Row("objection-answer-many", {"post": api_write()}, API_CONTEST),
    Row("api-schema", {"get": api(EVERYONE)}),
    Row("api-docs", {"get": api(EVERYONE)}),
)
# The award formats' routes (issue 14), each area in its own module.
from tests.permissions import (  # noqa: E402
    table_clusters,
    table_forms,
    table_indicators,
    table_schedule,
)

for _area in (table_forms, table_clusters, table_indicators, table_schedule):
    PAGES |= _area.PAGES
    API |= _area.API

API = {
    name: Row(row.name, row.methods, row.objects, api=True) for name, row in API.items()
}

# The admin is Django's: every one of its routes asks for a staff member. One row
# checks its front door (non-staff are sent to the admin's login); its other routes
# are left out by prefix.
ADMIN = _rows(
    Row(
        "admin:index",
        {
            "get": page({"superuser"}, deny=REDIRECT, anon=REDIRECT),
            **dict.fromkeys(WRITES, write({"superuser"}, deny=REDIRECT, anon=REDIRECT)),
        },
    ),
)
EXCLUDED_PREFIXES = (
    "admin:",  # Django's admin, behind its staff check (the admin:index row)
    "admin/",  # its unnamed object and catch-all routes
    "^static/",  # served by runserver only when DEBUG is on
)

TABLE: dict[str, Row] = {**PAGES, **ALLAUTH, **API, **ADMIN}
