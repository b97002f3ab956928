"""The whole-page cache: every visitor, signed in or not, gets the page everyone gets, nobody gets anything of
someone else's, and anything a page shows empties it."""

import re
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from allauth.account.models import EmailAddress

from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from wagtail.contrib.search_promotions.models import Query, SearchPromotion
from wagtail.models import PageViewRestriction

from accounts.factories import SuperuserFactory, UserFactory
from accounts.models import WishlistItem
from blog.factories import BlogPostPageFactory
from blog.models import BlogIndexPage
from checkout.factories import OrderFactory, OrderLineFactory
from infopages.models import InfoPage
from products import inventory
from products.factories import ProductCategoryFactory, ProductPageFactory
from products.forms import CatalogueFilterForm
from products.models import STOCK_SHOWN_UP_TO, ProductIndexPage, ProductPage
from search.views import SEARCH_PARAMETERS
from website.page_cache import EDITOR, HIT_HEADER, SHOPPER, SIGNED_IN_COOKIE, is_tracking_parameter, page_cache
from website.tests.html import soup

pytestmark = [pytest.mark.django_db]

CSRF_VALUE = re.compile(r'(?<=name="csrfmiddlewaretoken" value=")[^"]*')


@pytest.fixture(autouse=True)
def cache_on(settings, django_capture_on_commit_callbacks):
    settings.PAGE_CACHE_SECONDS = 600
    page_cache().clear()
    yield
    page_cache().clear()


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


CAMPAIGN = {"utm_source": "newsletter", "utm_medium": "email", "utm_campaign": "spring", "fbclid": "IwAR3xYz"}


def next_fields(response):
    """Where the page's forms and log-in links send the visitor back to: the one place a page names its query."""
    page = soup(response)
    return [field["value"] for field in page.find_all("input", attrs={"name": "next"})] + [
        link["href"] for link in page.find_all("a", href=re.compile(r"[?&]next="))
    ]


def test_a_campaign_click_is_answered_with_the_page_its_plain_address_keeps(mug, django_assert_num_queries):
    """An ad's or newsletter's link carries its own fbclid, gclid or utm_ values on every click: without them it
    asks for the page everyone gets."""
    fetch(Client(), mug.url)
    shopper = Client(enforce_csrf_checks=True)

    with django_assert_num_queries(0):
        page = fetch(shopper, mug.url, data={**CAMPAIGN, "gclid": "Cj0KCQ", "msclkid": "d1f"})
    token = soup(page).find("input", attrs={"name": "csrfmiddlewaretoken"})["value"]
    added = shopper.post(reverse("checkout:cart_add"), {"product": mug.pk, "quantity": 1, "csrfmiddlewaretoken": token})

    assert page[HIT_HEADER] == "hit"
    assert next_fields(page) and set(next_fields(page)) <= {mug.url, f"{reverse('account_login')}?next={mug.url}"}
    assert added.status_code == 302


@pytest.mark.parametrize("parameter", ["srsltid", "gbraid", "ttclid", "_gl", "_hsenc", "igshid", "utm_content"])
def test_each_kind_of_click_id_is_left_out_of_the_key(mug, parameter):
    fetch(Client(), mug.url)

    assert fetch(Client(), mug.url, data={parameter: "AfmBOoq1x2"})[HIT_HEADER] == "hit"


def test_a_parameter_that_only_begins_like_a_click_id_is_not_one():
    assert is_tracking_parameter("gclid") and is_tracking_parameter("utm_term")
    assert not is_tracking_parameter("gclidx") and not is_tracking_parameter("xutm_source")


def test_a_render_under_a_campaign_is_never_kept_for_anyone(mug):
    campaign = fetch(Client(), mug.url, data=CAMPAIGN)
    plain = fetch(Client(), mug.url)
    another_campaign = fetch(Client(), mug.url, data={"fbclid": "another-click"})

    assert HIT_HEADER not in campaign and any("utm_campaign=spring" in url for url in next_fields(campaign))
    assert plain[HIT_HEADER] == "miss" and "utm_campaign" not in " ".join(next_fields(plain))
    assert another_campaign[HIT_HEADER] == "hit" and "spring" not in another_campaign.content.decode()


