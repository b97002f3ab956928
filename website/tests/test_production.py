"""config.settings.production starts with only SECRET_KEY and ALLOWED_HOSTS set, under gunicorn,
and serves pages, the health probe and whitenoise's static files; docker/nginx.conf in front of it serves
static files itself and keeps the private folder internal. The image's default command (nginx in front of
gunicorn, docker/entrypoint.sh `web`) with the demo serves every image of its pages, gzipped HTML, paid files
by X-Accel-Redirect, and absolute URLs on SITE_URL."""

import gzip
import json
import os
import shutil
import subprocess
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from .servers import (
    PROJECT,
    NoRedirect,
    fetch,
    free_port,
    gunicorn,
    gunicorn_serving,
    manage,
    prepared_env,
    production_env,
    shell,
    single_container,
)


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


def nginx_config(tmp_path, *, listen_port, app_ports):
    """A whole nginx.conf from docker/nginx-config (docker/nginx.conf's server block) with this test's port,
    upstream and folders, every file nginx writes in tmp_path: (its path, the folders)."""
    folders = {name: tmp_path / name for name in ("static", "media", "private", "run")}
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    env = {
        "PATH": os.environ["PATH"],
        "NGINX_LISTEN": f"127.0.0.1:{listen_port}",
        "NGINX_UPSTREAM": " ".join(f"127.0.0.1:{port}" for port in app_ports),
        "NGINX_STATIC_DIR": str(folders["static"]),
        "NGINX_MEDIA_DIR": str(folders["media"]),
        "NGINX_PRIVATE_DIR": str(folders["private"]),
        "NGINX_RUN_DIR": str(folders["run"]),
    }
    printed = subprocess.run(
        [PROJECT / "docker" / "nginx-config"], env=env, capture_output=True, text=True, check=True, timeout=30
    )
    config = folders["run"] / "nginx.conf"
    config.write_text(printed.stdout)
    return config, folders


