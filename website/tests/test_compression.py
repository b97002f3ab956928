"""HTML and other text leave gzipped when the client accepts it; private pages and streamed files do not."""

import gzip

import pytest

from django.http import FileResponse, HttpResponse
from django.test import RequestFactory

from website.compression import TextGZipMiddleware

BROWSER = "gzip, deflate, br, zstd"


@pytest.mark.django_db
def test_a_page_arrives_gzipped_with_vary_and_random_padding(client, home_page, site_settings):
    plain = client.get(home_page.url)
    assert plain.status_code == 200 and "Content-Encoding" not in plain  # no Accept-Encoding: sent as it is

    answers = [client.get(home_page.url, HTTP_ACCEPT_ENCODING=BROWSER) for _ in range(6)]

    for answer in answers:
        assert answer["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in answer["Vary"]
        assert int(answer["Content-Length"]) == len(answer.content) < len(plain.content)
        assert gzip.decompress(answer.content).startswith(b"<!doctype html>")
    # Heal-the-Breach padding: the same page compresses to different lengths (six equal: odds of 1 in 10^10).
    assert len({len(answer.content) for answer in answers}) > 1


@pytest.mark.django_db
def test_the_sitemap_is_gzipped_too(client, home_page, blog_index, product_index):
    answer = client.get("/sitemap.xml", HTTP_ACCEPT_ENCODING="gzip")
    assert answer["Content-Encoding"] == "gzip"
    assert b"<urlset" in gzip.decompress(answer.content)


def middleware_answer(response):
    request = RequestFactory().get("/", HTTP_ACCEPT_ENCODING=BROWSER)
    return TextGZipMiddleware(lambda _request: response)(request)


@pytest.mark.parametrize("cache_control", ["private, no-store", "private", "no-store"])
def test_a_private_page_is_not_compressed(cache_control):
    page = HttpResponse("<p>Your order ABCD1234, download token s3cr3t</p>" * 20, content_type="text/html")
    page["Cache-Control"] = cache_control
    answer = middleware_answer(page)
    assert "Content-Encoding" not in answer and b"s3cr3t" in answer.content


def test_streamed_files_and_binary_bodies_are_not_compressed(tmp_path):
    paid = tmp_path / "guide.txt"
    paid.write_text("chapter one\n" * 200)
    with paid.open("rb") as handle:
        streamed = middleware_answer(FileResponse(handle, content_type="text/plain"))
        assert "Content-Encoding" not in streamed and streamed["Content-Length"] == str(paid.stat().st_size)

    image = middleware_answer(HttpResponse(b"\x00" * 5000, content_type="image/png"))
    assert "Content-Encoding" not in image
