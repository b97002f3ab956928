"""`manage.py load_demo` fills an empty site with a demo store, and running it again changes nothing."""

from datetime import timedelta
from io import StringIO

import pytest
from allauth.account.models import EmailAddress

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import connection

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, CollectionViewRestriction, Page, PageViewRestriction, Revision, Site

from blog.models import Author, BlogCategory, BlogIndexPage, BlogPostPage
from demo.catalogue import SKU_PREFIX
from demo.reviews import REVIEWS
from home.models import HomePage
from infopages.models import ContactFormField, ContactPage, InfoPage
from products.models import ProductCategory, ProductFile, ProductGalleryImage, ProductIndexPage, ProductPage
from website.models import SiteSettings

PAGE_TYPES = [HomePage, ProductIndexPage, ProductPage, BlogIndexPage, BlogPostPage, InfoPage, ContactPage]
MEDIA = [get_image_model(), get_document_model()]
SNIPPETS = [Author, BlogCategory, ProductCategory]
OTHER = [
    Page,
    Revision,
    ProductGalleryImage,
    ProductFile,
    ContactFormField,
    Collection,
    CollectionViewRestriction,
    PageViewRestriction,
    Group,
    EmailAddress,
    Site,
    SiteSettings,
    get_user_model(),
]


def counts():
    return {model._meta.label: model.objects.count() for model in PAGE_TYPES + MEDIA + SNIPPETS + OTHER}


@pytest.mark.django_db
def test_loading_the_demo_twice_gives_the_same_content(settings):
    settings.DEBUG = True  # the demo adds its documented admin login only for local development
    call_command("load_demo", stdout=StringIO(), stderr=StringIO())
    first = counts()
    call_command("load_demo", stdout=StringIO(), stderr=StringIO())

    assert counts() == first
    missing = [model._meta.label for model in PAGE_TYPES + MEDIA + SNIPPETS if first[model._meta.label] == 0]
    assert missing == [], f"the demo made none of: {missing}"
    assert Site.objects.get(is_default_site=True).root_page.specific_class is HomePage
    assert first[HomePage._meta.label] == 1
    assert first[Site._meta.label] == 1
    # the demo admin, shopper, editor and moderator, and a buyer for each demo review
    assert first[get_user_model()._meta.label] == 4 + len(REVIEWS)


@pytest.mark.django_db
def test_the_demo_has_a_membership_with_a_members_only_page_and_a_shopper_who_can_log_in(settings, client):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO(), stderr=StringIO())

    club = ProductPage.objects.get(slug="studio-club-membership")
    library = InfoPage.objects.get(slug="studio-club-library")
    restriction = PageViewRestriction.objects.get(page=library)
    assert list(restriction.groups.all()) == [club.membership_group]
    assert client.get(library.url).status_code == 302  # log in first
    assert library.url not in client.get("/sitemap.xml").content.decode()

    response = client.post("/account/login/", {"login": "shopper@example.com", "password": "changeme"})
    assert response.status_code == 302
    assert client.get("/account/").status_code == 200


@pytest.mark.django_db
def test_on_another_port_the_site_and_the_printed_logins_name_it_and_the_summary_counts_every_user(settings):
    settings.DEBUG = True
    settings.SITE_URL = "http://127.0.0.1:8123"  # what `make run PORT=8123` exports
    out = StringIO()
    call_command("load_demo", stdout=out, stderr=StringIO())

    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8123)
    printed = out.getvalue()
    assert "Admin: http://127.0.0.1:8123/admin/  email admin@example.com" in printed
    assert "Moderator: http://127.0.0.1:8123/admin/" in printed and ":8000" not in printed
    users = get_user_model().objects.count()
    assert f"  users                  {users}\n" in printed and users == 4 + len(REVIEWS)


@pytest.mark.django_db
def test_load_demo_fills_the_shop_up_to_the_products_asked_for_and_adds_nothing_when_run_again(client):
    out = StringIO()
    call_command("load_demo", "--products", "40", stdout=out, stderr=StringIO())
    first = counts()
    assert "generated products: 29 created" in out.getvalue()  # the demo's own 11, and 29 more
    assert ProductPage.objects.live().count() == 40
    assert Page.find_problems() == ([], [], [], [], [])

    call_command("load_demo", "--products", "40", stdout=StringIO(), stderr=StringIO())
    assert counts() == first
    call_command("load_demo", "--products", "45", stdout=StringIO(), stderr=StringIO())
    call_command("load_demo", "--products", "10", stdout=StringIO(), stderr=StringIO())  # removes nothing
    assert ProductPage.objects.count() == 45

    generated = ProductPage.objects.filter(sku__startswith=SKU_PREFIX).order_by("pk").last()
    assert client.get(generated.url).status_code == 200
    assert generated.categories.exists() and generated.gallery_images.exists()


