from django.core.management.base import BaseCommand

from checkout.mail.notifications import MAX_ATTEMPTS, send_unsent


class Command(BaseCommand):
    help = (
        "Send the order emails that could not be sent when their change happened (run it from cron every few "
        f"minutes). Each is tried up to {MAX_ATTEMPTS} times; its last error is kept on the Notification."
    )

    def handle(self, *args, **options):
        sent, failed = send_unsent()
        self.stdout.write(f"Sent {sent} notification(s); {failed} failed and will be tried again.")
