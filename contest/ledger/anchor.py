"""The end of the chain: the head exported to be kept outside the database, and the
proof that the chain still extends it."""

from __future__ import annotations

import json
from typing import Any

from django.utils import timezone

from contest.ledger.chain import GENESIS_HASH, LedgerProblem
from contest.models import AuditEntry


def head_anchor() -> dict[str, Any]:
    """The chain's head, to be kept outside the database: its last entry's number,
    hash and time (number 0 and the genesis hash for an empty ledger)."""
    last = AuditEntry.objects.order_by("-seq").only("seq", "hash", "created_at").first()
    return {
        "seq": last.seq if last else 0,
        "hash": last.hash if last else GENESIS_HASH,
        "created_at": last.created_at.isoformat() if last else None,
        "exported_at": timezone.now().replace(microsecond=0).isoformat(),
    }


class AnchorError(ValueError):
    """An anchor that is not one (`field` names what is wrong)."""

    def __init__(self, message: str, *, field: str):
        super().__init__(message)
        self.field = field


def parse_anchor(text: str) -> tuple[int, str]:
    """The (seq, hash) of an anchor's JSON; AnchorError if it is malformed."""
    try:
        value = json.loads(text)
    except ValueError:
        raise AnchorError("the anchor is not JSON", field="anchor") from None
    if not isinstance(value, dict):
        raise AnchorError("the anchor is not a JSON object", field="anchor")
    seq = value.get("seq")
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
        raise AnchorError("seq must be a whole number, 0 or more", field="seq")
    digest = value.get("hash")
    if (
        not isinstance(digest, str)
        or len(digest) != 64
        or any(c not in "0123456789abcdef" for c in digest)
    ):
        raise AnchorError("hash must be 64 lower-case hex digits", field="hash")
    return seq, digest


def check_anchor(seq: int, digest: str) -> list[LedgerProblem]:
    """The chain must still extend an anchor: its entry #seq exists with that hash."""
    if seq == 0:
        if digest != GENESIS_HASH:
            return [LedgerProblem(0, "the anchor's hash is not the genesis hash")]
        return []
    entry = AuditEntry.objects.filter(seq=seq).only("seq", "hash").first()
    if entry is None:
        last = AuditEntry.objects.order_by("-seq").values_list("seq", flat=True).first()
        return [
            LedgerProblem(
                seq,
                f"the anchored entry is missing: the chain ends at #{last or 0}, "
                f"before the anchor",
            )
        ]
    if entry.hash != digest:
        return [LedgerProblem(seq, "the anchored entry has another hash")]
    return []


def chain_has_hash(digest: str) -> bool:
    """Whether `digest` is the hash of an entry (or the genesis hash)."""
    return digest == GENESIS_HASH or AuditEntry.objects.filter(hash=digest).exists()
