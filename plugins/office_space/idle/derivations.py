"""What the idle-space area derives: a new disposition is the writing bureau's when it names no
organisation (Art. 24)."""

from __future__ import annotations

from core.api import Derivation
from plugins.office_space.idle.models import IdleSpaceDisposition
from plugins.office_space.repairs.derivations import own_organization

DERIVATIONS = [
    Derivation(
        "office_space.idle_disposition_organization", IdleSpaceDisposition, own_organization, on=("create",)
    ),
]
