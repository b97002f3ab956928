"""A marketer rewrites a page's search and social preview on the Promote tab, points an old address at it
in Redirects, hides another page from search engines, signs out, and checks what a visitor and a search
engine now get: in Chromium, as a phone and a desktop, with the page cache on as in production."""

import re

import pytest
from playwright.sync_api import expect

from django.contrib.auth.models import Group, Permission

from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Site
from wagtailseo.models import SeoSettings

from accounts.factories import UserFactory
from infopages.factories import InfoPageFactory
from infopages.models import InfoPage
from tests.e2e.conftest import admin_login, admin_sidebar, sitemap_locations
from website.factories import ImageFactory
from website.seo import SOCIAL_IMAGE_SPEC

SEO_TITLE = "Our story: two makers, one studio"
DESCRIPTION = "How a two-person studio designs printable planners and ships them worldwide, one kit at a time."
OLD_PATH = "/about-the-studio"


@pytest.fixture
def marketer(home_page):
    """A Marketers group as a shop would set one up: edit and publish pages, choose images, manage redirects."""
    group = Group.objects.create(name="Marketers")
    group.permissions.add(
        *Permission.objects.filter(codename__in=["access_admin", "add_redirect", "change_redirect", "delete_redirect"])
    )
    for codename in ("change_page", "publish_page"):
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        GroupPagePermission.objects.create(group=group, page=home_page, permission=permission)
    GroupCollectionPermission.objects.create(
        group=group,
        collection=Collection.get_first_root_node(),
        permission=Permission.objects.get(codename="choose_image"),
    )
    user = UserFactory(email="marketer@example.com", first_name="Mira", is_staff=False)
    user.groups.add(group)
    return user


def test_a_marketer_changes_the_search_preview_adds_a_redirect_and_hides_a_page_from_search_engines(
    page, viewport, live_server, settings, site_settings, home_page, marketer
):
    settings.PAGE_CACHE_SECONDS = 600  # visitors get stored pages, so publishing has to refresh them
    about = InfoPageFactory(parent=home_page, title="About us", slug="about", intro="Who we are and how we work.")
    press = InfoPageFactory(parent=home_page, title="Press kit", slug="press")
    banner = ImageFactory(title="Studio workbench")
    SeoSettings.for_site(Site.objects.get(is_default_site=True))  # made on first use, which refreshes the cache
    about_url, old_url = live_server.url + about.url, live_server.url + OLD_PATH

    page.goto(about_url)
    expect(page).to_have_title(f"About us | {site_settings.brand_name}")
    assert page.goto(about_url).headers["x-page-cache"] == "hit"  # what visitors get until something changes
    assert page.goto(old_url).status == 404
    assert press.full_url in sitemap_locations(page, live_server)

    admin_login(page, live_server, email=marketer.email)
    page.goto(f"{live_server.url}/admin/pages/{about.pk}/edit/")
    page.get_by_role("tab", name="Promote").click()
    previews = page.get_by_role("region", name="Search and Social Previews")
    previews.get_by_role("textbox", name="Title tag").fill(SEO_TITLE)
    previews.get_by_role("textbox", name="Meta description").fill(DESCRIPTION)
    previews.get_by_role("button", name="Choose an image").click()
    chooser = page.get_by_role("dialog").filter(has=page.get_by_role("heading", name="Choose an image"))
    chooser.get_by_role("link", name=banner.title).first.click()
    expect(chooser).to_be_hidden()
    expect(previews.get_by_text(banner.title, exact=True)).to_be_visible()
    publish(page, home_page, title="About us")

    about.refresh_from_db()
    assert (about.seo_title, about.search_description, about.og_image) == (SEO_TITLE, DESCRIPTION, banner)
    assert about.live_revision_id == about.latest_revision_id and not about.has_unpublished_changes

    admin_sidebar(page, viewport).get_by_role("button", name="Settings").click()
    page.get_by_role("link", name="Redirects").click()
    page.wait_for_url("**/admin/redirects/")
    page.get_by_role("link", name="Add redirect").click()
    page.get_by_role("textbox", name="Redirect from*").fill(OLD_PATH)
    expect(page.get_by_role("checkbox", name="Permanent")).to_be_checked()
    page.get_by_role("button", name="Choose a page").click()
    chooser = page.get_by_role("dialog").filter(has=page.get_by_role("heading", name=re.compile("^Choose a page")))
    chooser.get_by_role("row", name=re.compile("^Home")).get_by_role("link", name="Explore").click()
    chooser.get_by_role("link", name="About us").click()
    expect(chooser).to_be_hidden()
    page.get_by_role("button", name="Create").click()
    page.wait_for_url("**/admin/redirects/")
    expect(page.get_by_role("status")).to_contain_text(OLD_PATH)
    redirect = Redirect.objects.get()
    assert (redirect.old_path, redirect.redirect_page_id, redirect.is_permanent) == (OLD_PATH, about.pk, True)

    page.goto(f"{live_server.url}/admin/pages/{press.pk}/edit/")
    page.get_by_role("tab", name="Promote").click()
    page.get_by_role("checkbox", name="Hide from search engines").check()
    publish(page, home_page, title="Press kit")
    assert InfoPage.objects.get(pk=press.pk).noindex

    admin_sidebar(page, viewport).get_by_role("button", name=marketer.first_name).click()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/admin/login/**")

    response = page.goto(about_url)
    assert response.headers["x-page-cache"] == "miss"  # publishing refreshed the stored page
    expect(page).to_have_title(f"{SEO_TITLE} | {site_settings.brand_name}")
    social_image = Site.objects.get(is_default_site=True).root_url + banner.get_rendition(SOCIAL_IMAGE_SPEC).url
    for selector, value in [
        ('meta[name="description"]', DESCRIPTION),
        ('meta[property="og:title"]', SEO_TITLE),
        ('meta[property="og:description"]', DESCRIPTION),
        ('meta[property="og:image"]', social_image),
        ('meta[name="twitter:image"]', social_image),
    ]:
        expect(page.locator(selector)).to_have_attribute("content", value)
    expect(page.locator('meta[name="robots"]')).to_have_count(0)

    response = page.goto(old_url)
    assert response.request.redirected_from.url == old_url
    assert response.request.redirected_from.response().status == 301
    assert page.url == about_url and response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("About us")

    page.goto(live_server.url + press.url)
    expect(page.locator('meta[name="robots"]')).to_have_attribute("content", re.compile("^noindex"))
    locations = sitemap_locations(page, live_server)
    assert press.full_url not in locations and about.full_url in locations


def publish(page, parent, *, title):
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url(f"**/admin/pages/{parent.pk}/")
    expect(page.get_by_role("status").get_by_text(f"Page '{title}' has been published.")).to_be_visible()
