"""/downloads/<token>/: who may download, how often, until when, and what each refusal tells the buyer.
Orders are paid, refunded and disputed through FakeStripe and signed webhooks; files are real files on disk."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest

from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse
from django.utils import dateformat, timezone

from accounts.factories import BuyerFactory
from checkout.delivery import downloads
from checkout.models import DownloadGrant, DownloadLog
from products.factories import ProductFileFactory, ProductPageFactory
from website.tests.html import soup

from .shopping import buy, dispute, grant_for, refund

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("requests_commit")]

PDF = b"%PDF-1.4 a tiny paid guide"


@pytest.fixture
def guide(product_index, site_settings):
    product = ProductPageFactory(parent=product_index, title="Field Guide", sku="GUIDE-1", price=Decimal("8.20"))
    ProductFileFactory(page=product, document__title="Field Guide (PDF)")
    return product


@pytest.fixture
def brushes(product_index, site_settings):
    product = ProductPageFactory(parent=product_index, title="Brush Set", sku="BRUSH-1", price=Decimal("5.00"))
    ProductFileFactory(page=product, document__title="Brushes (ZIP)")
    return product


@pytest.fixture
def buyer():
    return BuyerFactory(email="buyer@example.com", password="pw-123456789")


@pytest.fixture
def stranger():
    return BuyerFactory(email="stranger@example.com", password="pw-123456789")


def content_of(response):
    return b"".join(response.streaming_content)


def expire(grant, days_ago=1):
    DownloadGrant.objects.filter(pk=grant.pk).update(expires_at=timezone.now() - timedelta(days=days_ago))


def use_up(grant):
    DownloadGrant.objects.filter(pk=grant.pk).update(download_count=grant.max_downloads)


def count_of(grant):
    return DownloadGrant.objects.get(pk=grant.pk).download_count


def main_text(response):
    return " ".join(soup(response).find("main").get_text(" ").split())


# -- A download ------------------------------------------------------------------------------------


def test_a_guest_downloads_through_the_emailed_link_and_the_download_is_logged(client, fake_stripe, guide, caplog):
    order = buy(client, fake_stripe, guide)
    grant = grant_for(order)
    emailed = re.search(r"https?://\S+/downloads/\S+/", mail.outbox[0].body).group(0)

    # Another browser with nothing but the emailed link: for a guest order, the link is the proof.
    response = Client().get(emailed, REMOTE_ADDR="203.0.113.7", HTTP_USER_AGENT="Mozilla/5.0 Firefox/140.0")

    assert emailed.endswith(grant.get_absolute_url())
    assert response.status_code == 200
    assert content_of(response) == PDF
    assert response["Content-Disposition"] == f'attachment; filename="{grant.document.filename}"'
    assert response["Content-Length"] == str(len(PDF))
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"].startswith("noindex")
    assert count_of(grant) == 1
    log = DownloadLog.objects.get()
    assert (log.grant, log.user, log.ip_address, log.user_agent, log.bytes_sent) == (
        grant,
        None,
        "203.0.113.7",
        "Mozilla/5.0 Firefox/140.0",
        len(PDF),
    )
    assert f"Download of '{grant.document.filename}' (grant {grant.pk}, order {order.number}) by guest" in caplog.text


def test_a_logged_in_buyer_downloads_and_the_log_names_them(client, fake_stripe, guide, buyer):
    client.force_login(buyer)
    order = buy(client, fake_stripe, guide, email=buyer.email)
    grant = grant_for(order)

    response = client.get(grant.get_absolute_url(), HTTP_USER_AGENT="Safari")

    assert response.status_code == 200 and content_of(response) == PDF
    log = DownloadLog.objects.get()
    assert log.user == buyer and log.ip_address == "127.0.0.1" and log.user_agent == "Safari"


def test_the_limit_and_expiry_come_from_site_settings_and_a_product_can_set_its_own_limit(
    client, fake_stripe, guide, brushes, site_settings
):
    site_settings.download_limit, site_settings.download_days = 3, 7
    site_settings.save()
    brushes.download_limit = 2
    brushes.save_revision().publish()

    order = buy(client, fake_stripe, guide, brushes)

    guide_grant, brush_grant = grant_for(order, "GUIDE-1"), grant_for(order, "BRUSH-1")
    assert (guide_grant.max_downloads, brush_grant.max_downloads) == (3, 2)
    assert abs(guide_grant.expires_at - (timezone.now() + timedelta(days=7))) < timedelta(minutes=1)
    statuses = [client.get(brush_grant.get_absolute_url()).status_code for _ in range(3)]
    assert statuses == [200, 200, 403]


# -- Whose it is -----------------------------------------------------------------------------------


def test_an_account_order_asks_an_anonymous_visitor_to_log_in_first(client, fake_stripe, guide, buyer):
    client.force_login(buyer)
    grant = grant_for(buy(client, fake_stripe, guide, email=buyer.email))
    url = grant.get_absolute_url()

    response = Client().get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"
    assert count_of(grant) == 0 and not DownloadLog.objects.exists()


def test_another_users_downloads_and_orders_are_not_found(client, fake_stripe, guide, buyer, stranger):
    client.force_login(buyer)
    order = buy(client, fake_stripe, guide, email=buyer.email)
    grant = grant_for(order)
    other = Client()
    other.force_login(stranger)
    theirs = buy(other, fake_stripe, guide, email=stranger.email)

    assert other.get(grant.get_absolute_url()).status_code == 404
    assert other.get(reverse("checkout:order", args=[order.number, theirs.access_token])).status_code == 404
    assert other.post(reverse("checkout:download_renew", args=[grant.token])).status_code == 404
    assert count_of(grant) == 0


@pytest.mark.parametrize(
    "alter",
    [
        pytest.param(lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"), id="last-character-changed"),
        pytest.param(lambda token: token[:-1], id="one-character-short"),
        pytest.param(lambda token: token + "x", id="one-character-more"),
        pytest.param(lambda token: token.swapcase(), id="case-swapped"),
        pytest.param(lambda token: "A" * len(token), id="all-one-letter"),
        pytest.param(lambda token: token + "/../", id="path-appended"),
    ],
)
def test_an_altered_token_is_not_found(client, fake_stripe, guide, alter):
    grant = grant_for(buy(client, fake_stripe, guide))

    response = client.get(f"/downloads/{alter(grant.token)}/")

    assert response.status_code == 404
    assert count_of(grant) == 0


def test_a_token_cannot_be_forged_from_ids(client, fake_stripe, guide, brushes):
    order = buy(client, fake_stripe, guide, brushes)
    grant = grant_for(order, "GUIDE-1")
    forgeries = [
        str(grant.pk),
        f"{grant.line_id}-{grant.document_id}",
        order.number,
        f"{order.number}-{grant.pk}",
        order.access_token,  # the order page's token is not a download token
        f"{grant.token[:-2]}{grant.pk:02d}",
        grant_for(order, "BRUSH-1").token[:20] + grant.token[20:],
    ]

    assert [client.get(f"/downloads/{forgery}/").status_code for forgery in forgeries] == [404] * len(forgeries)
    assert not DownloadLog.objects.exists()


# -- What stops a download ---------------------------------------------------------------------------


def test_an_expired_link_answers_410_with_a_form_to_email_a_fresh_one(client, fake_stripe, guide):
    grant = grant_for(buy(client, fake_stripe, guide))
    expire(grant)

    response = client.get(grant.get_absolute_url())

    assert response.status_code == 410
    text = main_text(response)
    assert "This download link has expired" in text and "b•••@example.com" in text
    form = soup(response).find("form", action=reverse("checkout:download_renew", args=[grant.token]))
    assert form["method"] == "post" and form.find("input", attrs={"name": "csrfmiddlewaretoken"})
    assert form.find("button").get_text(strip=True) == "Email me a fresh link"
    assert response["Cache-Control"] == "private, no-store"
    assert count_of(grant) == 0 and not DownloadLog.objects.exists()


def test_an_expired_link_with_no_downloads_left_offers_no_fresh_link(client, fake_stripe, guide):
    grant = grant_for(buy(client, fake_stripe, guide))
    expire(grant)
    use_up(grant)

    response = client.get(grant.get_absolute_url())

    assert response.status_code == 410
    assert "All its downloads were used" in main_text(response)
    assert not soup(response).find("form", action=reverse("checkout:download_renew", args=[grant.token]))


def test_no_downloads_left_answers_403_with_the_reason(client, fake_stripe, guide):
    grant = grant_for(buy(client, fake_stripe, guide))
    use_up(grant)

    response = client.get(grant.get_absolute_url())

    assert response.status_code == 403
    assert "You have used all 5 downloads of this file." in main_text(response)
    assert count_of(grant) == 5 and not DownloadLog.objects.exists()


def test_the_expired_and_used_up_pages_name_the_file_its_order_and_its_count(client, fake_stripe, guide):
    grant = grant_for(buy(client, fake_stripe, guide))
    order_number = grant.line.order.number
    expire(grant)

    expired = main_text(client.get(grant.get_absolute_url()))

    assert f"{grant.document.title} {grant.line.title} · Order {order_number} 5 of 5 downloads left" in expired
    DownloadGrant.objects.filter(pk=grant.pk).update(
        expires_at=timezone.now() + timedelta(days=1), max_downloads=1, download_count=1
    )

    used_up = main_text(client.get(grant.get_absolute_url()))

    assert f"{grant.document.title} {grant.line.title} · Order {order_number} 1 of 1 download used" in used_up


def test_a_full_refund_closes_every_download(client, fake_stripe, guide, brushes):
    order = buy(client, fake_stripe, guide, brushes)

    refund(fake_stripe, order, 1320)

    for sku in ("GUIDE-1", "BRUSH-1"):
        response = client.get(grant_for(order, sku).get_absolute_url())
        assert response.status_code == 403
        assert "This order was refunded, so its downloads are closed." in main_text(response)
    assert not DownloadLog.objects.exists()


def test_a_partial_refund_closes_only_its_line(client, fake_stripe, guide, brushes):
    order = buy(client, fake_stripe, guide, brushes)

    refund(fake_stripe, order, 500, lines=[order.lines.get(sku="BRUSH-1")])

    refunded = client.get(grant_for(order, "BRUSH-1").get_absolute_url())
    kept = client.get(grant_for(order, "GUIDE-1").get_absolute_url())
    assert refunded.status_code == 403
    assert "This item was refunded, so its download is closed." in main_text(refunded)
    assert kept.status_code == 200 and content_of(kept) == PDF


def test_a_disputed_payment_pauses_downloads(client, fake_stripe, guide):
    order = buy(client, fake_stripe, guide)

    dispute(fake_stripe, order)

    response = client.get(grant_for(order).get_absolute_url())
    assert response.status_code == 403
    assert "paused while its payment is disputed" in main_text(response)


def test_a_refund_comes_before_expiry_and_exhaustion(client, fake_stripe, guide):
    """An expired, used-up, refunded grant says it was refunded: the reason that holds whatever else changes."""
    order = buy(client, fake_stripe, guide)
    grant = grant_for(order)
    expire(grant)
    use_up(grant)

    refund(fake_stripe, order, 820)

    assert client.get(grant.get_absolute_url()).status_code == 403
    assert client.post(reverse("checkout:download_renew", args=[grant.token])).status_code == 200
    assert "A fresh download link" not in " ".join(message.subject for message in mail.outbox)


def test_a_missing_file_answers_503_and_costs_nothing(client, fake_stripe, guide):
    grant = grant_for(buy(client, fake_stripe, guide))
    grant.document.file.storage.delete(grant.document.file.name)

    response = client.get(grant.get_absolute_url())

    assert response.status_code == 503
    assert "Nothing was counted" in main_text(response)
    assert count_of(grant) == 0 and not DownloadLog.objects.exists()


def test_only_get_downloads(client, fake_stripe, guide):
    grant = grant_for(buy(client, fake_stripe, guide))
    assert client.post(grant.get_absolute_url()).status_code == 405
    assert client.head(grant.get_absolute_url()).status_code == 405
    assert count_of(grant) == 0


# -- Handing the file over ------------------------------------------------------------------------------


def test_behind_nginx_the_file_is_handed_over_with_x_accel_redirect(client, fake_stripe, guide, settings):
    settings.DOWNLOAD_DELIVERY = "x-accel"
    settings.DOWNLOAD_ACCEL_PREFIX = "/protected/"
    grant = grant_for(buy(client, fake_stripe, guide))

    response = client.get(grant.get_absolute_url())

    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/protected/{grant.document.file.name}"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{grant.document.filename}"'
    assert response["Cache-Control"] == "private, no-store"
    assert DownloadLog.objects.get().bytes_sent == len(PDF) and count_of(grant) == 1


def test_behind_apache_the_file_is_handed_over_with_x_sendfile(client, fake_stripe, guide, settings, media_storage):
    settings.DOWNLOAD_DELIVERY = "x-sendfile"
    grant = grant_for(buy(client, fake_stripe, guide))

    response = client.get(grant.get_absolute_url())

    assert response.status_code == 200 and response.content == b""
    assert response["X-Sendfile"] == str(media_storage["private"] / grant.document.file.name)
    assert response["Content-Disposition"] == f'attachment; filename="{grant.document.filename}"'
    assert DownloadLog.objects.get().bytes_sent == len(PDF)


@pytest.mark.parametrize("mode", ["signed-url", "carrier-pigeon"])
def test_a_delivery_the_storage_cannot_do_is_a_configuration_error_that_costs_nothing(
    client, fake_stripe, guide, settings, mode
):
    """Signed URLs need a storage that signs them (S3: see test_private_files); local files cannot."""
    settings.DOWNLOAD_DELIVERY = mode
    grant = grant_for(buy(client, fake_stripe, guide))

    with pytest.raises(ImproperlyConfigured):
        client.get(grant.get_absolute_url())

    assert count_of(grant) == 0


# -- A fresh link for an expired one ------------------------------------------------------------------


def renew_with_csrf(browser, grant, **data):
    """Open the expired page as a browser would, then press its button (with its CSRF token)."""
    page = browser.get(grant.get_absolute_url())
    form = soup(page).find("form", action=reverse("checkout:download_renew", args=[grant.token]))
    token = form.find("input", attrs={"name": "csrfmiddlewaretoken"})["value"]
    return browser.post(form["action"], {"csrfmiddlewaretoken": token, **data})


def test_a_fresh_link_goes_to_the_order_address_only_and_the_old_link_dies(fake_stripe, guide, site_settings):
    site_settings.download_days = 10
    site_settings.save()
    order = buy(Client(), fake_stripe, guide)
    grant = grant_for(order)
    browser = Client(enforce_csrf_checks=True)  # the emailed link, opened wherever the buyer reads mail
    old_url = grant.get_absolute_url()
    expire(grant)
    mail.outbox.clear()

    # A typed address in the request changes nothing: only the order's address ever gets the link.
    response = renew_with_csrf(browser, grant, email="attacker@example.com")

    assert response.status_code == 200
    assert "a fresh one is on its way to b•••@example.com" in main_text(response)
    assert [message.to for message in mail.outbox] == [["buyer@example.com"]]
    renewed = DownloadGrant.objects.get(pk=grant.pk)
    assert renewed.token != grant.token
    assert abs(renewed.expires_at - (timezone.now() + timedelta(days=10))) < timedelta(minutes=1)
    assert renewed.get_absolute_url() in mail.outbox[0].body and old_url not in mail.outbox[0].body
    assert "attacker" not in mail.outbox[0].body
    assert browser.get(old_url).status_code == 404
    fresh = browser.get(renewed.get_absolute_url())
    assert fresh.status_code == 200 and content_of(fresh) == PDF


def test_asking_for_a_fresh_link_without_a_csrf_token_is_refused(fake_stripe, guide):
    grant = grant_for(buy(Client(), fake_stripe, guide))
    browser = Client(enforce_csrf_checks=True)
    browser.get(grant.get_absolute_url())  # the page sets the CSRF cookie; the forged POST has no token
    expire(grant)
    mail.outbox.clear()

    response = browser.post(reverse("checkout:download_renew", args=[grant.token]))

    assert response.status_code == 403
    assert not mail.outbox and DownloadGrant.objects.get(pk=grant.pk).token == grant.token


def test_the_answer_is_the_same_whether_or_not_a_link_could_be_sent(client, fake_stripe, product_index, site_settings):
    kit = ProductPageFactory(parent=product_index, title="Kit", sku="KIT-1", price=Decimal("9.00"))
    for title in ("Part one", "Part two", "Part three"):
        ProductFileFactory(page=kit, document__title=title)
    order = buy(client, fake_stripe, kit)
    renewable, used_up, still_valid = DownloadGrant.objects.filter(line__order=order).order_by("pk")
    expire(renewable)
    expire(used_up)
    use_up(used_up)
    mail.outbox.clear()

    answers = [
        client.post(reverse("checkout:download_renew", args=[g.token])) for g in (renewable, used_up, still_valid)
    ]

    assert [answer.status_code for answer in answers] == [200, 200, 200]
    assert len({main_text(answer) for answer in answers}) == 1
    assert len(mail.outbox) == 1 and "Part one" in mail.outbox[0].body


def test_fresh_links_are_rate_limited_per_grant(client, fake_stripe, guide):
    grant = grant_for(buy(client, fake_stripe, guide))
    mail.outbox.clear()
    limit = downloads.RENEWALS_PER_GRANT[0]

    for _ in range(limit):
        expire(grant)
        assert client.post(reverse("checkout:download_renew", args=[grant.token])).status_code == 200
        grant.refresh_from_db()
    expire(grant)
    response = client.post(reverse("checkout:download_renew", args=[grant.token]))

    assert response.status_code == 429
    assert "You have asked for several fresh links already" in main_text(response)
    assert len(mail.outbox) == limit
    assert DownloadGrant.objects.get(pk=grant.pk).token == grant.token


def test_fresh_links_are_rate_limited_per_ip_address(client, fake_stripe, guide, brushes, monkeypatch):
    monkeypatch.setattr(downloads, "RENEWALS_PER_IP", (1, 3600))
    order = buy(client, fake_stripe, guide, brushes)
    first, second = grant_for(order, "GUIDE-1"), grant_for(order, "BRUSH-1")
    expire(first)
    expire(second)
    mail.outbox.clear()

    answers = [
        client.post(reverse("checkout:download_renew", args=[first.token]), REMOTE_ADDR="198.51.100.4"),
        client.post(reverse("checkout:download_renew", args=[second.token]), REMOTE_ADDR="198.51.100.4"),
        Client().post(reverse("checkout:download_renew", args=[second.token]), REMOTE_ADDR="198.51.100.5"),
    ]

    assert [answer.status_code for answer in answers] == [200, 429, 200]
    assert len(mail.outbox) == 2


def test_a_fresh_link_for_an_account_order_needs_its_user(client, fake_stripe, guide, buyer):
    client.force_login(buyer)
    grant = grant_for(buy(client, fake_stripe, guide, email=buyer.email))
    expire(grant)
    mail.outbox.clear()

    response = Client().post(reverse("checkout:download_renew", args=[grant.token]))

    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert not mail.outbox
    assert client.post(reverse("checkout:download_renew", args=[grant.token])).status_code == 200
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [buyer.email]


# -- Where the links are shown -------------------------------------------------------------------------


def link_named(element, name):
    return element.find(lambda tag: tag.name == "a" and tag.get_text(" ", strip=True).startswith(name))


def test_the_success_page_lists_each_file_with_its_download_button(client, fake_stripe, guide, brushes):
    order = buy(client, fake_stripe, guide, brushes)

    response = client.get(reverse("checkout:success"), {"session_id": order.payment_session_id})

    section = soup(response).find("section", attrs={"aria-labelledby": "downloads-heading"})
    items = section.find_all("li")
    assert [item.find("p").get_text(strip=True) for item in items] == ["Field Guide (PDF)", "Brushes (ZIP)"]
    for item, sku in zip(items, ["GUIDE-1", "BRUSH-1"], strict=True):
        grant = grant_for(order, sku)
        assert link_named(item, "Download")["href"] == grant.get_absolute_url()
        until = dateformat.format(timezone.localtime(grant.expires_at), "j F Y")
        assert f"5 of 5 downloads left, until {until}" in " ".join(item.get_text(" ").split())
    assert soup(response).find("a", href=reverse("checkout:find_order"))


def test_the_order_page_says_why_a_file_has_no_button(client, fake_stripe, guide, brushes):
    order = buy(client, fake_stripe, guide, brushes)
    expire(grant_for(order, "GUIDE-1"))
    refund(fake_stripe, order, 500, lines=[order.lines.get(sku="BRUSH-1")])

    response = client.get(reverse("checkout:order", args=[order.number, order.access_token]))

    section = soup(response).find("section", attrs={"aria-labelledby": "downloads-heading"})
    guide_item, brush_item = section.find_all("li")
    assert "This download link expired on" in guide_item.get_text()
    assert link_named(guide_item, "Get a fresh link")["href"] == grant_for(order, "GUIDE-1").get_absolute_url()
    assert "This item was refunded" in brush_item.get_text() and not brush_item.find("a")
    assert soup(response).find("a", href=reverse("checkout:find_order"))


def test_the_receipt_carries_an_absolute_link_for_each_file(client, fake_stripe, guide, brushes, site):
    order = buy(client, fake_stripe, guide, brushes)

    receipt = mail.outbox[0]
    html = receipt.alternatives[0][0]

    for sku in ("GUIDE-1", "BRUSH-1"):
        url = f"{site.root_url}{grant_for(order, sku).get_absolute_url()}"
        assert f"Download: {url}" in receipt.body
        assert f'href="{url}"' in html
    assert receipt.body.count("5 of 5 downloads left, until") == 2
