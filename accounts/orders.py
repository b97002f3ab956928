"""Guest orders join the account that proves it owns their address.

An order placed without logging in carries only an email. Once a user has verified that address (the
confirmation link, or a log-in while it is verified), the orders placed with it become theirs, and the
membership groups their paid lines carry are granted. Only verified addresses count: signing up with
someone else's address, and never confirming it, attaches nothing."""

import logging

from allauth.account.models import EmailAddress

from django.db import transaction
from django.db.models import Q

from checkout.models import Order
from checkout.payments.fulfilment import grant_memberships

from .models import User

logger = logging.getLogger(__name__)


def verified_addresses(user: User) -> list[str]:
    return list(EmailAddress.objects.filter(user=user, verified=True).values_list("email", flat=True))


def claim_guest_orders(user: User) -> list[Order]:
    """Attach every order without a user whose email matches (in any case) one of the user's verified
    addresses, and grant the memberships of those that are paid. Returns the orders attached; calling it
    again attaches nothing more."""
    addresses = verified_addresses(user)
    if not addresses:
        return []
    same_address = Q()
    for address in addresses:
        same_address |= Q(email__iexact=address)
    with transaction.atomic():
        # Locked, so a fulfilment running at the same moment either sees the user (and grants the
        # memberships itself) or has already marked the order paid (and we grant them here).
        orders = list(Order.objects.select_for_update().filter(same_address, user__isnull=True))
        for order in orders:
            order.user = user
            order.save(update_fields=["user", "updated_at"])
            grant_memberships(order)
    if orders:
        logger.info("Attached %d guest order(s) to user %s", len(orders), user.pk)
    return orders
