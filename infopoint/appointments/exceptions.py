"""Why a time cannot be booked, and a form sent twice: errors with translated messages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

if TYPE_CHECKING:
    from .models import Booking
    from .slots import Slot


class SlotUnavailable(ValidationError):
    """The chosen time cannot be booked; the message says why, in the active language."""

    def __init__(self, message: str, *, code: str, next_slots: list[Slot] | None = None) -> None:
        super().__init__(message, code=code)
        self.next_slots = next_slots or []


class SlotTaken(SlotUnavailable):
    """Someone else booked the time first; ``next_slots`` are the next free ones."""


class AlreadyBooked(ValidationError):
    """The same form was submitted again: ``booking`` is the one the first submission made."""

    def __init__(self, booking: Booking) -> None:
        super().__init__(gettext("This appointment is already booked."), code="already_booked")
        self.booking = booking
