"""A new owner's first digital product: signed in as a superuser (as the demo admin is), they write a product
page, upload its file through the product file chooser (it goes into the private "Product files" collection
without being asked), publish at the first try, and a shopper buys and downloads it. When a file sits in a
public collection, the refusal names the collection to use instead."""

import re
from pathlib import Path

from playwright.sync_api import expect

from accounts.factories import SuperuserFactory
from checkout.models import Order
from products.files import product_files_collection
from products.models import ProductFile, ProductPage
from tests.e2e.conftest import ARTIFACTS, admin_login
from website.factories import CollectionFactory, DocumentFactory
from website.models import PrivateDocument

SHOTS = ARTIFACTS / "owner_first_hour"
PDF = b"%PDF-1.4 the owner's first paid file"


def test_an_owner_uploads_a_product_file_publishes_first_time_and_a_shopper_buys_it(
    page, viewport, live_server, site_settings, product_index, stripe_page, tmp_path
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    owner = SuperuserFactory(email="owner@example.com")
    admin_login(page, live_server, email=owner.email)
    page.goto(f"{live_server.url}/admin/pages/add/products/productpage/{product_index.pk}/")

    page.get_by_role("textbox", name="Title*").fill("Garden Journal")
    page.get_by_role("textbox", name="Summary*").fill("A year of notes, sketches and harvests.")
    page.get_by_role("spinbutton", name="Price*").fill("9")
    page.get_by_role("textbox", name="SKU*").fill("GARDEN-1")

    page.get_by_role("button", name="Add File").click()
    page.get_by_role("button", name="Choose a product file").click()
    chooser = page.get_by_role("dialog").filter(has=page.get_by_role("heading", name="Choose a product file"))
    chooser.get_by_role("tab", name="Upload").click()
    collection = chooser.get_by_role("combobox", name="Collection")
    expect(collection.locator("option:checked")).to_have_text(re.compile("Product files"))
    chooser.get_by_role("textbox", name="Title*").fill("Garden Journal (PDF)")
    upload = tmp_path / "garden-journal.pdf"
    upload.write_bytes(PDF)
    chooser.get_by_label("File*").set_input_files(upload)
    page.screenshot(path=SHOTS / f"chooser-upload-{viewport}.png")
    chooser.get_by_role("button", name="Upload").click()
    expect(chooser).to_be_hidden()
    expect(page.get_by_text("Garden Journal (PDF)", exact=True)).to_be_visible()

    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()
    page.wait_for_url(f"**/admin/pages/{product_index.pk}/")
    expect(page.get_by_role("status").get_by_text("Page 'Garden Journal' created and published.")).to_be_visible()

    product = ProductPage.objects.get(sku="GARDEN-1")
    [document] = [item.document for item in product.deliverables.all()]
    assert product.live and document.collection == product_files_collection()
    assert PrivateDocument.objects.count() == 1  # nothing left behind in another collection

    page.context.clear_cookies()  # a shopper
    page.goto(live_server.url + product.url)
    page.screenshot(path=SHOTS / f"published-{viewport}.png", full_page=True)
    # Wagtail's own document link stays closed to the public: the file is only reached by paying.
    assert page.request.get(live_server.url + document.url, max_redirects=0).status != 200
    page.get_by_role("button", name=re.compile("Add to cart")).first.click()
    expect(page.get_by_text("Added Garden Journal to your cart.")).to_be_visible()
    page.goto(live_server.url + "/cart/")
    page.get_by_label("Email").fill("first@example.com")
    page.get_by_role("button", name="Check out").click()
    page.wait_for_url(f"{stripe_page.base_url}/pay/**")
    page.get_by_role("button", name="Pay 9.00 USD").click()
    page.wait_for_url("**/checkout/success/**")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Download")).first.click()
    assert Path(download.value.path()).read_bytes() == PDF
    assert Order.objects.get(email="first@example.com").status == Order.Status.COMPLETED


def test_a_file_in_a_public_collection_is_refused_naming_the_product_files_collection(
    page, live_server, site_settings, product_index
):
    from products.factories import ProductPageFactory

    owner = SuperuserFactory(email="owner@example.com")
    product = ProductPageFactory(parent=product_index, title="Press Kit", sku="PRESS-1")
    # A file chosen while private and moved to a public collection since (the model refuses it, so bypass).
    leaked = DocumentFactory(title="Press kit (PDF)", collection=CollectionFactory(name="Press"))
    ProductFile.objects.bulk_create([ProductFile(page=product, document=leaked)])
    revisions = product.revisions.count()
    admin_login(page, live_server, email=owner.email)
    page.goto(f"{live_server.url}/admin/pages/{product.pk}/edit/")

    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()

    expect(
        page.get_by_text("Choose a file from the private “Product files” collection: this one is public")
    ).to_be_visible()
    assert product.revisions.count() == revisions  # nothing saved or published
