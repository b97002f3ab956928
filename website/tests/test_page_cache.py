"""The whole-page cache: anonymous visitors get stored pages, nobody gets someone else's, and anything a
page shows empties it."""

from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress

from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import PageViewRestriction

from accounts.factories import UserFactory
from infopages.models import InfoPage
from products import inventory
from products.factories import ProductCategoryFactory, ProductPageFactory
from products.models import ProductPage
from website.page_cache import HIT_HEADER, SIGNED_IN_COOKIE, page_cache
from website.tests.html import soup

pytestmark = [pytest.mark.django_db]


@pytest.fixture(autouse=True)
def cache_on(settings, django_capture_on_commit_callbacks):
    settings.PAGE_CACHE_SECONDS = 600
    page_cache().clear()
    yield
    page_cache().clear()


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run the on-commit invalidations that a real transaction would run."""

    def run(change):
        with django_capture_on_commit_callbacks(execute=True):
            change()

    return run


@pytest.fixture
def mug(product_index, site_settings):
    return ProductPageFactory(
        parent=product_index, title="Studio Mug", sku="MUG-1", price=Decimal("14.50"), physical=True, stock=8
    )


def fetch(client, url, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == 200, f"GET {url} returned {response.status_code}"
    return response


def test_the_second_anonymous_visit_is_a_hit_that_touches_no_database(client, mug, django_assert_num_queries):
    first = fetch(client, mug.url)

    with django_assert_num_queries(0):
        second = fetch(Client(), mug.url)

    assert first[HIT_HEADER] == "miss"
    assert second[HIT_HEADER] == "hit"
    assert soup(second).h1.get_text(strip=True) == "Studio Mug"
    assert second["X-Frame-Options"] == first["X-Frame-Options"]


def test_a_cached_page_hands_each_visitor_their_own_working_csrf_token(mug):
    fetch(Client(), mug.url)  # stored, with the first visitor's token taken out
    shopper = Client(enforce_csrf_checks=True)

    page = fetch(shopper, mug.url)
    token = soup(page).find("input", attrs={"name": "csrfmiddlewaretoken"})["value"]
    response = shopper.post(
        reverse("checkout:cart_add"), {"product": mug.pk, "quantity": 1, "csrfmiddlewaretoken": token}
    )

    assert page[HIT_HEADER] == "hit"
    assert response.status_code == 302
    assert shopper.cookies["cart_count"].value == "1"


def test_a_hit_never_carries_another_visitors_cookies(mug):
    first = fetch(Client(), mug.url)
    assert "csrftoken" in first.cookies

    second_visitor = Client()
    second = fetch(second_visitor, mug.url)

    assert second.cookies["csrftoken"].value != first.cookies["csrftoken"].value


def test_query_strings_are_cached_separately(client, product_index, mug):
    fetch(client, product_index.url)

    assert fetch(client, product_index.url, data={"sort": "price-asc"})[HIT_HEADER] == "miss"
    assert fetch(client, product_index.url)[HIT_HEADER] == "hit"


def test_signed_in_visitors_never_get_cached_html(site_settings, mug):
    fetch(Client(), mug.url)  # an anonymous copy is stored
    shopper = Client()
    user = UserFactory(email="ada@example.com")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    shopper.post(reverse("account_login"), {"login": user.email, "password": "correct horse battery staple"})

    page = fetch(shopper, mug.url)

    assert HIT_HEADER not in page
    assert b'action="/account/wishlist/add/"' in page.content


def test_a_signed_in_render_is_not_stored_even_without_the_marker_cookie(mug):
    shopper = Client()
    shopper.force_login(UserFactory())

    rendered = fetch(shopper, mug.url)  # the marker is only set by this response
    anonymous = fetch(Client(), mug.url)

    assert HIT_HEADER not in rendered
    assert anonymous[HIT_HEADER] == "miss"
    assert b'action="/account/wishlist/add/"' not in anonymous.content


def test_the_marker_cookie_comes_with_log_in_and_goes_with_log_out(site_settings):
    user = UserFactory(email="ada@example.com")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client = Client()

    logged_in = client.post(reverse("account_login"), {"login": user.email, "password": "correct horse battery staple"})
    assert logged_in.cookies[SIGNED_IN_COOKIE].value == "1"

    logged_out = client.post(reverse("account_logout"))
    assert logged_out.cookies[SIGNED_IN_COOKIE].value == ""


def test_a_pending_flash_message_bypasses_the_cache(client, mug):
    fetch(Client(), mug.url)

    client.post(reverse("checkout:cart_add"), {"product": mug.pk, "quantity": 1, "next": mug.url})
    page = fetch(client, mug.url)

    assert HIT_HEADER not in page
    assert "Studio Mug" in soup(page).find(attrs={"role": "status"}).get_text()


@pytest.mark.parametrize("url", ["/cart/", "/account/login/", "/admin/login/", "/orders/find/"])
def test_per_visitor_and_admin_pages_are_never_cached(client, site_settings, url):
    client.get(url)

    assert HIT_HEADER not in client.get(url)


def test_posts_are_never_answered_from_the_cache(client, mug):
    fetch(client, mug.url)

    assert HIT_HEADER not in client.post(mug.url)


def test_publishing_a_change_is_seen_at_once(client, commit, mug):
    fetch(client, mug.url)
    assert fetch(client, mug.url)[HIT_HEADER] == "hit"

    def rename():
        mug.title = "Studio Mug, Glazed"
        mug.save_revision().publish()

    commit(rename)
    page = fetch(client, mug.url)

    assert page[HIT_HEADER] == "miss"
    assert soup(page).h1.get_text(strip=True) == "Studio Mug, Glazed"


def test_a_price_change_reaches_the_listing_and_the_product_page(client, commit, product_index, mug):
    fetch(client, product_index.url)
    fetch(client, mug.url)

    def reprice():
        revision = ProductPage.objects.get(pk=mug.pk)
        revision.price = Decimal("19.00")
        revision.save_revision().publish()

    commit(reprice)

    assert "$19.00" in fetch(client, product_index.url).content.decode()
    assert "$19.00" in fetch(client, mug.url).content.decode()


def test_a_stock_change_is_seen_at_once(client, commit, mug):
    assert "8 available" in fetch(client, mug.url).content.decode()

    commit(lambda: inventory.reserve(mug.pk, 6))

    assert "only 2 left" in fetch(client, mug.url).content.decode()

    commit(lambda: inventory.set_stock(mug.pk, 0))

    assert "Sold out" in fetch(client, mug.url).content.decode()


def test_unpublishing_turns_the_page_into_a_404(client, commit, mug):
    url = mug.url
    fetch(client, url)

    commit(lambda: ProductPage.objects.get(pk=mug.pk).unpublish())

    assert client.get(url).status_code == 404


def test_snippets_and_settings_empty_the_cache(client, commit, mug, site_settings):
    category = ProductCategoryFactory(name="Mugs")
    mug.categories.add(category)
    fetch(client, mug.url)

    def rename_store():
        site_settings.brand_name = "Harbour Goods"
        site_settings.save()

    commit(rename_store)
    assert "Harbour Goods" in fetch(client, mug.url).content.decode()
    assert fetch(client, mug.url)[HIT_HEADER] == "hit"

    def rename_category():
        category.name = "Cups"
        category.save()

    commit(rename_category)
    assert fetch(client, mug.url)[HIT_HEADER] == "miss"


def test_search_results_are_cached_and_a_new_promotion_shows_at_once(client, commit, home_page, mug):
    url = f"{reverse('search')}?q=mug"
    fetch(client, url)
    assert fetch(client, url)[HIT_HEADER] == "hit"

    about = home_page.add_child(instance=InfoPage(title="About the studio", slug="about"))

    def promote():
        SearchPromotion.objects.create(query=Query.get("mug"), page=about, sort_order=0)

    commit(promote)
    page = fetch(client, url)

    assert page[HIT_HEADER] == "miss"
    assert "About the studio" in page.content.decode()


def test_restricted_pages_are_never_stored(client, home_page):
    members = Group.objects.create(name="Members")
    library = home_page.add_child(instance=InfoPage(title="Members' library", slug="library"))
    restriction = PageViewRestriction.objects.create(page=library, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(members)
    secret = home_page.add_child(instance=InfoPage(title="Secret sale", slug="secret"))
    PageViewRestriction.objects.create(page=secret, restriction_type=PageViewRestriction.PASSWORD, password="s3cret")

    assert client.get(library.url).status_code == 302
    password_form = fetch(client, secret.url)
    member = Client()
    member.force_login(UserFactory())
    member.get(library.url)

    assert HIT_HEADER not in password_form
    assert HIT_HEADER not in fetch(Client(), secret.url)
    assert client.get(library.url).status_code == 302
