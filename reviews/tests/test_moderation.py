"""Moderation in the Wagtail admin: the list with its filters, approving one in its edit form, bulk approve/reject."""

import pytest
from bs4 import BeautifulSoup

from django.urls import reverse

from accounts.factories import UserFactory
from reviews.factories import ReviewFactory
from reviews.models import Review

pytestmark = pytest.mark.django_db
LIST = "/admin/snippets/reviews/review/"


def rows(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return [" ".join(row.get_text().split()) for row in soup.select("table.listing tbody tr")]


def test_the_list_filters_by_status_and_product(editor_client, product, other_product):
    ReviewFactory(product=product, status=Review.Status.PENDING, author_name="Pending P.")
    ReviewFactory(product=product, status=Review.Status.APPROVED, author_name="Approved A.")
    ReviewFactory(product=other_product, status=Review.Status.PENDING, author_name="Other O.")

    pending = rows(editor_client.get(LIST, {"status": "pending"}))
    assert len(pending) == 2 and all("Pending" in row for row in pending)
    of_product = rows(editor_client.get(LIST, {"status": "pending", "product": product.pk}))
    assert len(of_product) == 1 and "Pending P." in of_product[0] and "Field Guide" in of_product[0]


def test_a_moderator_approves_a_review_in_its_edit_form_which_dates_it(editor_client, product):
    review = ReviewFactory(product=product, status=Review.Status.PENDING, body="Honest words.")
    url = reverse("wagtailsnippets_reviews_review:edit", args=[review.pk])

    form = editor_client.get(url)
    assert form.status_code == 200 and "Honest words." in form.content.decode()
    response = editor_client.post(url, {"status": "approved", "body": "Rewritten by the moderator.", "rating": "1"})

    assert response.status_code == 302
    review.refresh_from_db()
    # The buyer's words and stars are theirs: the form only changes the status.
    assert (review.status, review.body, review.rating) == (Review.Status.APPROVED, "Honest words.", 5)
    assert review.published_at is not None


def test_reviews_cannot_be_added_in_the_admin(editor_client):
    response = editor_client.post(f"{LIST}add/", {"status": "approved", "rating": "5", "body": "Made up."})

    assert response.status_code == 302 and response["Location"] == "/admin/"  # Wagtail's permission refusal
    assert not Review.objects.exists()


@pytest.mark.parametrize(("action", "status"), [("approve", "approved"), ("reject", "rejected")])
def test_bulk_approve_and_reject_leave_refund_removals_alone(editor_client, product, action, status):
    pending = [ReviewFactory(product=product, status=Review.Status.PENDING, user=UserFactory()) for _ in range(2)]
    removed = ReviewFactory(product=product, status=Review.Status.REMOVED)
    ids = [review.pk for review in [*pending, removed]]
    url = reverse("wagtail_bulk_action", args=["reviews", "review", action]) + "?" + "&".join(f"id={i}" for i in ids)

    confirm = editor_client.get(url)
    assert confirm.status_code == 200 and "Reviews taken down by a refund stay down." in confirm.content.decode()
    response = editor_client.post(url, {"next": LIST})

    assert response.status_code == 302
    assert sorted(Review.objects.filter(pk__in=ids).values_list("status", flat=True)) == sorted(
        [status, status, "removed"]
    )


def test_someone_without_review_permissions_cannot_moderate(client, product):
    review = ReviewFactory(product=product, status=Review.Status.PENDING)
    client.force_login(UserFactory())
    url = reverse("wagtail_bulk_action", args=["reviews", "review", "approve"]) + f"?id={review.pk}"

    assert client.post(url).status_code == 302  # to the admin's log-in
    assert client.get(LIST).status_code == 302
    review.refresh_from_db()
    assert review.status == Review.Status.PENDING
