"""The shop's periodic jobs, run by one long-lived process the project starts itself (`manage.py run_scheduler`:
`make run` starts it beside runserver, docker-compose.yml as the `scheduler` service), so no one has to write a
crontab for a scheduled post to go live or a paid order whose webhook was lost to be fulfilled.

Each job is a management command that is safe to run at any time, and each runs every so many seconds
(SCHEDULER_INTERVALS; 0 switches a job off). A job that fails is logged and tried again at its next turn; it never
stops the others. One scheduler runs the jobs at a time however many are started: the first takes a lock (a
PostgreSQL advisory lock, or a file lock beside the SQLite database, whose replicas share one disk) and the
others stand by, taking over when it stops.

A plain loop rather than APScheduler or a django-tasks worker: four commands on fixed intervals need no cron
expressions, job stores or task queue, and neither library keeps two replicas from running the same job, which
is the part that needs care here."""

import fcntl
import logging
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, close_old_connections, connections

from . import backup

logger = logging.getLogger("pagecart.scheduler")

# pg_try_advisory_lock's key: any number no other part of the shop uses ("PGCS" in ASCII).
ADVISORY_LOCK_KEY = 0x50474353
STANDBY_POLL_SECONDS = 5.0  # how often a standing-by scheduler tries the lock
TICK_SECONDS = 1.0  # the longest the loop sleeps: a stop or a lost lock is noticed within it


@dataclass(frozen=True)
class Job:
    name: str
    command: tuple[str, ...]  # manage.py's command and arguments
    every: float  # seconds between the starts of two runs
    # When the job last ran outside this process (epoch seconds, or None): the first run is an interval after it.
    last_run: Callable[[], float | None] | None = None


def configured_jobs() -> list[Job]:
    """The jobs SCHEDULER_INTERVALS switches on, in the order they first run."""
    backups = backup.backup_folder()
    table = {
        # Wagtail's: publishes revisions whose go-live time has come and unpublishes expired pages.
        "publish_scheduled": (("publish_scheduled",), None),
        "send_notifications": (("send_notifications",), None),
        "reconcile_orders": (("reconcile_orders",), None),
        # Abandoned-checkout reminders (checkout.recovery); a no-op unless CHECKOUT_RECOVERY is on.
        "send_checkout_reminders": (("send_checkout_reminders",), None),
        # A restarted scheduler takes the next backup an interval after the newest archive, not at every start.
        "backup": (("backup", "--keep", str(settings.BACKUP_KEEP)), lambda: backup.newest_backup_time(backups)),
    }
    unknown = set(settings.SCHEDULER_INTERVALS) - set(table)
    if unknown:
        raise CommandError(f"SCHEDULER_INTERVALS names unknown jobs {sorted(unknown)}; the jobs are {list(table)}.")
    jobs = []
    for name, every in settings.SCHEDULER_INTERVALS.items():
        if every > 0:
            command, last_run = table[name]
            jobs.append(Job(name, command, every, last_run))
    return jobs


class FileLock:
    """flock on a file beside the SQLite database: the kernel lets go of it when the process ends, however."""

    def __init__(self, path: Path):
        self.path = path
        self._file = None

    def acquire(self) -> bool:
        self._file = open(self.path, "a")  # noqa: SIM115 - held open for as long as the lock is
        try:
            fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._file.close()
            self._file = None
            return False
        return True

    def still_held(self) -> bool:
        return self._file is not None

    def release(self):
        if self._file is not None:
            self._file.close()  # closing the file drops the flock
            self._file = None


class AdvisoryLock:
    """A PostgreSQL session advisory lock on a connection of its own: the server lets go of it when that
    connection ends, so a scheduler that dies or loses the database hands over to one standing by."""

    def __init__(self):
        self._connection = None

    def acquire(self) -> bool:
        self._connection = connections.create_connection("default")
        try:
            with self._connection.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [ADVISORY_LOCK_KEY])
                held = cursor.fetchone()[0]
        except DatabaseError:
            held = False
        if not held:
            self.release()
        return held

    def still_held(self) -> bool:
        """Whether the lock's connection is still alive (the lock ends with it)."""
        try:
            with self._connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            return True
        except DatabaseError:
            self.release()
            return False

    def release(self):
        if self._connection is not None:
            with suppress(DatabaseError):  # already gone, and the lock with it
                self._connection.close()
            self._connection = None


def scheduler_lock():
    database = connections["default"]
    if database.vendor == "postgresql":
        return AdvisoryLock()
    if database.vendor == "sqlite":
        return FileLock(Path(f"{database.settings_dict['NAME']}.scheduler.lock"))
    raise CommandError(f"The scheduler's lock supports PostgreSQL and SQLite, not {database.vendor}.")


def run_job(job: Job) -> bool:
    """Run one job's command; log how it went. Returns whether it succeeded."""
    close_old_connections()  # a connection broken since the last run is replaced, not reused
    output = StringIO()
    started = time.monotonic()
    extra = {"event": "scheduler.job", "job": job.name}
    try:
        call_command(*job.command, stdout=output, stderr=output)
    except CommandError as error:
        logger.warning("%s refused: %s", job.name, error, extra={**extra, "outcome": "refused"})
        return False
    except Exception:
        logger.exception("%s failed", job.name, extra={**extra, "outcome": "failed"})
        return False
    finally:
        close_old_connections()
    said = " ".join(output.getvalue().split())
    seconds = time.monotonic() - started
    logger.info("%s done in %.1f s: %s", job.name, seconds, said, extra={**extra, "outcome": "done"})
    return True


def first_due(job: Job, now: float) -> float:
    """When (on the monotonic clock) the job first runs: at once, or an interval after its last run elsewhere."""
    last = job.last_run() if job.last_run else None
    if last is None:
        return now
    return now + max(0.0, last + job.every - time.time())


def run_scheduler(jobs: list[Job], *, lock, stop: threading.Event, seconds: float | None = None) -> None:
    """Run the jobs on their intervals until `stop` is set (or `seconds` have passed), while holding `lock`;
    without it, stand by and try again every few seconds."""
    deadline = None if seconds is None else time.monotonic() + seconds
    due = {}
    held = False

    def wait(longest):
        remaining = longest if deadline is None else min(longest, deadline - time.monotonic())
        stop.wait(max(0.0, remaining))

    try:
        while not stop.is_set() and (deadline is None or time.monotonic() < deadline):
            if not held:
                held = lock.acquire()
                if not held:
                    logger.info("Another scheduler holds the lock: standing by", extra={"event": "scheduler.standby"})
                    wait(STANDBY_POLL_SECONDS)
                    continue
                names = ", ".join(f"{job.name} every {job.every:g} s" for job in jobs) or "none"
                logger.info("Scheduler running: %s", names, extra={"event": "scheduler.start"})
                now = time.monotonic()
                due = {job.name: first_due(job, now) for job in jobs}
            elif not lock.still_held():
                held = False
                logger.warning("Scheduler lost its lock", extra={"event": "scheduler.lost_lock"})
                continue
            for job in jobs:
                if stop.is_set():
                    break
                if time.monotonic() >= due[job.name]:
                    due[job.name] = time.monotonic() + job.every
                    run_job(job)
            next_run = min(due.values(), default=time.monotonic() + TICK_SECONDS)
            wait(min(TICK_SECONDS, next_run - time.monotonic()))
    finally:
        lock.release()