@pytest.mark.skipif(not shutil.which(NGINX), reason="needs Debian's nginx")
def test_nginx_config_serves_static_files_and_proxies_the_app(gunicorn_server):
    base, tmp_path = gunicorn_server
    port = free_port()
    config, folders = nginx_config(tmp_path / "proxy", listen_port=port, app_ports=[urlsplit(base).port])
    shutil.copytree(tmp_path / "static", folders["static"], dirs_exist_ok=True)
    (folders["private"] / "guide.pdf").write_bytes(b"%PDF paid")

    checked = subprocess.run(
        [NGINX, "-t", "-e", "stderr", "-c", str(config)], capture_output=True, text=True, timeout=30
    )
    assert checked.returncode == 0, checked.stderr
    assert "test is successful" in checked.stderr
    proxy = subprocess.Popen(
        [NGINX, "-e", "stderr", "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
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


@pytest.fixture(scope="module")
def demo_container(tmp_path_factory):
    """The image's default command (nginx in front of gunicorn) on this machine, the demo loaded, over plain HTTP
    as the compose file runs it on localhost; SITE_URL names another host than the one requested."""
    tmp_path = tmp_path_factory.mktemp("container")
    env = prepared_env(
        tmp_path,
        setup=[["load_demo", "--renditions=none"]],  # pictures cut on request, as before the demo cut them
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        CSRF_COOKIE_SECURE="false",
    )
    with single_container(tmp_path, env) as base:
        yield {"base": base, "env": env, "data": Path(env["DATA_DIR"])}


# The path of a demo product with a picture gallery (bin/container-test asks the same).
PRODUCT_WITH_GALLERY = (
    "from products.models import ProductPage; "
    "print(ProductPage.objects.live().filter(gallery_images__isnull=False).order_by('pk').first().url)"
)


def page_html(url):
    # A page's first view makes its renditions (AVIF is slow to encode): more time than other requests.
    status, headers, body = fetch(url, timeout=120, **{"Accept-Encoding": "gzip, deflate, br"})
    assert status == 200, url
    assert headers["Content-Encoding"] == "gzip"  # pages and feeds arrive compressed ...
    assert "Accept-Encoding" in headers["Vary"]
    html = gzip.decompress(body)
    assert len(body) < len(html) / 2  # ... to well under half (random BREACH padding included)
    return html.decode()


def media_urls(html):
    """Every /media/ URL an <img> or <source> of the page names."""
    page = BeautifulSoup(html, "html.parser")
    urls = {tag["src"] for tag in page.find_all("img", src=True)}
    for tag in page.find_all(["img", "source"], srcset=True):
        urls |= {candidate.split()[0] for candidate in tag["srcset"].split(",")}
    return {urlsplit(url).path for url in urls if urlsplit(url).path.startswith("/media/")}


def test_the_single_container_serves_every_image_the_home_page_and_a_product_page_show(demo_container):
    base, media = demo_container["base"], demo_container["data"] / "media"
    product_path = shell(demo_container["env"], PRODUCT_WITH_GALLERY)
    urls = media_urls(page_html(f"{base}/")) | media_urls(page_html(f"{base}{product_path}"))
    assert len(urls) > 10 and any(url.endswith(".avif") for url in urls) and any(url.endswith(".webp") for url in urls)

    for url in sorted(urls):
        status, headers, body = fetch(base + url)
        assert status == 200, url
        assert headers["Server"] == "nginx" and headers["Content-Type"].startswith("image/"), url
        assert headers["Cache-Control"] == "public, max-age=31536000"  # renditions kept for a year, as on S3
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert body == (media / url.removeprefix("/media/")).read_bytes()

    original = next((media / "original_images").iterdir())
    status, headers, body = fetch(f"{base}/media/original_images/{original.name}")
    assert status == 200 and body == original.read_bytes()
    assert fetch(f"{base}/media/original_images/no-such.jpg")[0] == 404


def test_the_single_container_sends_static_files_gzipped_and_paid_files_by_x_accel(demo_container):
    base, env = demo_container["base"], demo_container["env"]
    manifest = json.loads((Path(env["STATIC_ROOT"]) / "staticfiles.json").read_text())
    css = next(name for name in manifest["paths"].values() if name.startswith("css/dist/styles."))
    status, headers, body = fetch(f"{base}/static/{css}", **{"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(body) == (Path(env["STATIC_ROOT"]) / css).read_bytes()

    grant_url = shell(
        env,
        "from checkout.models import DownloadGrant; "
        "grant = DownloadGrant.objects.filter(line__order__user=None).order_by('-line__order__paid_at').first(); "
        "print(grant.get_absolute_url())",
    )  # a guest's paid file from the demo's orders
    status, headers, body = fetch(base + grant_url)
    assert status == 200 and headers["Server"] == "nginx" and "X-Accel-Redirect" not in headers
    private = demo_container["data"] / "private"
    assert body in {path.read_bytes() for path in private.rglob("*") if path.is_file()}
    assert fetch(f"{base}/protected/")[0] == 404  # internal: no URL reaches the private folder


def test_every_absolute_url_names_site_url_not_the_host_requested(demo_container):
    base = demo_container["base"]  # http://127.0.0.1:<port>; production_env's SITE_URL is https://shop.example.com
    home = BeautifulSoup(page_html(f"{base}/"), "html.parser")
    assert home.find("link", rel="canonical")["href"] == "https://shop.example.com/"
    assert home.find("meta", property="og:url")["content"] == "https://shop.example.com/"
    assert home.find("meta", property="og:image")["content"].startswith("https://shop.example.com/media/images/")

    sitemap = ET.fromstring(page_html(f"{base}/sitemap.xml"))  # noqa: S314 - our own response
    locations = [url[0].text for url in sitemap]
    assert len(locations) > 10 and all(loc.startswith("https://shop.example.com/") for loc in locations)
    feed = ET.fromstring(page_html(f"{base}/feeds/journal/rss/"))  # noqa: S314 - our own response
    links = [item.findtext("link") for item in feed.iter("item")]
    assert links and all(link.startswith("https://shop.example.com/journal/") for link in links)


def stylesheets(html):
    return [link["href"] for link in BeautifulSoup(html, "html.parser").find_all("link", rel="stylesheet")]


def rehash_stylesheet(static_root):
    """What collectstatic does with a changed stylesheet: a new hashed name in the manifest, and no old one on
    disk (a new image's static folder holds only its own files). Returns the new name."""
    manifest_path = static_root / "staticfiles.json"
    manifest = json.loads(manifest_path.read_text())
    old = manifest["paths"]["css/dist/styles.css"]
    new = "css/dist/styles.0123456789ab.css"
    (static_root / new).write_text((static_root / old).read_text() + "\n/* the next release */\n")
    for path in (static_root / "css" / "dist").glob(f"{Path(old).name}*"):
        path.unlink()
    manifest["paths"]["css/dist/styles.css"] = new
    manifest_path.write_text(json.dumps(manifest))
    return new


def test_a_new_release_on_the_same_data_serves_its_own_stylesheet_not_the_last_ones_kept_pages(
    demo_container, tmp_path
):
    """An upgrade keeps the data volume, and the page cache with it (files there, or Redis). The pages the last
    release kept name its hashed stylesheet, which the new image's static folder does not have."""
    host = {"Host": "localhost"}  # the same address in both releases' cache keys: the shop's own
    env = demo_container["env"]
    status, headers, old_home = fetch(f"{demo_container['base']}/", **host)
    assert status == 200
    assert fetch(f"{demo_container['base']}/", **host)[1]["X-Page-Cache"] == "hit"  # kept by the running release

    new_static = tmp_path / "static"
    shutil.copytree(env["STATIC_ROOT"], new_static)
    new_css = rehash_stylesheet(new_static)
    with gunicorn_serving({**env, "STATIC_ROOT": str(new_static)}) as base:
        status, headers, new_home = fetch(f"{base}/", **host)
        css_status = fetch(f"{base}{stylesheets(new_home.decode())[0]}", **host)[0]

    assert stylesheets(old_home.decode()) != stylesheets(new_home.decode())
    assert (status, headers["X-Page-Cache"]) == (200, "miss")
    assert stylesheets(new_home.decode()) == [f"/static/{new_css}"] and css_status == 200
