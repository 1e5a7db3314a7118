"""The permission table's rows for the forms routes (see table.py for the helpers:
`Row`, `page`, `write`, `by_state`, `on_entry`, the role sets). `API` rows are
marked as API rows by table.py."""

from __future__ import annotations

from tests.permissions.table import (
    API_CONTEST,
    CONTEST,
    DELEGATES,
    ENTRY,
    JUDGES,
    ORGANIZERS,
    Row,
    api,
    api_write,
    delegate_write,
    nobody,
    on_entry,
    page,
    readers_page,
    write,
)

QUESTION = {"slug": "contest", "pk": "question"}
API_QUESTION = {**API_CONTEST, "pk": "question"}
ENTRY_QUESTION = {**ENTRY, "question_pk": "question"}
API_ENTRY_QUESTION = {**API_CONTEST, "pk": "entry", "question_pk": "question"}
# Who reads the entry form over the API: the organizers, delegates and judges.
QUESTION_READERS = ORGANIZERS | DELEGATES | JUDGES

PAGES: dict[str, Row] = {
    row.name: row
    for row in (
        Row("contest:questions", {"get": page()}, CONTEST),
        Row("contest:question-create", {"get": page(), "post": write()}, CONTEST),
        Row("contest:question-edit", {"get": page(), "post": write()}, QUESTION),
        Row("contest:question-delete", {"get": page(), "post": write()}, QUESTION),
        Row("contest:question-move", {"post": write()}, QUESTION),
        Row("submissions:answer-file", {"post": delegate_write}, ENTRY_QUESTION),
        Row("submissions:answer-download", {"get": readers_page}, ENTRY_QUESTION),
    )
}
API: dict[str, Row] = {
    row.name: row
    for row in (
        Row(
            "question-list",
            {"get": api(QUESTION_READERS), "post": api_write()},
            API_CONTEST,
        ),
        Row(
            "question-detail",
            {
                "get": api(QUESTION_READERS),
                "patch": api_write(),
                "delete": api_write(),
                "put": nobody(405),
            },
            API_QUESTION,
        ),
        Row(
            "submission-answer-file",
            {
                "post": on_entry(api_write, {"delegate"}),
                "delete": on_entry(api_write, {"delegate"}),
            },
            API_ENTRY_QUESTION,
        ),
        Row(
            "submission-answer-download",
            {"get": on_entry(api, {"delegate", *ORGANIZERS}, judge_reads=True)},
            API_ENTRY_QUESTION,
        ),
    )
}
