"""The shopper's dashboard: their orders, files, download history, wishlist, membership and details,
and nobody else's."""

from datetime import timedelta

import pytest

from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from wagtail.models import PageViewRestriction

from accounts.factories import UserFactory
from accounts.models import WishlistItem
from checkout.factories import DownloadGrantFactory, DownloadLogFactory, OrderFactory, OrderLineFactory
from checkout.models import Order
from infopages.models import InfoPage
from products.factories import ProductPageFactory
from website.money import format_money
from website.tests.html import soup as parse

pytestmark = pytest.mark.django_db

ACCOUNT_PAGES = [
    ("accounts:dashboard", ()),
    ("accounts:orders", ()),
    ("accounts:downloads", ()),
    ("accounts:wishlist", ()),
    ("accounts:membership", ()),
    ("accounts:settings", ()),
    ("accounts:order", ("ABCD2345",)),
]


@pytest.fixture
def shopper(site_settings):
    return UserFactory(email="ada@example.com", first_name="Ada")


@pytest.fixture
def shopper_client(shopper):
    client = Client()
    client.force_login(shopper)
    return client


def grant_for(user, title="Field Guide PDF", **kwargs):
    line = OrderLineFactory(order=OrderFactory(user=user, email=user.email if user else "guest@example.com"))
    return DownloadGrantFactory(line=line, document__title=title, **kwargs)


@pytest.mark.parametrize(("name", "args"), ACCOUNT_PAGES)
def test_every_account_page_asks_an_anonymous_visitor_to_log_in(client, site_settings, name, args):
    url = reverse(name, args=args)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"


@pytest.mark.parametrize(("name", "args"), ACCOUNT_PAGES[:-1])
def test_account_pages_are_private_to_search_engines_and_marked_in_the_navigation(shopper_client, name, args):
    response = shopper_client.get(reverse(name, args=args))

    assert response.status_code == 200
    soup = parse(response)
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    current = soup.select('nav[aria-label="Your account"] [aria-current="page"]')
    assert len(current) == 1


def test_the_overview_greets_the_shopper_and_shows_recent_orders_files_and_saved_products(
    shopper, shopper_client, product_index
):
    grant = grant_for(shopper, title="Workbook PDF")
    product = ProductPageFactory(parent=product_index, title="Riverstone Brushes")
    WishlistItem.objects.create(user=shopper, product=product)

    soup = parse(shopper_client.get(reverse("accounts:dashboard")))

    assert soup.h1.get_text(strip=True) == "Hello, Ada"
    text = soup.main.get_text(" ", strip=True)
    assert f"Order {grant.line.order.number}" in text
    assert "Workbook PDF" in text
    assert soup.find("a", href=grant.get_absolute_url())
    assert "Riverstone Brushes" in text


def test_orders_lists_the_shoppers_placed_orders_newest_first_and_nobody_elses(shopper, shopper_client):
    older = OrderFactory(user=shopper, email=shopper.email)
    Order.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(days=3))
    newer = OrderFactory(user=shopper, email=shopper.email, status=Order.Status.REFUNDED)
    abandoned = OrderFactory(user=shopper, email=shopper.email, status=Order.Status.PENDING)
    someone_elses = OrderFactory(user=UserFactory())
    guest_same_address = OrderFactory(user=None, email=shopper.email)

    soup = parse(shopper_client.get(reverse("accounts:orders")))

    order_links = soup.select("main a[href*='/account/orders/']")
    links = [a["href"] for a in order_links if a["href"] != reverse("accounts:orders")]
    assert links == [reverse("accounts:order", args=[newer.number]), reverse("accounts:order", args=[older.number])]
    text = soup.main.get_text(" ", strip=True)
    assert "Refunded" in text
    for hidden in (abandoned, someone_elses, guest_same_address):
        assert hidden.number not in text


def test_the_orders_list_shows_what_the_shopper_paid_after_a_promotion(shopper, shopper_client):
    order = OrderFactory(user=shopper, email=shopper.email)
    Order.objects.filter(pk=order.pk).update(discount=order.total / 4, promotion_code="SPRING25")
    order.refresh_from_db()

    soup = parse(shopper_client.get(reverse("accounts:orders")))

    row = soup.select_one(f"main li:has(a[href='{reverse('accounts:order', args=[order.number])}'])")
    assert format_money(order.amount_paid, order.currency) in row.get_text(" ", strip=True)
    assert format_money(order.total, order.currency) not in row.get_text(" ", strip=True)


