"""Send the abandoned-checkout reminders that are due (checkout.recovery). Run by the scheduler."""

from django.conf import settings
from django.core.management.base import BaseCommand

from checkout.recovery import send_due_reminders


class Command(BaseCommand):
    help = "Email the one reminder each consenting buyer of an expired checkout is due. Safe to run any time."

    def handle(self, *args, **options):
        if not settings.CHECKOUT_RECOVERY:
            self.stdout.write("Checkout recovery is off (CHECKOUT_RECOVERY).")
            return
        run = send_due_reminders()
        self.stdout.write(
            f"{len(run.sent)} sent, {len(run.skipped)} skipped (paid or too old), {len(run.failed)} failed"
        )