def test_the_parameters_that_change_a_page_still_key_it_with_a_campaigns_left_out(client, product_index, mug):
    ProductPageFactory(parent=product_index, title="Pocket Notebook", price=Decimal("4.00"))
    fetch(client, product_index.url)
    cheapest_first = fetch(client, product_index.url, data={"sort": "price-asc"})

    tagged = fetch(Client(), f"{product_index.url}?utm_source=news&sort=price-asc&fbclid=abc")
    plain_tagged = fetch(Client(), f"{product_index.url}?fbclid=abc&utm_source=news")

    assert tagged[HIT_HEADER] == plain_tagged[HIT_HEADER] == "hit"
    assert without_csrf_tokens(tagged) == without_csrf_tokens(cheapest_first)
    assert without_csrf_tokens(plain_tagged) == without_csrf_tokens(fetch(client, product_index.url))


MADE_UP = {"ref": "producthunt", "x": "8f3a", "page_size": "1000"}


@pytest.mark.parametrize("query", [CAMPAIGN, MADE_UP], ids=["campaign", "made-up"])
@pytest.mark.parametrize("page_name", ["home", "product", "listing", "post", "search"])
def test_a_page_under_parameters_it_does_not_read_differs_from_its_plain_address_only_where_it_sends_the_visitor_back(
    settings, page_name, query, home_page, product_index, blog_index, mug
):
    """What makes answering a campaign's click with the plain address's page right, and keeping the page's parts
    for made-up parameters: no template reads the query string except to send the visitor back (a buy form's or
    log-in link's `next`)."""
    settings.PAGE_CACHE_SECONDS = 0
    url = {
        "home": home_page.url,
        "product": mug.url,
        "listing": product_index.url,
        "post": BlogPostPageFactory(parent=blog_index, title="Glazing a mug").url,
        "search": f"{reverse('search')}?q=mug",
    }[page_name]
    plain = fetch(Client(), url)
    campaign = fetch(Client(), f"{url}{'&' if '?' in url else '?'}{urlencode(query)}")

    def without_next(response):
        page = soup(response)
        for field in page.find_all("input", attrs={"name": ["next", "csrfmiddlewaretoken"]}):
            field["value"] = ""
        for link in page.find_all("a", href=re.compile(r"[?&]next=")):
            link["href"] = ""
        return str(page)

    assert without_next(campaign) == without_next(plain)


@pytest.mark.parametrize(
    ("address", "plain"),
    [
        ("{product}?ref=producthunt", "{product}"),
        ("{shop}?sort=price-asc&x=1", "{shop}?sort=price-asc"),
        ("/search/?q=mug&x=1", "/search/?q=mug"),
    ],
)
def test_an_address_with_a_parameter_its_page_does_not_read_is_answered_as_the_address_without_it(
    client, mug, product_index, address, plain
):
    """Anyone can make up any number of them: each would be a page rendered afresh, and stored for no one."""
    address, plain = (url.format(product=mug.url, shop=product_index.url) for url in (address, plain))
    first, second = fetch(Client(), address), fetch(Client(), address)  # nothing kept for it yet
    plain_first, plain_second = fetch(client, plain), fetch(client, plain)
    answered = fetch(Client(), address)

    assert HIT_HEADER not in first and HIT_HEADER not in second  # never stored
    assert (plain_first[HIT_HEADER], plain_second[HIT_HEADER]) == ("miss", "hit")
    assert answered[HIT_HEADER] == "hit"
    assert without_csrf_tokens(answered) == without_csrf_tokens(plain_second)