def test_an_order_page_is_the_receipt_with_its_files(shopper, shopper_client):
    grant = grant_for(shopper, title="Workbook PDF")
    order = grant.line.order

    response = shopper_client.get(reverse("accounts:order", args=[order.number]))

    assert response.status_code == 200
    soup = parse(response)
    assert soup.h1.get_text(strip=True) == f"Order {order.number}"
    text = soup.main.get_text(" ", strip=True)
    assert "Workbook PDF" in text
    assert "Total" in text
    assert soup.find("button", attrs={"data-print": True})


def test_another_shoppers_order_is_not_found(shopper_client):
    other = OrderFactory(user=UserFactory())
    guest = OrderFactory(user=None, email="ada@example.com")

    assert shopper_client.get(reverse("accounts:order", args=[other.number])).status_code == 404
    assert shopper_client.get(reverse("accounts:order", args=[guest.number])).status_code == 404
    assert shopper_client.get(reverse("accounts:order", args=["NOSUCH00"])).status_code == 404


def test_downloads_show_each_file_with_what_is_left_and_until_when(shopper, shopper_client):
    ready = grant_for(shopper, title="Ready PDF", max_downloads=5, download_count=2)
    expired = grant_for(shopper, title="Old ZIP", expires_at=timezone.now() - timedelta(days=1))
    used_up = grant_for(shopper, title="Used PDF", max_downloads=3, download_count=3)
    refunded = grant_for(shopper, title="Refunded ZIP", revoked_at=timezone.now())
    disputed = grant_for(shopper, title="Disputed PDF")
    Order.objects.filter(pk=disputed.line.order_id).update(status=Order.Status.DISPUTED)
    others = grant_for(UserFactory(), title="Someone Else's PDF")

    soup = parse(shopper_client.get(reverse("accounts:downloads")))

    rows = {li.find("p").get_text(strip=True): li for li in soup.select("section[aria-labelledby=files-heading] li")}
    assert set(rows) == {"Ready PDF", "Old ZIP", "Used PDF", "Refunded ZIP", "Disputed PDF"}
    assert "3 of 5 downloads left, until" in rows["Ready PDF"].get_text(" ", strip=True)
    assert rows["Ready PDF"].find("a", href=ready.get_absolute_url()).get_text(" ", strip=True) == "Download Ready PDF"
    assert "This download link expired on" in rows["Old ZIP"].get_text(" ", strip=True)
    assert (
        rows["Old ZIP"]
        .find("a", href=expired.get_absolute_url())
        .get_text(" ", strip=True)
        .startswith("Get a fresh link")
    )
    assert "You have used all 3 downloads of this file." in rows["Used PDF"].get_text(" ", strip=True)
    assert not rows["Used PDF"].find("a", href=used_up.get_absolute_url())
    assert "This item was refunded" in rows["Refunded ZIP"].get_text(" ", strip=True)
    assert not rows["Refunded ZIP"].find("a", href=refunded.get_absolute_url())
    assert "paused while its payment is disputed" in rows["Disputed PDF"].get_text(" ", strip=True)
    assert others.get_absolute_url() not in str(soup)


def test_download_history_lists_the_shoppers_downloads_newest_first(shopper, shopper_client):
    grant = grant_for(shopper, title="Workbook PDF")
    DownloadLogFactory(grant=grant, ip_address="198.51.100.4")
    DownloadLogFactory(grant=grant, ip_address="198.51.100.5")
    DownloadLogFactory(grant=grant_for(UserFactory(), title="Not Yours"), ip_address="192.0.2.99")

    soup = parse(shopper_client.get(reverse("accounts:downloads")))

    rows = soup.select("section[aria-labelledby=history-heading] tbody tr")
    assert [row.find_all("td")[-1].get_text(strip=True) for row in rows] == ["198.51.100.5", "198.51.100.4"]
    assert "Not Yours" not in soup.get_text()


def test_download_history_is_paginated(shopper, shopper_client):
    grant = grant_for(shopper)
    DownloadLogFactory.create_batch(27, grant=grant)

    first = parse(shopper_client.get(reverse("accounts:downloads")))
    second = parse(shopper_client.get(reverse("accounts:downloads"), {"page": 2}))
    beyond = shopper_client.get(reverse("accounts:downloads"), {"page": "not-a-number"})

    assert len(first.select("section[aria-labelledby=history-heading] tbody tr")) == 25
    assert len(second.select("section[aria-labelledby=history-heading] tbody tr")) == 2
    assert beyond.status_code == 200


