import pytest

from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_robots_txt_keeps_crawlers_out_of_private_paths_and_points_at_the_sitemap(client):
    response = client.get(reverse("robots_txt"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "max-age=86400" in response["Cache-Control"]
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    disallowed = {line.removeprefix("Disallow: ") for line in lines if line.startswith("Disallow:")}
    assert disallowed == {
        "/admin/",
        "/cart/",
        "/checkout/",
        "/account/",
        "/accounts/",
        "/downloads/",
        "/documents/",
        "/orders/",
    }
    assert "Allow: /" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_the_sitemap_line_follows_the_requested_host_and_scheme(client):
    response = client.get(reverse("robots_txt"), HTTP_HOST="localhost", secure=True)

    assert "Sitemap: https://localhost/sitemap.xml" in response.content.decode().splitlines()


def test_robots_txt_answers_only_reads(client):
    assert client.post(reverse("robots_txt")).status_code == 405