def test_a_parameter_the_page_reads_is_never_left_out(client, product_index, mug):
    ProductPageFactory(parent=product_index, title="Pocket Notebook", price=Decimal("4.00"))
    fetch(client, product_index.url)
    fetch(client, product_index.url, data={"sort": "price-asc"})

    dearest_first = fetch(Client(), f"{product_index.url}?sort=price-desc&x=1")

    assert HIT_HEADER not in dearest_first
    assert dearest_first.content.decode().index("Studio Mug") < dearest_first.content.decode().index("Pocket")


def test_every_parameter_the_shop_reads_is_declared():
    assert set(ProductPage.query_parameters) == set()
    assert set(BlogIndexPage.query_parameters) == {"page"}
    assert set(ProductIndexPage.query_parameters) == {"page", *CatalogueFilterForm.base_fields}
    assert set(SEARCH_PARAMETERS) == {"q", "category", "page", "exact"}


def signed_in_client(user=None):
    """A browser signed in through the log-in form, so it carries the `signed_in` hint as a shopper's does (and
    has read the "signed in" message on the page it was sent to)."""
    user = user or UserFactory()
    EmailAddress.objects.get_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
    browser = Client()
    response = browser.post(
        reverse("account_login"), {"login": user.email, "password": "correct horse battery staple"}, follow=True
    )
    assert response.status_code == 200
    assert browser.cookies[SIGNED_IN_COOKIE].value == SHOPPER
    return browser


def without_csrf_tokens(response):
    return CSRF_VALUE.sub("", response.content.decode())


def test_a_signed_in_shopper_gets_the_cached_page_with_their_own_working_csrf_token(site_settings, mug):
    fetch(Client(), mug.url)  # an anonymous copy is stored
    user = UserFactory(email="ada@example.com")
    shopper = signed_in_client(user)
    shopper.handler.enforce_csrf_checks = True

    page = fetch(shopper, mug.url)
    token = soup(page).find("input", attrs={"name": "csrfmiddlewaretoken"})["value"]
    saved = shopper.post(reverse("accounts:wishlist_add"), {"product": mug.pk, "csrfmiddlewaretoken": token})

    assert page[HIT_HEADER] == "hit"
    assert "private" not in page.get("Cache-Control", "")
    assert saved.status_code == 302
    assert list(user.wishlist_items.values_list("product_id", flat=True)) == [mug.pk]


def test_a_signed_in_render_is_stored_as_the_page_everyone_gets(site_settings, mug):
    user = UserFactory(email="ada.lovelace@example.com", first_name="Augusta")
    WishlistItem.objects.create(user=user, product=mug)
    OrderLineFactory(order=OrderFactory(user=user, email=user.email), product=mug)
    shopper = signed_in_client(user)

    rendered = fetch(shopper, mug.url)
    anonymous = fetch(Client(), mug.url)

    assert rendered[HIT_HEADER] == "miss"
    assert "private" not in rendered.get("Cache-Control", "")
    assert anonymous[HIT_HEADER] == "hit"
    assert without_csrf_tokens(anonymous) == without_csrf_tokens(rendered)
    html = anonymous.content.decode()
    assert "Augusta" not in html and "ada.lovelace" not in html
    assert 'action="/account/wishlist/' not in html
    assert soup(anonymous).find("p", attrs={"data-owned": str(mug.pk)}).has_attr("hidden")


# Not "page": that is pytest-playwright's fixture, and naming it pulls in its browser parameter, which makes pytest
# run the browser tests (and their database flush) in the middle of these.
@pytest.mark.parametrize("shared_page", ["home", "listing", "product", "search"])
def test_every_shared_page_is_rendered_the_same_for_a_shopper_with_a_wishlist_purchases_and_a_cart(
    settings, site_settings, home_page, product_index, mug, shared_page
):
    settings.PAGE_CACHE_SECONDS = 0  # two fresh renders
    user = UserFactory(email="ada.lovelace@example.com", first_name="Augusta")
    WishlistItem.objects.create(user=user, product=mug)
    OrderLineFactory(order=OrderFactory(user=user, email=user.email), product=mug)
    shopper = signed_in_client(user)
    shopper.post(reverse("checkout:cart_add"), {"product": mug.pk, "quantity": 1})
    fetch(shopper, mug.url)  # reads the flash message the cart left
    urls = {"home": home_page.url, "listing": product_index.url, "product": mug.url, "search": "/search/?q=mug"}
    url = urls[shared_page]

    assert without_csrf_tokens(fetch(shopper, url)) == without_csrf_tokens(fetch(Client(), url))