@pytest.mark.parametrize("name", ["accounts:dashboard", "accounts:orders", "accounts:downloads"])
def test_account_pages_cost_the_same_number_of_queries_however_much_was_bought(
    shopper, shopper_client, name, django_assert_num_queries
):
    def buy(count):
        for _ in range(count):
            grant = grant_for(shopper)
            DownloadLogFactory(grant=grant)

    buy(2)
    with CaptureQueriesContext(connection) as few:
        shopper_client.get(reverse(name))
    buy(12)
    with django_assert_num_queries(len(few.captured_queries)):
        assert shopper_client.get(reverse(name)).status_code == 200


# -- Wishlist --------------------------------------------------------------------------------------


@pytest.fixture
def product(product_index):
    return ProductPageFactory(parent=product_index, title="Riverstone Brushes")


def saved_ids(client, product):
    return client.get(reverse("accounts:visitor"), {"products": product.pk}).json()["wishlist"]


def test_saving_and_unsaving_a_product_from_its_page(shopper, shopper_client, product):
    page_url = product.url

    response = shopper_client.post(reverse("accounts:wishlist_add"), {"product": product.pk, "next": page_url})

    assert response.status_code == 302
    assert response["Location"] == page_url
    assert list(shopper.wishlist_items.values_list("product_id", flat=True)) == [product.pk]
    assert saved_ids(shopper_client, product) == [product.pk]

    shopper_client.post(reverse("accounts:wishlist_remove"), {"product": product.pk, "next": page_url})

    assert not shopper.wishlist_items.exists()
    assert saved_ids(shopper_client, product) == []


def test_the_product_page_carries_a_heart_site_js_can_turn_into_the_form(shopper_client, product):
    """The page is the same for everyone (website/page_cache.py): the heart names its product for site.js."""
    link = parse(shopper_client.get(product.url)).find("a", attrs={"data-wishlist": str(product.pk)})

    assert link.get_text(" ", strip=True) == "Save to wishlist"
    assert link["data-wishlist-title"] == "Riverstone Brushes"
    assert link.has_attr("data-wishlist-large")


def test_saving_twice_keeps_one_entry_and_the_wishlist_page_lists_it(shopper, shopper_client, product):
    for _ in range(2):
        shopper_client.post(reverse("accounts:wishlist_add"), {"product": product.pk})

    assert shopper.wishlist_items.count() == 1
    soup = parse(shopper_client.get(reverse("accounts:wishlist")))
    assert soup.select_one("main article h2 a").get_text(strip=True) == "Riverstone Brushes"


def test_cards_on_the_wishlist_page_carry_a_working_heart_that_says_what_it_does(shopper, shopper_client, product):
    WishlistItem.objects.create(user=shopper, product=product)

    soup = parse(shopper_client.get(reverse("accounts:wishlist")))

    pressed = soup.select_one("article button[aria-pressed=true]")
    assert pressed.get_text(strip=True) == "Remove Riverstone Brushes from your wishlist"
    assert pressed.find_parent("form")["action"] == reverse("accounts:wishlist_remove")


def test_anonymous_visitors_are_asked_to_log_in_to_save(client, product):
    soup = parse(client.get(product.url))

    link = next(a for a in soup.find_all("a") if a.get_text(strip=True) == "Save to wishlist")
    assert link["href"] == f"{reverse('account_login')}?next={product.url}"
    assert not soup.find("form", action=reverse("accounts:wishlist_add"))

    response = client.post(reverse("accounts:wishlist_add"), {"product": product.pk})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not WishlistItem.objects.exists()


def test_wishlist_changes_need_post_and_a_csrf_token(shopper, product):
    client = Client(enforce_csrf_checks=True)
    client.force_login(shopper)

    assert client.get(reverse("accounts:wishlist_add"), {"product": product.pk}).status_code == 405
    assert client.post(reverse("accounts:wishlist_add"), {"product": product.pk}).status_code == 403
    assert not WishlistItem.objects.exists()


