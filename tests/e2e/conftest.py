"""Browser journeys: Debian's Chromium driven by Playwright, against pytest-django's live server and a
FakeStripe whose hosted page the browser pays on and whose webhook reaches the live server.

Every journey runs twice, at a phone and at a desktop viewport (the `page` fixture is parametrized).
A journey that fails leaves a full-page screenshot and the page's HTML in test-results/e2e/<test>/.

Playwright's sync API keeps an event loop running in the test's thread while the browser is open, and
Django refuses database calls from a thread with a running loop; the journeys set data up and check it
in that same thread, one call at a time, so they say so with DJANGO_ALLOW_ASYNC_UNSAFE, for their own
length only. pytest-playwright's own browser fixture lives for the whole session and would leave the
loop running under every later test, so the browser here is per test.
"""

import re
import shutil
from pathlib import Path

import pytest

from checkout.tests.conftest import point_stripe_at
from tests.fake_stripe.server import FakeStripe

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
VIEWPORTS = {
    # A common phone (390 x 844 CSS pixels, touch) and a laptop.
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
    "desktop": {"viewport": {"width": 1366, "height": 900}},
}
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-results" / "e2e"
WEBHOOK = "/checkout/stripe/webhook/"


def pytest_collection_modifyitems(items):
    """Every test here is a browser journey: it needs Chromium and a live server with a real database."""
    here = Path(__file__).parent
    missing = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium")
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))
            item.add_marker(missing)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def browser(monkeypatch):
    from playwright.sync_api import sync_playwright

    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request):
    return request.param


@pytest.fixture
def page(browser, viewport, request):
    """A fresh browser context at the test's viewport; on failure its pages are saved for a look."""
    context = browser.new_context(**VIEWPORTS[viewport])
    context.set_default_timeout(15_000)
    first = context.new_page()
    yield first
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        save_artifacts(context, request.node.nodeid)
    context.close()


def save_artifacts(context, nodeid):
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", nodeid)
    folder.mkdir(parents=True, exist_ok=True)
    for number, open_page in enumerate(context.pages):
        open_page.screenshot(path=folder / f"page-{number}.png", full_page=True)
        (folder / f"page-{number}.html").write_text(open_page.content())
        (folder / f"page-{number}.url").write_text(open_page.url)


@pytest.fixture
def stripe_page(settings, live_server):
    """FakeStripe with its hosted page: paying there sends the signed event to the live server's webhook."""
    fake = point_stripe_at(FakeStripe(webhook_url=live_server.url + WEBHOOK).start(), settings)
    yield fake
    fake.stop()


@pytest.fixture
def catalogue(site_settings, product_index, blog_index, image):
    """A small shop: a digital guide with a file, a blog post that features it, and the site's settings."""
    from blog.factories import BlogPostPageFactory
    from products.factories import ProductFileFactory, ProductPageFactory
    from website.factories import DocumentFactory

    for index in (product_index, blog_index):  # in the header's main navigation, as the demo has them
        index.show_in_menus = True
        index.save_revision().publish()
    guide = ProductPageFactory(
        parent=product_index,
        title="Weekly Planner Kit",
        slug="weekly-planner-kit",
        summary="Printable weekly pages and a habit tracker.",
        price="12.00",
        sku="PLAN-1",
        gallery=[image],
    )
    document = DocumentFactory(title="Weekly Planner Kit (PDF)")
    ProductFileFactory(page=guide, document=document)
    post = BlogPostPageFactory(
        parent=blog_index,
        title="How we plan a calm week",
        slug="calm-week",
        body=[
            {"type": "paragraph", "value": "<p>Sunday evening, ten minutes, one page.</p>"},
            {"type": "product_teaser", "value": {"product": guide.pk, "blurb": "The pages we use ourselves."}},
        ],
    )
    return {"product": guide, "post": post, "document": document, "file_bytes": read_file(document)}


def read_file(document):
    with document.file.open("rb") as handle:
        return handle.read()


def main_nav(page, viewport, name):
    """The main navigation's link `name`; on a phone the menu opens first."""
    if viewport == "phone":
        page.locator("details[data-menu] > summary").click()  # the menu icon
    return page.get_by_role("navigation", name="Main").get_by_role("link", name=name)


PASSWORD = "correct horse battery staple"  # accounts.factories.UserFactory's


def admin_login(page, live_server, *, email, password=PASSWORD):
    """Sign in to the Wagtail admin through its form, as an editor would, and land on the dashboard."""
    page.goto(live_server.url + "/admin/login/")
    page.get_by_role("textbox", name="Email address").fill(email)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/admin/")


def admin_sidebar(page, viewport):
    """The Wagtail admin's sidebar (main menu and account menu); on a phone it is folded away and opens first."""
    sidebar = page.get_by_role("complementary", name="Sidebar")
    if viewport == "phone":
        sidebar.get_by_role("button", name="Toggle sidebar").click()
    return sidebar


SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def sitemap_locations(page, live_server):
    """The page URLs /sitemap.xml lists, as the browser fetched it."""
    from xml.etree import ElementTree

    response = page.goto(live_server.url + "/sitemap.xml")
    assert response.status == 200
    return [loc.text for loc in ElementTree.fromstring(response.body()).iter(f"{SITEMAP_NS}loc")]  # noqa: S314 - ours
