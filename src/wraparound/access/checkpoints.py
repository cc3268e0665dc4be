"""Signed checkpoints of the audit chain, kept outside the database.

The hash chain shows an edited, deleted or reordered event, unless whoever edits it also
rewrites every later hash and the head: a database superuser can. So the head is anchored
elsewhere: a checkpoint (the head's sequence and hash, when, and an HMAC-SHA256 signature
under a key the database never holds) is appended to a file on storage the database's
administrators cannot rewrite (an append-only file, a write-once bucket, a log shipper),
in the manner of Certificate Transparency's signed tree heads. ``audit verify`` then holds
the chain to every checkpoint: each must still be in the chain, with the same hash.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .models import AuditChainHead, AuditEvent


def checkpoint_file() -> Path:
    return Path(
        os.environ.get("WRAPAROUND_AUDIT_CHECKPOINTS", str(settings.DATA_DIR / "audit-checkpoints"))
    )


def _key() -> bytes:
    # A key of its own where one is given; otherwise derived from the secret key, which the
    # database does not hold either.
    given = os.environ.get("WRAPAROUND_AUDIT_KEY", "")
    secret = given or f"wraparound-audit-checkpoint:{settings.SECRET_KEY}"
    return hashlib.sha256(secret.encode()).digest()


def _signature(sequence: int, head_hash: str, at: str) -> str:
    message = f"{sequence}:{head_hash}:{at}".encode()
    return hmac.new(_key(), message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Checkpoint:
    sequence: int
    hash: str
    at: str
    signature: str

    @property
    def signed_correctly(self) -> bool:
        return hmac.compare_digest(self.signature, _signature(self.sequence, self.hash, self.at))


def write_checkpoint(path: Path | None = None) -> Checkpoint | None:
    """Append a signed checkpoint of the chain's head to ``path``; None for an empty chain."""
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is None or head.last_sequence == 0:
        return None
    at = timezone.now().isoformat()
    checkpoint = Checkpoint(
        head.last_sequence, head.last_hash, at, _signature(head.last_sequence, head.last_hash, at)
    )
    target = path or checkpoint_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("a", encoding="utf-8") as out:  # appended, never rewritten
        out.write(json.dumps(checkpoint.__dict__, sort_keys=True) + "\n")
    return checkpoint


def read_checkpoints(path: Path | None = None) -> list[Checkpoint]:
    target = path or checkpoint_file()
    if not target.exists():
        return []
    return [
        Checkpoint(**json.loads(line)) for line in target.read_text().splitlines() if line.strip()
    ]


def checkpoint_problems(path: Path | None = None) -> list[str]:
    """Every way the chain disagrees with the checkpoints written of it, in words."""
    problems: list[str] = []
    last = 0
    checkpoints = read_checkpoints(path)
    recorded = dict(
        AuditEvent.objects.filter(sequence__in=[c.sequence for c in checkpoints]).values_list(
            "sequence", "hash"
        )
    )
    for n, checkpoint in enumerate(checkpoints, start=1):
        if not checkpoint.signed_correctly:
            problems.append(
                f"checkpoint {n} (event #{checkpoint.sequence}) is not signed by our key"
            )
            continue
        if checkpoint.sequence < last:
            problems.append(f"checkpoint {n} goes back to event #{checkpoint.sequence}")
        last = max(last, checkpoint.sequence)
        found = recorded.get(checkpoint.sequence)
        if found is None:
            problems.append(
                f"event #{checkpoint.sequence}, checkpointed at {checkpoint.at}, is missing"
            )
        elif found != checkpoint.hash:
            problems.append(
                f"event #{checkpoint.sequence} is not the event checkpointed at {checkpoint.at}: "
                "history before it has been rewritten"
            )
    return problems