@pytest.mark.parametrize("value", ["", "abc", "-1", "0", "99999999999999999999999"])
def test_a_bad_product_value_is_refused_with_a_message(shopper_client, value):
    response = shopper_client.post(reverse("accounts:wishlist_add"), {"product": value}, follow=True)

    assert response.status_code == 200
    assert "That product could not be found." in response.content.decode()
    assert not WishlistItem.objects.exists()


def test_an_unknown_or_unpublished_product_cannot_be_saved(shopper_client, product_index):
    draft = ProductPageFactory(parent=product_index, draft=True)

    assert shopper_client.post(reverse("accounts:wishlist_add"), {"product": draft.pk}).status_code == 404
    assert shopper_client.post(reverse("accounts:wishlist_add"), {"product": 987654}).status_code == 404
    assert not WishlistItem.objects.exists()


def test_wishlist_never_redirects_off_site(shopper_client, product):
    response = shopper_client.post(
        reverse("accounts:wishlist_add"), {"product": product.pk, "next": "https://evil.example/"}
    )

    assert response["Location"] == reverse("accounts:wishlist")


def test_an_unpublished_saved_product_drops_out_of_the_wishlist(shopper, shopper_client, product):
    WishlistItem.objects.create(user=shopper, product=product)
    product.unpublish()

    soup = parse(shopper_client.get(reverse("accounts:wishlist")))

    assert not soup.select("main article")
    assert "Your wishlist is empty" in soup.get_text()


# -- Membership ------------------------------------------------------------------------------------


@pytest.fixture
def club(home_page, product_index):
    group = Group.objects.create(name="Studio Club")
    product = ProductPageFactory(parent=product_index, title="Studio Club membership", membership_group=group)
    library = home_page.add_child(instance=InfoPage(title="Members' library", slug="members-library"))
    restriction = PageViewRestriction.objects.create(page=library, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(group)
    return {"group": group, "product": product, "library": library}


def test_members_see_their_membership_and_its_pages(shopper, shopper_client, club):
    shopper.groups.add(club["group"])

    soup = parse(shopper_client.get(reverse("accounts:membership")))

    text = soup.main.get_text(" ", strip=True)
    assert "Studio Club" in text
    assert "Through Studio Club membership" in text
    assert soup.find("a", href=club["library"].url)
    assert shopper_client.get(club["library"].url).status_code == 200


def test_non_members_are_offered_the_membership_and_cannot_read_its_pages(shopper, shopper_client, club):
    soup = parse(shopper_client.get(reverse("accounts:membership")))

    assert not soup.find("a", href=club["library"].url)
    join = soup.find("section", attrs={"aria-labelledby": "join-heading"})
    assert "Studio Club membership" in join.get_text()
    response = shopper_client.get(club["library"].url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


# -- Settings --------------------------------------------------------------------------------------


def test_the_shopper_changes_their_name(shopper, shopper_client):
    response = shopper_client.post(reverse("accounts:settings"), {"first_name": "Augusta", "last_name": "King"})

    assert response.status_code == 302
    shopper.refresh_from_db()
    assert (shopper.first_name, shopper.last_name) == ("Augusta", "King")


def test_a_name_too_long_re_renders_the_form_with_the_error_and_changes_nothing(shopper, shopper_client):
    response = shopper_client.post(reverse("accounts:settings"), {"first_name": "A" * 200, "last_name": "King"})

    assert response.status_code == 400
    field = parse(response).find("input", attrs={"name": "first_name"})
    assert field["aria-invalid"] == "true"
    shopper.refresh_from_db()
    assert shopper.last_name == "Shopper"


def test_settings_link_to_the_email_and_password_pages(shopper_client):
    soup = parse(shopper_client.get(reverse("accounts:settings")))

    assert soup.find("a", href=reverse("account_email"))
    assert soup.find("a", href=reverse("account_change_password"))


def test_a_product_page_carries_the_hidden_note_site_js_shows_a_buyer(shopper, shopper_client, product):
    """Which products the visitor owns comes from /account/visitor/ (accounts/tests/test_visitor.py)."""
    OrderLineFactory(order=OrderFactory(user=shopper, email=shopper.email), product=product)

    note = parse(shopper_client.get(product.url)).find("p", attrs={"data-owned": str(product.pk)})

    assert note.has_attr("hidden")
    assert note.find("a", href=reverse("accounts:downloads"))
    assert note.find(attrs={"data-owned-date": True}).get_text() == ""
