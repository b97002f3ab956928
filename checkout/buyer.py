"""Whose address an order's receipt goes to. A signed-in buyer's receipts and download links go to the
account's primary verified address, never to one typed into a form, so a tampered or mistyped POST cannot
send an account's purchases elsewhere. Guests give theirs on the cart page."""

from typing import TYPE_CHECKING

from allauth.account.models import EmailAddress

if TYPE_CHECKING:
    from website.types import AnyUser

VERIFY_FIRST = "Confirm your email address before checking out: your receipt and download links go there."


def verified_email(user: "AnyUser | None") -> str | None:
    """The signed-in user's primary verified address; None for a guest or an account without one."""
    if user is None or not user.is_authenticated:
        return None
    address = EmailAddress.objects.filter(user=user, primary=True, verified=True).values_list("email", flat=True)
    return address.first()
