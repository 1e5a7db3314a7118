"""Running an uploaded table through a service row by row, as a preview or for good.

Each app that owns the rows writes a `handle(row) -> Outcome` that resolves the
row's cells (raising `RowError` naming the column) and calls its own service. The
preview runs exactly the same calls inside a transaction that is rolled back, so
what it announces is what the service answers, and nothing stays written (the
outbox rows and ledger entries go with the rollback; no e-mail is queued, since
on-commit work of a rolled-back block is dropped). Applying runs them in one
transaction, each row in its own savepoint: a refused row is reported and leaves
no trace, the others are committed together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django.utils.translation import gettext as _

from common.errors import DomainError
from common.tabular import Row, Table

CREATE = "create"
EXISTS = "exists"
ERROR = "error"


class RowError(Exception):
    """A cell cannot be used: `column` names it, `message` says why."""

    def __init__(self, column: str, message: Any):
        super().__init__(str(message))
        self.column = column
        self.message = message


@dataclass
class Outcome:
    line: int
    status: str
    label: str = ""
    column: str = ""
    message: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Report:
    dry_run: bool
    outcomes: list[Outcome]

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)

    @property
    def created(self) -> int:
        return self.count(CREATE)

    @property
    def existing(self) -> int:
        return self.count(EXISTS)

    @property
    def errors(self) -> int:
        return self.count(ERROR)

    def as_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "created": self.created,
            "existing": self.existing,
            "errors": self.errors,
            "rows": [outcome.as_dict() for outcome in self.outcomes],
        }


class _PreviewRollbackError(Exception):
    pass


def require_columns(table: Table, required: Iterable[str]) -> None:
    """A DomainError (field `file`) naming the required columns the file lacks."""
    missing = [name for name in required if name not in table.columns]
    if missing:
        raise DomainError(
            _("The file has no column %(columns)s.") % {"columns": ", ".join(missing)},
            field="file",
        )


def cell(row: Row, *names: str) -> str:
    """The first non-empty cell of `names` (a column and its other spellings)."""
    for name in names:
        value = row.values.get(name, "").strip()
        if value:
            return value
    return ""


def _service_error(exc: Exception, columns: dict[str, str]) -> tuple[str, str]:
    if isinstance(exc, DomainError):
        field = exc.field or ""
        return columns.get(field, field), str(exc.message)
    if hasattr(exc, "error_dict"):
        field, errors = next(iter(exc.message_dict.items()))
        column = "" if field == "__all__" else columns.get(field, field)
        return column, " ".join(errors)
    return "", " ".join(exc.messages)


def run_rows(
    table: Table,
    handle: Callable[[Row], Outcome],
    *,
    dry_run: bool,
    columns: dict[str, str] | None = None,
    label_of: Callable[[Row], str] | None = None,
) -> Report:
    """Each row through `handle`, in one transaction rolled back when `dry_run`.

    `columns` maps a service's field names to the file's column names, so an
    error about `home_region` is reported at the column the file calls so;
    `label_of(row)` names a refused row in the report (its own cells).
    """
    columns = columns or {}
    outcomes: list[Outcome] = []
    try:
        with transaction.atomic():
            for row in table.rows:
                outcome = _one(row, handle, columns)
                if outcome.status == ERROR and label_of is not None:
                    outcome.label = label_of(row)[:200]
                outcomes.append(outcome)
            if dry_run:
                raise _PreviewRollbackError
    except _PreviewRollbackError:
        pass
    return Report(dry_run=dry_run, outcomes=outcomes)


def _one(row: Row, handle: Callable[[Row], Outcome], columns) -> Outcome:
    if row.error:
        return Outcome(row.line, ERROR, column=row.column, message=row.error)
    try:
        with transaction.atomic():
            return handle(row)
    except RowError as exc:
        return Outcome(row.line, ERROR, column=exc.column, message=str(exc.message))
    except (DomainError, ValidationError) as exc:
        column, message = _service_error(exc, columns)
        return Outcome(row.line, ERROR, column=column, message=message)
    except DataError:
        message = _("A value in this row is malformed or out of range.")
        return Outcome(row.line, ERROR, message=message)
    except IntegrityError:
        # A row written meanwhile by someone else (the savepoint undid this one).
        message = _("This row conflicts with one saved meanwhile; import it again.")
        return Outcome(row.line, ERROR, message=message)


# ---------- keeping a parsed table between the upload and the confirmation ----------


def table_to_data(table: Table) -> dict[str, Any]:
    return {
        "columns": table.columns,
        "rows": [
            {"line": r.line, "values": r.values, "error": r.error, "column": r.column}
            for r in table.rows
        ],
    }


def table_from_data(data: dict[str, Any]) -> Table:
    return Table(
        columns=list(data["columns"]),
        rows=[
            Row(
                line=int(r["line"]),
                values={str(k): str(v) for k, v in r["values"].items()},
                error=str(r.get("error", "")),
                column=str(r.get("column", "")),
            )
            for r in data["rows"]
        ],
    )


def report_from_data(data: dict[str, Any]) -> Report:
    """The report `Report.as_dict` wrote (kept in the session beside the rows)."""
    fields = ("line", "status", "label", "column", "message")
    return Report(
        dry_run=bool(data["dry_run"]),
        outcomes=[
            Outcome(**{name: row[name] for name in fields}) for row in data["rows"]
        ],
    )
