"""website.settings.production starts with only SECRET_KEY and ALLOWED_HOSTS set, under gunicorn,
and serves pages, the health probe and whitenoise's static files; docker/nginx.conf in front of it serves
static files itself and keeps the private folder internal."""

import json
import os
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest

from .servers import PROJECT, NoRedirect, fetch, free_port, gunicorn, manage, production_env


def test_settings_refuse_to_start_without_secret_key(tmp_path):
    env = production_env(tmp_path)
    del env["SECRET_KEY"]
    result = manage(env, "check")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_check_deploy_is_clean(tmp_path):
    result = manage(production_env(tmp_path), "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.fixture
def gunicorn_server(tmp_path):
    with gunicorn(tmp_path) as base:
        yield base, tmp_path


def test_gunicorn_serves_health_pages_and_static_files(gunicorn_server):
    base, tmp_path = gunicorn_server

    status, headers, body = fetch(f"{base}/health/")
    assert status == 200 and b'"ok"' in body
    assert headers["Cache-Control"] == "no-store"

    # Plain HTTP is redirected to HTTPS by default ...
    opener = urllib.request.build_opener(NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as redirect:
        opener.open(f"{base}/")
    assert redirect.value.code == 301
    assert redirect.value.headers["Location"].startswith("https://")

    # ... and served behind a TLS-terminating proxy, with the security headers set.
    status, headers, _body = fetch(f"{base}/", **{"X-Forwarded-Proto": "https"})
    assert status in (200, 404)  # no pages yet in a fresh database: Wagtail's own root
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"

    manifest = (tmp_path / "static" / "staticfiles.json").read_text()
    hashed_css = next(name for name in json.loads(manifest)["paths"].values() if name.startswith("css/dist/styles."))
    status, headers, body = fetch(f"{base}/static/{hashed_css}", **{"X-Forwarded-Proto": "https"})
    assert status == 200
    assert headers["Content-Type"].startswith("text/css")
    assert "immutable" in headers["Cache-Control"]
    assert len(body) > 1000


NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def nginx_config(tmp_path, *, listen_port, app_port):
    """docker/nginx.conf with the compose service name and volumes swapped for this test's port and folders,
    inside a minimal main configuration that keeps every file nginx writes in tmp_path."""
    folders = {name: tmp_path / name for name in ("static", "media", "private")}
    for folder in [*folders.values(), tmp_path / "nginx"]:
        folder.mkdir(parents=True, exist_ok=True)
    server = (
        (PROJECT / "docker" / "nginx.conf")
        .read_text()
        .replace("server app:8000;", f"server 127.0.0.1:{app_port};")
        .replace("listen 80;", f"listen 127.0.0.1:{listen_port};")
    )
    for name, folder in folders.items():
        server = server.replace(f"/srv/{name}/", f"{folder}/")
    nginx = tmp_path / "nginx"
    (nginx / "site.conf").write_text(server)
    # As root, nginx's workers would drop to "nobody", who cannot read pytest's private tmp folders.
    user = "user root;\n" if os.geteuid() == 0 else ""
    (nginx / "nginx.conf").write_text(
        f"{user}daemon off;\npid {nginx}/nginx.pid;\nerror_log {nginx}/error.log;\nevents {{}}\n"
        f"http {{\n  include /etc/nginx/mime.types;\n  access_log off;\n  client_body_temp_path {nginx};\n"
        f"  proxy_temp_path {nginx};\n  include {nginx}/site.conf;\n}}\n"
    )
    return nginx / "nginx.conf", folders


@pytest.mark.skipif(not shutil.which(NGINX), reason="needs Debian's nginx")
def test_nginx_config_serves_static_files_and_proxies_the_app(gunicorn_server):
    base, tmp_path = gunicorn_server
    port = free_port()
    config, folders = nginx_config(tmp_path / "proxy", listen_port=port, app_port=urlsplit(base).port)
    shutil.copytree(tmp_path / "static", folders["static"], dirs_exist_ok=True)
    (folders["private"] / "guide.pdf").write_bytes(b"%PDF paid")

    checked = subprocess.run([NGINX, "-t", "-c", str(config)], capture_output=True, text=True, timeout=30)
    assert checked.returncode == 0, checked.stderr
    assert "test is successful" in checked.stderr
    proxy = subprocess.Popen([NGINX, "-c", str(config)], stderr=subprocess.PIPE)
    try:
        front = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                health = fetch(f"{front}/health/ready/")
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail(f"nginx did not start: {proxy.stderr.read().decode()}")
        manifest = json.loads((folders["static"] / "staticfiles.json").read_text())
        hashed_css = next(name for name in manifest["paths"].values() if name.startswith("css/dist/styles."))
        static = fetch(f"{front}/static/{hashed_css}")
        private = fetch(f"{front}/protected/guide.pdf")
    finally:
        proxy.terminate()
        proxy.wait(timeout=10)

    assert health[0] == 200 and json.loads(health[2])["status"] == "ok"  # through to gunicorn and its database
    assert static[0] == 200 and static[1]["Server"] == "nginx"
    assert static[1]["Cache-Control"] == "public, max-age=31536000, immutable"
    assert static[2] == (folders["static"] / hashed_css).read_bytes()
    assert private[0] == 404 and b"PDF" not in private[2]  # internal: only an X-Accel-Redirect reaches it
