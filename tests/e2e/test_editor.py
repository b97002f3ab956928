"""An editor signs in to the Wagtail admin, writes a product page with a gallery picture and a body of
several blocks, previews it, publishes it, and a visitor finds it in the shop, in search, in the sitemap
and in the page's structured data: in Chromium, as a phone and a desktop."""

import json
import re
from decimal import Decimal

from playwright.sync_api import expect

from django.contrib.auth.models import Group

from accounts.factories import UserFactory
from products.models import ProductPage
from tests.e2e.conftest import admin_login, admin_sidebar, sitemap_locations

TITLE = "Seed Starting Planner"


def test_an_editor_writes_previews_and_publishes_a_product_that_visitors_then_find(
    page, viewport, live_server, site_settings, product_index, image
):
    # Wagtail's own Moderators group: editing and publishing pages, choosing images. (Its Editors group
    # may only submit pages for moderation.)
    editor = UserFactory(email="editor@example.com", is_staff=False)
    editor.groups.add(Group.objects.get(name="Moderators"))
    admin_login(page, live_server, email=editor.email)

    admin_sidebar(page, viewport).get_by_role("button", name="Pages").click()
    explorer = page.get_by_role("dialog", name="Page explorer")
    explorer.get_by_role("link", name="View child pages of 'Home'").click()
    explorer.get_by_role("link", name="Shop", exact=True).click()
    page.wait_for_url(f"**/admin/pages/{product_index.pk}/")
    page.get_by_role("link", name="Add child page").first.click()
    page.wait_for_url(f"**/admin/pages/add/products/productpage/{product_index.pk}/")

    page.get_by_role("textbox", name="Title*").fill(TITLE)
    page.get_by_role("textbox", name="Summary*").fill("Twelve weeks of sowing dates, a seed inventory and a log.")
    page.get_by_role("spinbutton", name="Price*").fill("24")
    page.get_by_role("textbox", name="SKU*").fill("SEED-1")

    page.get_by_role("button", name="Add Gallery image").click()
    gallery = page.get_by_role("region", name="Gallery image 1")
    gallery.get_by_role("button", name="Choose an image").click()
    chooser = page.get_by_role("dialog").filter(has=page.get_by_role("heading", name="Choose an image"))
    chooser.get_by_role("link", name=image.title).first.click()
    expect(chooser).to_be_hidden()
    expect(gallery.get_by_text(image.title, exact=True)).to_be_visible()  # the chosen image
    gallery.get_by_role("textbox", name="Caption").fill("The cover and two inside pages.")

    body = page.get_by_role("region", name="Body")
    add_block(page, body, "Heading")
    heading = body.get_by_role("region", name=re.compile("^Heading"))
    heading.get_by_role("textbox", name="Text*").fill("What is inside")
    add_block(page, body, "Paragraph")
    body.get_by_role("region", name=re.compile("^Paragraph")).get_by_role("textbox").click()
    page.keyboard.type("A sowing calendar for every week from late winter to midsummer.")
    add_block(page, body, "Quote")
    quote = body.get_by_role("region", name=re.compile("^Quote"))
    quote.get_by_role("textbox", name="Quote*").fill("My tomatoes were never this early.")
    quote.get_by_role("textbox", name="Attribution").fill("Ruth Okafor")
    add_block(page, body, "Faq")
    faq = body.get_by_role("region", name=re.compile("^Faq"))
    faq.get_by_role("textbox", name="Question*").fill("Is it printable?")
    faq.get_by_role("textbox").last.click()  # the answer's rich text editor
    page.keyboard.type("Yes, on A4 or US Letter.")

    page.get_by_role("button", name="Toggle preview").click()
    preview = page.get_by_role("complementary", name="Preview")
    expect(preview).to_be_visible()
    # Wagtail loads each refresh of the preview into a new iframe and then drops the old one.
    preview_page = page.get_by_title("Preview").last.content_frame
    expect(preview_page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(preview_page.get_by_role("heading", name="What is inside")).to_be_visible()
    page.get_by_role("button", name="Toggle preview").click()
    expect(preview).to_be_hidden()

    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url(f"**/admin/pages/{product_index.pk}/")
    # Autosave is off (base settings), so nothing saved a draft before this: the page is created as it publishes.
    expect(page.get_by_role("status").get_by_text(f"Page '{TITLE}' created and published.")).to_be_visible()

    product = ProductPage.objects.get(sku="SEED-1")
    assert product.live and product.get_parent().pk == product_index.pk
    assert product.live_revision_id == product.latest_revision_id and not product.has_unpublished_changes
    assert product.latest_revision.user == editor
    assert (product.title, product.price) == (TITLE, Decimal("24.00"))
    assert [block.block_type for block in product.body] == ["heading", "paragraph", "quote", "faq"]
    assert [item.image for item in product.gallery_images.all()] == [image]

    page.context.clear_cookies()  # from here on, a visitor who has never signed in
    page.goto(live_server.url + product_index.url)
    card = page.get_by_role("article").filter(has=page.get_by_role("link", name=TITLE))
    expect(card).to_contain_text("$24.00")

    page.goto(f"{live_server.url}/search/?q={TITLE}")
    page.get_by_role("main").get_by_role("link", name=TITLE).click()
    page.wait_for_url(f"**{product.url}")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    main = page.get_by_role("main")
    expect(main.get_by_role("heading", name="What is inside")).to_be_visible()
    expect(main.get_by_text("A sowing calendar for every week")).to_be_visible()
    expect(main).to_contain_text("My tomatoes were never this early.")
    expect(main.get_by_text("Is it printable?")).to_be_visible()

    graph = json.loads(page.locator('script[type="application/ld+json"]').text_content())["@graph"]
    [node] = [node for node in graph if node["@type"] == "Product"]
    assert node["name"] == TITLE and node["sku"] == "SEED-1"
    assert (node["offers"]["price"], node["offers"]["priceCurrency"]) == ("24.00", "USD")
    assert node["url"] == product.full_url
    assert node["image"] and all("/blue-planner-cover." in url for url in node["image"])  # the gallery's picture

    assert product.full_url in sitemap_locations(page, live_server)


def add_block(page, body, name):
    """Append a block to the StreamField: the last "Insert a block" button, then the block picker."""
    body.get_by_role("button", name="Insert a block").last.click()
    page.get_by_role("option", name=name, exact=True).click()
