"""The site as production runs it: website.settings.production under gunicorn on 127.0.0.1, with only
SECRET_KEY and ALLOWED_HOSTS set, its database and files in a test's own folder."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(tmp_path, **extra):
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "website.settings.production",
        "SECRET_KEY": "a-long-random-production-secret-for-the-smoke-test-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CHECKOUT_ENABLED": "false",
        # Everything else at its default, except where files go, so the test leaves no trace.
        "DATA_DIR": str(tmp_path / "data"),
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    env.update(extra)
    return env


def manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=300
    )


def fetch(url, data=None, *, follow=True, **headers):
    """(status, headers, body) of one request; `data` (bytes) makes it a POST; follow=False answers a redirect
    itself, with its own headers."""
    request = urllib.request.Request(url, data=data, headers=headers)
    opener = urllib.request.build_opener() if follow else urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@contextmanager
def gunicorn(tmp_path, *, setup=()):
    """Migrate, collect static files, run each `setup` manage.py command (a list of arguments), then serve:
    yields the base URL and stops the server after."""
    env = production_env(tmp_path)
    for args in (["migrate", "--noinput"], ["collectstatic", "--noinput"], *setup):
        result = manage(env, *args)
        assert result.returncode == 0, result.stderr
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "website.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", "1", "--no-control-socket",
        ],
        cwd=PROJECT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if fetch(f"{base}/health/")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            server.terminate()
            raise AssertionError(f"gunicorn did not start: {server.stderr.read().decode()}")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)