def test_two_shoppers_on_the_same_cached_page_each_see_only_their_own_parts(site_settings, product_index, mug):
    ada = UserFactory(email="ada@example.com", first_name="Ada")
    grace = UserFactory(email="grace@example.com", first_name="Grace")
    WishlistItem.objects.create(user=ada, product=mug)
    OrderLineFactory(order=OrderFactory(user=grace, email=grace.email), product=mug)
    ada_browser, grace_browser = signed_in_client(ada), signed_in_client(grace)
    visitor_url = f"{reverse('accounts:visitor')}?products={mug.pk}"

    first, second = fetch(ada_browser, mug.url), fetch(grace_browser, mug.url)
    ada_parts, grace_parts = ada_browser.get(visitor_url).json(), grace_browser.get(visitor_url).json()

    assert (first[HIT_HEADER], second[HIT_HEADER]) == ("miss", "hit")
    assert without_csrf_tokens(first) == without_csrf_tokens(second)
    assert (ada_parts["name"], ada_parts["wishlist"], ada_parts["owned"]) == ("Ada", [mug.pk], {})
    assert (grace_parts["name"], grace_parts["wishlist"]) == ("Grace", [])
    assert list(grace_parts["owned"]) == [str(mug.pk)]


def test_the_hint_cookie_comes_with_log_in_is_readable_by_script_and_goes_with_log_out(site_settings):
    user = UserFactory(email="ada@example.com")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client = Client()

    logged_in = client.post(reverse("account_login"), {"login": user.email, "password": "correct horse battery staple"})
    assert logged_in.cookies[SIGNED_IN_COOKIE].value == SHOPPER
    assert not logged_in.cookies[SIGNED_IN_COOKIE]["httponly"]

    logged_out = client.post(reverse("account_logout"))
    assert logged_out.cookies[SIGNED_IN_COOKIE].value == ""


def test_an_older_httponly_hint_is_replaced_by_one_script_can_read(mug):
    shopper = Client()
    shopper.force_login(UserFactory())
    shopper.cookies[SIGNED_IN_COOKIE] = "1"

    response = fetch(shopper, mug.url)

    assert response.cookies[SIGNED_IN_COOKIE].value == SHOPPER
    assert fetch(shopper, mug.url).cookies.get(SIGNED_IN_COOKIE) is None


def test_editors_skip_the_cache_and_their_render_with_the_userbar_is_never_stored(site_settings, mug):
    editor = Client()
    editor.force_login(SuperuserFactory())

    first = fetch(editor, mug.url)  # no hint yet: looked up, rendered, not stored
    assert first.cookies[SIGNED_IN_COOKIE].value == EDITOR
    second = fetch(editor, mug.url)  # with the hint: not even looked up
    anonymous = fetch(Client(), mug.url)

    assert HIT_HEADER not in first and HIT_HEADER not in second
    assert "wagtail-userbar" in second.content.decode()
    assert "private" in second["Cache-Control"]
    assert anonymous[HIT_HEADER] == "miss"
    assert "wagtail-userbar" not in anonymous.content.decode()


def test_a_page_that_listed_flash_messages_is_never_stored_even_without_the_messages_cookie(settings, client, mug):
    settings.MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
    client.post(reverse("checkout:cart_add"), {"product": mug.pk, "quantity": 1, "next": mug.url})
    assert "messages" not in client.cookies

    listed = fetch(client, mug.url)
    anonymous = fetch(Client(), mug.url)

    assert "Studio Mug" in soup(listed).find(attrs={"role": "status"}).get_text()
    assert HIT_HEADER not in listed
    assert anonymous[HIT_HEADER] == "miss"
    assert not soup(anonymous).find(attrs={"role": "status"})


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


