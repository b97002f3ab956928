import signal
import sys

from django.core.management.base import BaseCommand

from demo import renditions


def stop(signum, frame):
    # SIGTERM (make run's trap) as an exit, so the worker pool is terminated on the way out, not orphaned.
    sys.exit(128 + signum)


class Command(BaseCommand):
    help = (
        "Cut the renditions every demo page shows that are not cut yet, home and shop first, in one worker "
        "process per core. make run runs it beside the server after load_demo --renditions=home."
    )

    def handle(self, *args, **options):
        signal.signal(signal.SIGTERM, stop)
        cut = renditions.cut()
        self.stdout.write(self.style.SUCCESS(f"Demo pictures ready, every page is fast now: {cut.line()}"))
