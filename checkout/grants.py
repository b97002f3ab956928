"""A download grant's rules: who may use it, why it cannot be used now, and how the buyer's pages and emails
show it. checkout.delivery.downloads serves the file on these rules; the mail shows the same links."""

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING

from django.utils import dateformat, timezone

from .models import DownloadGrant, Order

if TYPE_CHECKING:
    from website.types import AnyUser


class Access(Enum):
    ALLOWED = "allowed"
    LOG_IN = "log in"  # an account's order and nobody logged in: ask them to log in, then come back
    NOT_FOUND = "not found"  # someone else's: answer as if the token did not exist


@dataclass(frozen=True)
class Refusal:
    code: str
    status: int
    reason: str


@dataclass(frozen=True)
class FileLink:
    """One purchased file as a page or an email shows it: the grant, what state it is in, and a note."""

    grant: DownloadGrant
    state: str  # "ready", "expired" (a fresh link can be asked for), or a refusal code
    note: str

    @property
    def ready(self) -> bool:
        return self.state == "ready"

    @property
    def renewable(self) -> bool:
        return self.state == "expired"


def access_for(grant: DownloadGrant, user: "AnyUser") -> Access:
    """An account's order is its user's alone; a guest order's emailed link is itself the proof."""
    owner_id = grant.line.order.user_id
    if owner_id is None:
        return Access.ALLOWED
    if not user.is_authenticated:
        return Access.LOG_IN
    return Access.ALLOWED if user.pk == owner_id else Access.NOT_FOUND


def refusal_for(grant: DownloadGrant, now: datetime | None = None) -> Refusal | None:
    """Why this grant cannot be downloaded now, in the order that leaks least, or None when it can."""
    now = now or timezone.now()
    line, order = grant.line, grant.line.order
    if order.status == Order.Status.REFUNDED:
        return Refusal("refunded", 403, "This order was refunded, so its downloads are closed.")
    if grant.revoked_at or line.refunded:
        return Refusal("refunded", 403, "This item was refunded, so its download is closed.")
    if order.status == Order.Status.DISPUTED:
        return Refusal(
            "disputed", 403, "Downloads for this order are paused while its payment is disputed with the bank."
        )
    if order.status not in Order.ACCESS_STATES:
        return Refusal("unpaid", 403, "Downloads open once this order's payment is confirmed.")
    if grant.expires_at <= now:
        return Refusal("expired", 410, f"This download link expired on {_day(grant.expires_at)}.")
    if grant.download_count >= grant.max_downloads:
        plural = "" if grant.max_downloads == 1 else "s"
        return Refusal("exhausted", 403, f"You have used all {grant.max_downloads} download{plural} of this file.")
    return None


def file_links(order: Order) -> list[FileLink]:
    """Every file the order earned, with its state, for the success page, the order page and the receipt."""
    now = timezone.now()
    grants = DownloadGrant.objects.filter(line__order=order).select_related("line", "document")
    links = []
    for grant in grants.order_by("line_id", "pk"):
        grant.line.order = order
        links.append(file_link(grant, now))
    return links


def file_link(grant: DownloadGrant, now: datetime | None = None) -> FileLink:
    """One file as the buyer's pages show it (the grant's line and order must be loaded)."""
    refusal = refusal_for(grant, now)
    if refusal is None:
        plural = "" if grant.downloads_left == 1 else "s"
        note = f"{grant.downloads_left} of {grant.max_downloads} download{plural} left, until {_day(grant.expires_at)}"
        return FileLink(grant, "ready", note)
    if refusal.code == "expired" and not grant.downloads_left:
        return FileLink(grant, "exhausted", f"All {grant.max_downloads} downloads were used.")
    return FileLink(grant, refusal.code, refusal.reason)


def _day(moment: datetime) -> str:
    return dateformat.format(timezone.localtime(moment), "j F Y")