@pytest.mark.parametrize(("stock", "move"), [(150, "reserve"), (STOCK_SHOWN_UP_TO + 2, "reserve"), (80, "release")])
def test_a_stock_move_no_page_shows_keeps_the_cache(client, commit, mug, stock, move):
    ProductPage.objects.filter(pk=mug.pk).update(stock=stock)
    fetch(client, mug.url)

    commit(lambda: getattr(inventory, move)(mug.pk, 1))

    again = fetch(client, mug.url)
    assert again[HIT_HEADER] == "hit"
    assert "In stock" in again.content.decode()


@pytest.mark.parametrize(
    ("stock", "move", "quantity", "shown"),
    [
        (STOCK_SHOWN_UP_TO + 1, "reserve", 1, f"{STOCK_SHOWN_UP_TO} available"),  # into the shown range
        (STOCK_SHOWN_UP_TO + 2, "reserve", 3, f"{STOCK_SHOWN_UP_TO - 1} available"),  # past the limit at once
        (STOCK_SHOWN_UP_TO, "release", 1, "In stock</span>"),  # out of it: the count is no longer named
        (0, "release", 1, "only 1 left"),  # back from sold out
    ],
)
def test_a_stock_move_a_page_shows_empties_the_cache(client, commit, mug, stock, move, quantity, shown):
    ProductPage.objects.filter(pk=mug.pk).update(stock=stock)
    fetch(client, mug.url)

    commit(lambda: getattr(inventory, move)(mug.pk, quantity))

    again = fetch(client, mug.url)
    assert again[HIT_HEADER] == "miss"
    assert shown in again.content.decode()


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


def test_a_members_only_page_is_never_stored_nor_served_to_anyone_else(home_page):
    members = Group.objects.create(name="Members")
    library = home_page.add_child(instance=InfoPage(title="Members' library", slug="library"))
    restriction = PageViewRestriction.objects.create(page=library, restriction_type=PageViewRestriction.GROUPS)
    restriction.groups.add(members)
    member_user = UserFactory()
    member_user.groups.add(members)
    member, outsider = Client(), Client()
    member.force_login(member_user)
    outsider.force_login(UserFactory())

    seen = [fetch(member, library.url) for _ in range(2)]

    assert all(HIT_HEADER not in page and "private" in page["Cache-Control"] for page in seen)
    assert outsider.get(library.url).status_code == 302
    assert Client().get(library.url).status_code == 302


def test_a_password_page_unlocked_by_one_visitor_is_never_served_to_another(site_settings, home_page):
    secret = home_page.add_child(instance=InfoPage(title="Secret sale", slug="secret"))
    restriction = PageViewRestriction.objects.create(
        page=secret, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
    )
    insider = Client()
    insider.force_login(UserFactory())
    form = fetch(insider, secret.url)
    action = soup(form).find("form")["action"]
    insider.post(action, {"password": "s3cret", "return_url": secret.url})

    unlocked = fetch(insider, secret.url)
    stranger = fetch(Client(), secret.url)

    assert restriction.pk
    assert soup(unlocked).h1.get_text(strip=True) == "Secret sale"
    assert HIT_HEADER not in unlocked and HIT_HEADER not in stranger
    assert soup(stranger).find("input", attrs={"name": "password"})


def test_a_password_added_to_a_cached_page_takes_it_out_of_the_cache_at_once(client, commit, mug):
    assert fetch(client, mug.url)[HIT_HEADER] == "miss"

    commit(
        lambda: PageViewRestriction.objects.create(
            page=mug, restriction_type=PageViewRestriction.PASSWORD, password="s3cret"
        )
    )
    response = fetch(Client(), mug.url)

    assert HIT_HEADER not in response
    assert soup(response).find("input", attrs={"name": "password"})
