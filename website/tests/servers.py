"""The site as production runs it: config.settings.production under gunicorn on 127.0.0.1, with only
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
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "a-long-random-production-secret-for-the-smoke-test-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "CHECKOUT_ENABLED": "false",
        # Everything else at its default, except where files go, so the test leaves no trace.
        "DATA_DIR": str(tmp_path / "data"),
        "STATIC_ROOT": str(tmp_path / "static"),
        "SITE_URL": "https://shop.example.com",
    }
    env.update(extra)
    return env


def manage(env, *args):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=300
    )


def shell(env, code):
    """Run Python in `manage.py shell` with `env`: its printed output."""
    result = manage(env, "shell", "--no-imports", "-c", code)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def fetch(url, data=None, *, follow=True, timeout=10, **headers):
    """(status, headers, body) of one request; `data` (bytes) makes it a POST; follow=False answers a redirect
    itself, with its own headers."""
    request = urllib.request.Request(url, data=data, headers=headers)
    opener = urllib.request.build_opener() if follow else urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@contextmanager
def serving(command, env, base, *, what):
    """Start `command`, wait until `base`/health/ answers, yield; stop it (SIGTERM) after."""
    server = subprocess.Popen(command, cwd=PROJECT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not answers(f"{base}/health/"):
            if server.poll() is not None or time.monotonic() > deadline:
                server.terminate()
                raise AssertionError(f"{what} did not start: {server.communicate(timeout=20)[1].decode()[-3000:]}")
            time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=20)


def answers(url):
    try:
        return fetch(url)[0] == 200
    except OSError:
        return False


def prepared_env(tmp_path, *, setup=(), **extra):
    """production_env after migrate, collectstatic and each `setup` manage.py command (a list of arguments)."""
    env = production_env(tmp_path, **extra)
    for args in (["migrate", "--noinput"], ["collectstatic", "--noinput"], *setup):
        result = manage(env, *args)
        assert result.returncode == 0, result.stderr[-3000:]
    return env


@contextmanager
def gunicorn(tmp_path, *, setup=()):
    """gunicorn alone with one sync worker on 127.0.0.1, after prepared_env: yields the base URL."""
    with gunicorn_serving(prepared_env(tmp_path, setup=setup)) as base:
        yield base


@contextmanager
def gunicorn_serving(env):
    """gunicorn alone with one sync worker on a free port of 127.0.0.1, with `env` as it is: yields the base URL."""
    port = free_port()
    command = [
        sys.executable, "-m", "gunicorn", "config.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", "1", "--no-control-socket",
    ]  # fmt: skip
    with serving(command, env, f"http://127.0.0.1:{port}", what="gunicorn") as base:
        yield base


@contextmanager
def single_container(tmp_path, env):
    """docker/entrypoint.sh's `web` command as the image runs it (nginx on PORT in front of gunicorn on a unix
    socket), on this machine with the virtualenv's gunicorn and python and nginx's files in tmp_path: yields the
    base URL of nginx, on a free port of 127.0.0.1."""
    port = free_port()
    env = {
        **env,
        "PATH": f"{Path(sys.executable).parent}:{env['PATH']}:/usr/sbin",
        "PORT": str(port),
        "NGINX_LISTEN": f"127.0.0.1:{port}",
        "RUN_DIR": str(tmp_path / "run"),
        "MIGRATE_ON_START": "false",  # prepared_env has migrated
    }
    command = [str(PROJECT / "docker" / "entrypoint.sh"), "web"]
    with serving(command, env, f"http://127.0.0.1:{port}", what="nginx and gunicorn") as base:
        yield base
