"""What the product page, its JSON-LD and the product cards show of approved reviews, kept right in the page cache
and in a constant number of queries."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup

from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.factories import UserFactory
from checkout.payments.fulfilment import record_refund
from products.factories import ProductPageFactory
from reviews import services
from reviews.factories import ReviewFactory
from reviews.models import Review
from reviews.ratings import SHOWN
from tests.structured_data import assert_valid_product_ratings, graph
from website.page_cache import HIT_HEADER

pytestmark = pytest.mark.django_db
ATTACK = "</script><script>alert(1)</script>"


def soup(response):
    return BeautifulSoup(response.content, "html.parser")


def test_without_approved_reviews_the_page_says_so_and_the_json_ld_has_no_rating(client, product):
    ReviewFactory(product=product, status=Review.Status.PENDING)
    ReviewFactory(product=product, status=Review.Status.REJECTED)
    ReviewFactory(product=product, status=Review.Status.REMOVED)

    page = soup(client.get(product.url))

    assert "No reviews yet" in page.select_one("#reviews").get_text()
    node = graph(page)["Product"]
    assert not {"aggregateRating", "review"} & set(node)
    assert_valid_product_ratings(node)


def test_approved_reviews_show_newest_first_with_average_count_and_json_ld(client, product):
    now = timezone.now()
    ReviewFactory(product=product, rating=5, body="Old and glowing.", published_at=now - timedelta(days=3))
    ReviewFactory(
        product=product, rating=4, body=f"New {ATTACK}", author_name="Bo K.", published_at=now - timedelta(days=1)
    )
    ReviewFactory(product=product, rating=1, body="Still waiting.", status=Review.Status.PENDING)

    response = client.get(product.url)
    html = response.content.decode()
    page = soup(response)

    assert "<script>alert(1)" not in html  # plain text, escaped in the page and in the JSON-LD
    section = page.select_one("#reviews")
    assert "4.5 out of 5 · 2 reviews from verified buyers" in " ".join(section.get_text().split())
    assert section.select_one('[role="img"]')["aria-label"] == "Rated 4.5 out of 5"
    assert [p.get_text() for p in section.select("article p.whitespace-pre-line")] == [
        f"New {ATTACK}",
        "Old and glowing.",
    ]
    node = graph(page)["Product"]
    assert_valid_product_ratings(node)
    assert node["aggregateRating"] == {
        "@type": "AggregateRating",
        "ratingValue": "4.5",
        "reviewCount": 2,
        "bestRating": 5,
        "worstRating": 1,
    }
    assert node["review"][0] == {
        "@type": "Review",
        "author": {"@type": "Person", "name": "Bo K."},
        "reviewRating": {"@type": "Rating", "ratingValue": 4, "bestRating": 5, "worstRating": 1},
        "reviewBody": f"New {ATTACK}",
        "datePublished": (now - timedelta(days=1)).date().isoformat(),
    }
    assert "example.com" not in str(node["review"])  # the reviewers' addresses stay out


def test_the_page_lists_the_newest_ten_and_counts_them_all(client, product):
    for n in range(SHOWN + 2):
        ReviewFactory(product=product, rating=5, body=f"Review number {n}.")

    page = soup(client.get(product.url))

    assert len(page.select("#reviews article")) == SHOWN
    assert f"Showing the {SHOWN} newest of {SHOWN + 2} reviews." in page.select_one("#reviews").get_text()
    assert graph(page)["Product"]["aggregateRating"]["reviewCount"] == SHOWN + 2


def test_the_write_a_review_link_is_in_the_shared_page_hidden_for_site_js_to_show(buyer_client, buyer, product):
    link = soup(buyer_client.get(product.url)).select_one(f'[data-review-link="{product.pk}"]')

    # The same for everyone: site.js unhides it for a visitor /account/visitor/ names as an owner.
    assert link.has_attr("hidden") and link["href"] == f"/account/reviews/{product.pk}/write/"
    visitor = buyer_client.get(f"/account/visitor/?products={product.pk}").json()
    assert str(product.pk) in visitor["owned"]


def test_approving_rejecting_and_a_refund_each_reach_the_cached_page(
    client, settings, buyer, product, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_SECONDS = 300
    with django_capture_on_commit_callbacks(execute=True):
        review = services.write(user=buyer, product=product, rating=5, body="Worth every penny.")
    client.get(product.url)
    assert client.get(product.url)[HIT_HEADER] == "hit"

    def page_after(change):
        with django_capture_on_commit_callbacks(execute=True):
            change()
        response = client.get(product.url)
        assert response[HIT_HEADER] == "miss"  # the change emptied the cache
        return response.content.decode()

    assert "Worth every penny." in page_after(lambda: services.approve([review]))
    assert "Worth every penny." not in page_after(lambda: services.reject([Review.objects.get()]))
    assert "Worth every penny." in page_after(lambda: services.approve([Review.objects.get()]))
    # A full refund, through the refund ledger as Stripe's refund event enters it.
    after_refund = page_after(
        lambda: record_refund(
            refund_id="re_1", payment_intent=buyer.order.payment_intent_id, amount_minor=2000, currency="usd"
        )
    )
    assert "Worth every penny." not in after_refund and "aggregateRating" not in after_refund
    assert Review.objects.get().status == Review.Status.REMOVED


def card_ratings(page_soup):
    return [" ".join(p.get_text().split()) for p in page_soup.select("main article p.text-xs")]


def test_cards_show_the_average_and_count(client, product_index, product, other_product):
    ReviewFactory(product=product, rating=5)
    ReviewFactory(product=product, rating=4)

    page = soup(client.get(product_index.url))

    assert card_ratings(page) == ["4.5 out of 5, (2 reviews)"]


def cold_queries(client, url):
    """The queries of a render with every cache empty (no kept page parts), and how many of them read reviews."""
    client.get(url)
    for each in caches.all():
        each.clear()
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured), sum("reviews_review" in query["sql"] for query in captured)


def test_a_listing_and_a_product_page_cost_the_same_queries_however_many_products_and_reviews(
    client, product_index, product
):
    ReviewFactory(product=product)
    listing, page = cold_queries(client, product_index.url), cold_queries(client, product.url)
    # The cards' ratings ride in the listing's own query; the page's reviews, count and average take one.
    assert listing[1] == 1 and page[1] == 1

    products = [ProductPageFactory(parent=product_index, title=f"Kit {n}", sku=f"KIT-{n}") for n in range(11)]
    for each in [product, *products]:
        for _ in range(SHOWN + 3):
            ReviewFactory(product=each, user=UserFactory(), rating=3)

    assert cold_queries(client, product_index.url) == listing
    assert cold_queries(client, product.url) == page
    assert len(soup(client.get(product_index.url)).select("main article p.text-xs")) == 12
