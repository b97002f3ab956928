import signal
import threading

from django.core.management.base import BaseCommand

from website.scheduler import configured_jobs, run_scheduler, scheduler_lock


class Command(BaseCommand):
    help = (
        "Run the periodic jobs (publish scheduled pages, send notifications, reconcile orders, back up) on the "
        "intervals in SCHEDULER_INTERVALS until stopped. One scheduler runs them however many are started."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--for", dest="seconds", type=float, metavar="SECONDS", help="Stop after this long (default: run on)"
        )

    def handle(self, *args, seconds=None, **options):
        jobs = configured_jobs()
        stop = threading.Event()
        # Ctrl-C (make run) and docker stop's SIGTERM end the loop between jobs, never inside one.
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
        run_scheduler(jobs, lock=scheduler_lock(), stop=stop, seconds=seconds)
        self.stdout.write("Scheduler stopped.")
