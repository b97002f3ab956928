"""A new owner's first `make run`, timed: one command, run by hand (never by the test suite).

    bench/first-run                  # waits for "Demo pictures ready", then visits each page type once
    bench/first-run --right-away     # visits each page type as soon as the home page answers
    bench/first-run --keep           # keep the clone

Clones the current branch's last commit (uncommitted changes are not in it) into a temporary folder, runs
`make run PORT=<a free port>` there with none of this shell's Django settings, and times: the first 200 of the
home page from the start of `make run`, the line cut_demo_renditions prints when every page's pictures are cut,
and then the first visit of each demo page type (home, shop, a product, the journal, a post, search results, an
info page). Says whether pip installs from a warm cache or local wheels. Stops everything it started (its own
process group) and deletes the clone. Standard library only: it runs before any virtualenv exists.
"""

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READY_LINE = "Demo pictures ready"
FIRST_PAGE_TARGET = 90.0
VISIT_TARGET = 1.0
# Settings of the caller's shell that would point the clone at another database, media folder or settings.
CLEARED = ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "DATA_DIR", "MEDIA_ROOT", "PRIVATE_ROOT", "REDIS_URL")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pip_cache_note():
    """What pip may install from without downloading: its cache and any local wheel folder."""
    notes = []
    cache = Path(os.environ.get("PIP_CACHE_DIR", Path.home() / ".cache" / "pip"))
    size = sum(f.stat().st_size for f in cache.rglob("*") if f.is_file()) if cache.is_dir() else 0
    notes.append(f"pip cache {cache}: {size / 1e6:.0f} MB" + (" (warm)" if size > 10e6 else " (cold)"))
    if os.environ.get("PIP_FIND_LINKS"):
        notes.append(f"PIP_FIND_LINKS={os.environ['PIP_FIND_LINKS']} (local wheels: warm)")
    return "; ".join(notes)


def get(url, timeout=120):
    """(status, seconds, body) of one GET."""
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - 127.0.0.1 only  # nosec B310
            body = response.read().decode("utf-8", "replace")
            status = response.status
    except urllib.error.HTTPError as error:
        body, status = "", error.code
    return status, time.monotonic() - started, body


class Run:
    """`make run` in its own process group, its output kept with the second each line came."""

    def __init__(self, folder, port):
        env = {key: value for key, value in os.environ.items() if key not in CLEARED}
        self.started = time.monotonic()
        self.process = subprocess.Popen(  # noqa: S603 - our own make target  # nosec B603
            [shutil.which("make") or "make", "run", f"PORT={port}"],
            cwd=folder,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.lines = []
        self.ready_at = None
        threading.Thread(target=self.read, daemon=True).start()

    def elapsed(self):
        return time.monotonic() - self.started

    def read(self):
        for line in self.process.stdout:
            self.lines.append((self.elapsed(), line.rstrip()))
            if READY_LINE in line and self.ready_at is None:
                self.ready_at = self.elapsed()

    def stop(self):
        """SIGINT as Ctrl-C would send (make's trap stops the scheduler and the cutter), then harder."""
        for sig, wait in ((signal.SIGINT, 15), (signal.SIGTERM, 10), (signal.SIGKILL, 5)):
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                return
            try:
                self.process.wait(timeout=wait)
                time.sleep(0.5)  # the group's other members finish their traps
                os.killpg(self.process.pid, 0)
            except (subprocess.TimeoutExpired, ProcessLookupError):
                continue


def first_link(html, pattern):
    for href in re.findall(r'href="(/[^"#?]*)"', html):
        if re.fullmatch(pattern, href):
            return href
    return None


def visit_pages(base, home_seconds):
    """[(page type, path, status, seconds)]: the home page's first 200 as measured, then one first visit each."""
    rows = [("home", "/", 200, home_seconds)]
    status, seconds, shop = get(base + "/shop/")
    rows.append(("shop", "/shop/", status, seconds))
    product = first_link(shop, r"/shop/(?!category/)[a-z0-9-]+/") or "/shop/"
    rows.append(("a product", product, *get(base + product)[:2]))
    status, seconds, journal = get(base + "/journal/")
    rows.append(("journal", "/journal/", status, seconds))
    post = first_link(journal, r"/journal/[a-z0-9-]+/") or "/journal/"
    rows.append(("a post", post, *get(base + post)[:2]))
    rows.append(("search results", "/search/?q=brush", *get(base + "/search/?q=brush")[:2]))
    rows.append(("info page", "/about/", *get(base + "/about/")[:2]))
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--right-away", action="store_true", help="visit as soon as the home page answers")
    parser.add_argument("--timeout", type=float, default=900, help="give up after this many seconds (900)")
    parser.add_argument("--keep", action="store_true", help="keep the clone")
    args = parser.parse_args(argv)

    git = shutil.which("git") or "git"
    branch = subprocess.run(  # noqa: S603  # nosec B603
        [git, "rev-parse", "--abbrev-ref", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.strip()
    folder = Path(tempfile.mkdtemp(prefix="pagecart-first-run-"))
    clone = folder / "pagecart"
    subprocess.run(  # noqa: S603  # nosec B603
        [git, "clone", "--quiet", "--branch", branch, str(ROOT), str(clone)], check=True
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    print(f"Clone of {branch} in {clone}; make run PORT={port}")
    print(f"Machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the start")
    print(pip_cache_note())
    run = Run(clone, port)
    try:
        home_at = home_seconds = None
        while run.elapsed() < args.timeout and run.process.poll() is None:
            try:
                status, seconds, _ = get(base + "/", timeout=args.timeout)
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.25)
                continue
            if status == 200:
                home_at, home_seconds = run.elapsed(), seconds
                break
            time.sleep(0.25)
        if home_at is None:
            print("make run never served the home page; its output:")
            print("\n".join(line for _, line in run.lines[-40:]))
            return 1
        if not args.right_away:
            while run.ready_at is None and run.elapsed() < args.timeout and run.process.poll() is None:
                time.sleep(0.25)
        visits_at = run.elapsed()
        rows = visit_pages(base, home_seconds)
    finally:
        run.stop()
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    report(run, home_at, visits_at, rows)
    slow = [row for row in rows[1:] if row[3] >= VISIT_TARGET or row[2] != 200]
    return 0 if home_at < FIRST_PAGE_TARGET and not slow else 1


def report(run, home_at, visits_at, rows):
    steps = r"installed-runtime|manage.py (migrate|load_demo)|renditions:|Starting development|Demo store"
    marks = [(at, line) for at, line in run.lines if re.search(steps, line)]
    print()
    for at, line in marks:
        print(f"  {at:6.1f} s  {line.strip()}")
    print(f"\nFirst 200 of the home page: {home_at:.1f} s after make run (target under {FIRST_PAGE_TARGET:.0f} s)")
    if run.ready_at is not None:
        print(f"Every demo page's pictures cut: {run.ready_at:.1f} s after make run")
    else:
        print("The pictures were still being cut when the pages were visited.")
    print(f"First visits, from {visits_at:.1f} s (target under {VISIT_TARGET:.0f} s each):\n")
    print(f"  {'page':<15} {'path':<52} {'status':>6} {'seconds':>8}")
    for name, path, status, seconds in rows:
        print(f"  {name:<15} {path:<52} {status:>6} {seconds:>8.2f}")


if __name__ == "__main__":
    sys.exit(main())