def test_load_demo_refuses_a_negative_number_of_products():
    with pytest.raises(CommandError, match="--products"):
        call_command("load_demo", "--products", "-1", stdout=StringIO(), stderr=StringIO())


@pytest.mark.django_db
def test_the_demo_has_orders_for_the_dashboard_and_a_physical_one_to_ship(settings):
    from checkout.admin import reports
    from checkout.models import Order

    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO(), stderr=StringIO())
    first = {order.number: order.status for order in Order.objects.all()}
    call_command("load_demo", stdout=StringIO(), stderr=StringIO())

    assert {order.number: order.status for order in Order.objects.all()} == first  # made once, then left alone
    to_ship = Order.objects.get(number="DEM00001")
    assert to_ship.status == Order.Status.PAID and to_ship.user.email == "shopper@example.com"
    assert to_ship.has_physical_lines and to_ship.shipping_address_lines[0] == "Robin Shopper"
    today = to_ship.paid_at.date()
    report = reports.sales(today - timedelta(days=29), today)
    assert report.orders == len(first) and sum(1 for day in report.days if day.orders) >= 10


@pytest.mark.django_db
def test_the_demo_digital_orders_have_their_download_links(settings, client):
    from checkout.models import DownloadGrant, Order

    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO(), stderr=StringIO())
    call_command("load_demo", stdout=StringIO(), stderr=StringIO())

    shoppers = Order.objects.get(number="DEM00005")
    grants = DownloadGrant.objects.filter(line__order=shoppers)
    files = sum(line.product.deliverables.count() for line in shoppers.lines.all())
    assert grants.count() == files == 3 and not any(grant.is_expired for grant in grants)  # once each, in date
    assert not DownloadGrant.objects.filter(line__order__number="DEM00004").exists()  # refunded: no links
    assert not DownloadGrant.objects.filter(line__is_digital=False).exists()
    client.force_login(shoppers.user)
    page = client.get("/account/downloads/").content.decode()
    assert all(grant.document.title in page for grant in grants)


@pytest.mark.django_db
def test_the_demo_orders_fill_the_sold_by_report_on_the_first_run(settings):
    from checkout.admin import attribution_report
    from checkout.models import Order

    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO(), stderr=StringIO())
    today = Order.objects.get(number="DEM00001").paid_at.date()
    period = (today - timedelta(days=29), today)

    pages = {row["title"]: row for row in attribution_report.table(*period, by="page")}
    blocks = attribution_report.table(*period, by="block")
    campaigns = {row["utm_campaign"] for row in attribution_report.table(*period, by="campaign")}

    post = BlogPostPage.objects.get(slug="colour-scripts-from-open-films")
    assert pages[post.title]["orders"] == 3 and pages[post.title]["live_title"] == post.title
    assert any(row["page_id"] == post.pk and row["block"] for row in blocks)  # sold by its teaser
    assert pages["Modular Weekly Planner"]["refunds"] > 0  # the refunded workbook, sold from the planner's page
    assert {"spring-brushes", "colour-week", None} <= campaigns


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's VACUUM ANALYZE; SQLite has no statistics")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # VACUUM runs outside a transaction only
def test_on_postgresql_the_load_ends_with_fresh_planner_statistics():
    from demo.management.commands.load_demo import refresh_planner_statistics

    refresh_planner_statistics()

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT last_vacuum IS NOT NULL, last_analyze IS NOT NULL FROM pg_stat_user_tables "
            "WHERE relname = 'wagtailsearch_indexentry'"
        )
        assert cursor.fetchone() == (True, True)


def test_inside_a_transaction_the_refresh_is_left_to_autovacuum(db, django_assert_num_queries):
    from demo.management.commands.load_demo import refresh_planner_statistics

    with django_assert_num_queries(0):
        refresh_planner_statistics()  # VACUUM cannot run in a transaction block: nothing is asked
