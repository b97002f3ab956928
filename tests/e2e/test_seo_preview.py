"""An editor rewrites a product's title tag, search description, slug and social image on the Promote tab
without saving: the tab's SEO check and the SEO Preview mode both follow the unsaved values, and the
preview fits its panel whole at 1024, 1366, 1440 and 1920 px windows and on a phone, in every preview size."""

import re

import pytest
from playwright.sync_api import expect

from django.contrib.auth.models import Group

from accounts.factories import UserFactory
from products.factories import ProductPageFactory
from products.models import ProductPage
from tests.e2e.conftest import ARTIFACTS, admin_login
from website.factories import ImageFactory

LONG_TITLE = "Riverstone Gouache Brushes for Procreate, Photoshop, Krita and Affinity Photo"  # 77 characters
SHORT_TITLE = "Riverstone Gouache Brushes for Procreate"
DESCRIPTION = "Twelve gouache brushes scanned from real paint on cold-press paper, for Procreate and Photoshop."
SUMMARY = "Twelve brushes for Procreate, made from scans of real gouache on cold-press paper."
WINDOWS = {"phone": [390], "desktop": [1024, 1366, 1440, 1920]}
SIZES = ["mobile", "tablet", "desktop"]  # the preview panel's device-size toggles
SCREENSHOTS = ARTIFACTS / "seo-preview"

# What in the preview's document lies outside its viewport's width, and whether the document scrolls sideways.
OUTSIDE = """html => {
  const width = html.ownerDocument.defaultView.innerWidth;
  const outside = [...html.ownerDocument.body.querySelectorAll("*")]
    .map(element => [element, element.getBoundingClientRect()])
    .filter(([, box]) => box.width > 0 && (box.left < -0.5 || box.right > width + 0.5))
    .map(([element, box]) => `${element.tagName}.${element.className} ${box.left}..${box.right}`);
  return {width, scrollWidth: html.scrollWidth, outside};
}"""


@pytest.fixture
def product(product_index, site_settings, image):
    return ProductPageFactory(
        parent=product_index, title="Riverstone Brushes", slug="riverstone", summary=SUMMARY, gallery=[image]
    )


def test_the_seo_check_and_preview_follow_unsaved_promote_edits_and_fit_the_panel(page, viewport, live_server, product):
    ImageFactory(title="brush-card-final", description="")
    editor = UserFactory(email="editor@example.com", is_staff=False)
    editor.groups.add(Group.objects.get(name="Moderators"))
    admin_login(page, live_server, email=editor.email)
    page.goto(f"{live_server.url}/admin/pages/{product.pk}/edit/")
    page.get_by_role("tab", name="Promote").click()
    check = page.locator("[data-seo-checks-panel]")
    expect(check).to_contain_text("1 thing to fix before publishing")  # the gallery picture has no description

    page.get_by_role("textbox", name="Slug").fill("riverstone-gouache-brushes")
    page.get_by_role("textbox", name="Title tag").fill(LONG_TITLE)
    page.get_by_role("textbox", name="Meta description").fill(DESCRIPTION)
    page.get_by_role("button", name="Choose an image").first.click()  # the social image, the tab's only one
    chooser = page.get_by_role("dialog").filter(has=page.get_by_role("heading", name="Choose an image"))
    chooser.get_by_role("link", name="brush-card-final").first.click()
    expect(chooser).to_be_hidden()

    # Not saved, and the tab's check already counts the long title and the undescribed social image.
    expect(check).to_contain_text("3 things to fix before publishing")
    expected = [
        "The title is 77 characters; search results cut titles off after about 60. Shorten it, or set a shorter "
        "title tag on the Promote tab.",
        "The social image “brush-card-final” has no description, so its file title is read out as alt text.",
        "The gallery image “Blue planner cover” has no description, so its file title is read out as alt text.",
    ]
    expect(check.get_by_role("listitem")).to_have_text(expected)

    page.get_by_role("button", name="Toggle preview").click()
    # Wagtail loads each refresh of the preview into a new iframe and then drops the old one: the page's own
    # preview loads first, as an editor would see it, before the mode changes.
    preview = page.get_by_title("Preview").last.content_frame
    expect(preview.get_by_role("heading", level=1)).to_have_text("Riverstone Brushes")
    page.get_by_role("combobox", name="Preview mode").select_option(label="SEO Preview")
    expect(preview.locator("[data-seo-title]")).to_have_text(LONG_TITLE)
    expect(preview.locator("[data-seo-description]")).to_have_text(DESCRIPTION)
    expect(preview.get_by_text(re.compile(r"› shop › riverstone-gouache-brushes$"))).to_be_visible()
    expect(preview.locator("[data-seo-problems] li")).to_have_text(expected)  # the same words as the tab
    expect(preview.locator("[data-seo-image]")).to_have_attribute("alt", "brush-card-final")

    for width in WINDOWS[viewport]:
        page.set_viewport_size({"width": width, "height": 900 if viewport == "desktop" else 844})
        for size in SIZES:
            page.get_by_label(f"Preview in {size} size").check(force=True)  # the radio is drawn as its label
            assert_fits(page, f"{viewport}-{width}-{size}")

    # A shorter title, still unsaved: the tab's check drops the warning, and so does the preview, which
    # refreshes itself. (A phone's preview panel covers the form, so it is closed and opened again there.)
    if viewport == "phone":
        page.get_by_role("button", name="Toggle preview").click()
    page.get_by_role("textbox", name="Title tag").fill(SHORT_TITLE)
    expect(check.get_by_role("listitem")).to_have_text(expected[1:])
    if viewport == "phone":
        page.get_by_role("button", name="Toggle preview").click()
    preview = page.get_by_title("Preview").last.content_frame
    expect(preview.locator("[data-seo-title]")).to_have_text(SHORT_TITLE)
    expect(preview.locator("[data-seo-problems] li")).to_have_text(expected[1:])

    saved = ProductPage.objects.get(pk=product.pk)
    assert (saved.seo_title, saved.search_description, saved.slug, saved.og_image) == ("", "", "riverstone", None)


def assert_fits(page, name):
    """The preview's iframe lies inside the window, and nothing inside it is cut off or scrolls sideways."""
    iframe = page.locator("#w-preview-iframe")
    expect(iframe.content_frame.locator("[data-seo-problems]")).to_be_visible()
    page.wait_for_timeout(300)  # the panel scales the iframe to the chosen size with a short transition
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png")
    box = iframe.bounding_box()
    window = page.viewport_size
    assert box["x"] >= 0 and box["x"] + box["width"] <= window["width"] + 0.5, (name, box)
    found = iframe.content_frame.locator("html").evaluate(OUTSIDE)
    assert found["outside"] == [] and found["scrollWidth"] <= found["width"], (name, found)
