"""The review form: who gets it, what it refuses, and what the product page then shows."""

import pytest
from bs4 import BeautifulSoup

from django.test import Client
from django.urls import reverse

from accounts.factories import UserFactory
from reviews.factories import ReviewFactory
from reviews.models import MAX_BODY, Review

from .conftest import paid_order

pytestmark = pytest.mark.django_db
GOOD = {"rating": "4", "body": "Clear maps and honest advice."}


def write_url(product):
    return reverse("reviews:write", args=[product.pk])


def edit_url(product):
    return reverse("reviews:edit", args=[product.pk])


def errors(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return [" ".join(node.get_text().split()) for node in soup.select('[id$="_error"], [role="alert"]')]


def test_a_guest_is_sent_to_log_in(client, product):
    response = client.get(write_url(product))

    assert response.status_code == 302 and response["Location"].startswith("/account/login/?next=")
    assert client.post(write_url(product), GOOD).status_code == 302
    assert not Review.objects.exists()


def test_a_signed_in_non_buyer_is_refused_in_words_and_nothing_is_saved(client, product):
    client.force_login(UserFactory())

    response = client.get(write_url(product))
    assert response.status_code == 403
    assert "Only buyers can review this" in response.content.decode()
    assert client.post(write_url(product), GOOD).status_code == 403
    assert not Review.objects.exists()


def test_no_such_product_is_a_404(buyer_client):
    assert buyer_client.get(reverse("reviews:write", args=[999999])).status_code == 404


def test_a_refunded_buyer_is_refused(client, product):
    refunded = UserFactory()
    order = paid_order(refunded, product, number="REFUND01")
    order.status = order.Status.REFUNDED
    order.save()
    client.force_login(refunded)

    assert client.post(write_url(product), GOOD).status_code == 403
    assert not Review.objects.exists()


def test_a_buyer_writes_a_review_that_waits_for_a_moderator(buyer_client, buyer, product):
    form = buyer_client.get(write_url(product))
    assert form.status_code == 200 and form["Cache-Control"] == "private, no-store"

    response = buyer_client.post(write_url(product), GOOD)

    assert response.status_code == 302 and response["Location"] == product.url
    review = Review.objects.get()
    assert (review.user, review.product_id, review.rating, review.status) == (buyer, product.pk, 4, "pending")
    page = buyer_client.get(product.url).content.decode()
    assert "Clear maps and honest advice." not in page  # pending: nobody sees it yet
    assert "your review will appear once a moderator has read it" in page


def test_a_second_review_of_the_same_product_is_a_form_error(buyer_client, buyer, product):
    ReviewFactory(user=buyer, product=product, body="First thoughts.")

    assert buyer_client.get(write_url(product))["Location"] == edit_url(product)
    response = buyer_client.post(write_url(product), GOOD)

    assert response.status_code == 400
    assert errors(response) == ["You have already reviewed this product: edit that review instead. Edit your review"]
    assert Review.objects.get().body == "First thoughts."


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"rating": "0", "body": GOOD["body"]}, "Choose a rating from 1 to 5 stars."),
        ({"rating": "6", "body": GOOD["body"]}, "Choose a rating from 1 to 5 stars."),
        ({"rating": "five", "body": GOOD["body"]}, "Choose a rating from 1 to 5 stars."),
        ({"body": GOOD["body"]}, "Choose a rating from 1 to 5 stars."),
        ({"rating": "5", "body": "   "}, "Write a few words about the product."),
        ({"rating": "5", "body": "Good."}, "Write at least 10 characters."),
        ({"rating": "5", "body": "x" * (MAX_BODY + 1)}, f"Keep it to {MAX_BODY} characters (it has {MAX_BODY + 1})."),
    ],
)
def test_bad_input_is_a_clear_error_and_keeps_what_was_typed(buyer_client, product, data, message):
    response = buyer_client.post(write_url(product), data)

    assert response.status_code == 400
    assert errors(response) == [message]
    if data.get("body", "").strip():
        assert data["body"] in response.content.decode()  # nothing typed is lost
    assert not Review.objects.exists()


def test_posting_without_the_csrf_token_is_refused(buyer, product):
    client = Client(enforce_csrf_checks=True)
    client.force_login(buyer)

    assert client.post(write_url(product), GOOD).status_code == 403
    assert not Review.objects.exists()


def test_editing_an_approved_review_sends_it_back_to_moderation(buyer_client, buyer, product):
    review = ReviewFactory(user=buyer, product=product, body="First thoughts on it.")
    form = buyer_client.get(edit_url(product)).content.decode()
    assert "First thoughts on it." in form and "Currently <span" in form

    response = buyer_client.post(edit_url(product), {"rating": "2", "body": "Second thoughts on it."})

    assert response.status_code == 302
    review.refresh_from_db()
    assert (review.rating, review.body, review.status) == (2, "Second thoughts on it.", Review.Status.PENDING)
    assert "Second thoughts on it." not in buyer_client.get(product.url).content.decode()


def test_a_buyer_only_ever_edits_their_own_review(client, product, buyer):
    theirs = ReviewFactory(user=buyer, product=product, body="The first buyer's words.")
    second = UserFactory()
    paid_order(second, product, number="SECOND01")
    client.force_login(second)

    # The edit form is always the visitor's own review: with none, they are sent to write one.
    assert client.get(edit_url(product))["Location"] == write_url(product)
    assert client.post(edit_url(product), {"rating": "1", "body": "Overwriting theirs."}).status_code == 302
    theirs.refresh_from_db()
    assert theirs.body == "The first buyer's words." and theirs.rating == 5


def test_the_order_page_links_each_owned_product_to_its_review_form(buyer_client, buyer, product):
    page = buyer_client.get(reverse("accounts:order", args=[buyer.order.number])).content.decode()

    assert f'href="{write_url(product)}"' in page
    assert "Review Field Guide" in page
