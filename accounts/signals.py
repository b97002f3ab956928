"""Thin receivers: the work is in accounts.orders."""

from .orders import claim_guest_orders


def claim_orders_on_email_confirmed(sender, request, email_address, **kwargs):
    """allauth's email_confirmed: the address is now verified, so its guest orders join the account."""
    claim_guest_orders(email_address.user)


def claim_orders_at_login(sender, request, user, **kwargs):
    """Django's user_logged_in, whatever way the user signs in: orders placed as a guest since the last
    visit join the account too."""
    claim_guest_orders(user)
