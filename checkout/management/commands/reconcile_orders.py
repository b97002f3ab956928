"""Catch up with payments whose webhooks never arrived: ask the provider about every pending order."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from checkout.holds import expire_order
from checkout.models import Order
from checkout.payments import fulfilment
from checkout.payments.gateway import PaymentProviderError, get_gateway


class Command(BaseCommand):
    help = "Fulfil paid and release expired checkouts whose webhooks were lost. Safe to run any time (cron)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=5,
            metavar="MINUTES",
            help="Only orders started at least this long ago, so live checkouts are left alone (default 5).",
        )

    def handle(self, *args, older_than, **options):
        gateway = get_gateway()
        if gateway is None:
            raise CommandError("No payment provider is configured (set STRIPE_SECRET_KEY).")
        cutoff = timezone.now() - timedelta(minutes=older_than)
        # A delayed payment's clearing event can be lost as well as a completion.
        waiting = [Order.Status.PENDING, Order.Status.AWAITING_PAYMENT]
        pending = Order.objects.filter(status__in=waiting, created_at__lte=cutoff).exclude(payment_session_id="")
        counts = {"fulfilled": 0, "expired": 0, "still open": 0, "awaiting payment": 0, "unreachable": 0}
        for order in pending.iterator():
            try:
                session = gateway.retrieve_session(order.payment_session_id)
                if session and session.is_paid:
                    fulfilment.fulfil(session.id, gateway)
                    counts["fulfilled"] += 1
                elif session is None:
                    expire_order(order)  # The provider has never heard of it: nothing can be paid.
                    counts["expired"] += 1
                elif session.status == "expired":
                    fulfilment.expire(session.id, gateway)
                    counts["expired"] += 1
                elif session.status == "complete":  # paid by a delayed method that has not cleared
                    fulfilment.fulfil(session.id, gateway)
                    counts["awaiting payment"] += 1
                else:
                    counts["still open"] += 1
            except PaymentProviderError as error:
                counts["unreachable"] += 1
                self.stderr.write(f"Order {order.number}: {error}")
        self.stdout.write(", ".join(f"{name}: {count}" for name, count in counts.items()))
