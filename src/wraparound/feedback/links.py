"""A feedback link's token: only its hash is stored, and a link is usable until it is used
or expires."""

from __future__ import annotations

import hashlib

from django.core.exceptions import ValidationError
from django.utils import timezone

from .models import Invitation


class LinkNotUsable(ValidationError):
    """A link that is unknown, expired or already used (the message says which)."""


ALREADY_USED = "This link has already been used. Thank you for answering."


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_invitation(token: str) -> Invitation:
    """The invitation a link carries, if it can still be answered; LinkNotUsable if not."""
    invitation = (
        Invitation.objects.select_related("team").filter(token_hash=token_hash(token)).first()
    )
    if invitation is None:
        raise LinkNotUsable({"token": "This link is not one of ours. Check it was copied whole."})
    if invitation.used_on is not None:
        raise LinkNotUsable({"token": ALREADY_USED})
    if invitation.expires_on < timezone.localdate():
        raise LinkNotUsable({"token": "This link has expired."})
    return invitation
