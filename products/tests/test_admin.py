"""An editor creates and publishes shop pages in the Wagtail admin."""

from decimal import Decimal

from django.urls import reverse

from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from accounts.factories import SuperuserFactory
from home.factories import make_home_page
from products.factories import ProductCategoryFactory, ProductIndexPageFactory
from products.models import ProductIndexPage, ProductPage
from website.factories import CollectionFactory, DocumentFactory, ImageFactory, PrivateCollectionFactory


def product_form(**overrides):
    fields = {
        "title": "Weekly planner",
        "slug": "weekly-planner",
        "summary": "A printable planner for a calmer week.",
        "price": "19.00",
        "sku": "PLAN-01",
        "kind": "digital",
        "stock": "",
        "on_sale": "on",
        "gallery_images": inline_formset([]),
        "deliverables": inline_formset([]),
        "body": streamfield([("paragraph", rich_text("<p>Fifty-two weeks, one page each.</p>"))]),
        "comments": inline_formset([]),
    }
    fields.update(overrides)
    return nested_form_data(fields)


class ProductAdminTests(WagtailPageTestCase):
    def setUp(self):
        self.client.force_login(SuperuserFactory())
        self.home = make_home_page()

    def add_url(self, parent):
        return reverse("wagtailadmin_pages:add", args=("products", "productpage", parent.pk))

    def test_an_editor_can_publish_the_shop(self):
        self.assertCanCreate(
            self.home,
            ProductIndexPage,
            nested_form_data({"title": "Shop", "intro": "Everything we make.", "comments": inline_formset([])}),
        )

        shop = ProductIndexPage.objects.get(slug="shop")
        self.assertTrue(shop.live)
        self.assertEqual(shop.get_parent().specific, self.home)
        self.assertEqual(self.client.get(shop.url).status_code, 200)

    def test_an_editor_can_publish_a_product_with_gallery_files_and_categories(self):
        shop = ProductIndexPageFactory(parent=self.home)
        cover = ImageFactory(title="Planner cover")
        guide = DocumentFactory(title="Planner PDF", collection=PrivateCollectionFactory())
        paper, digital = ProductCategoryFactory(name="Paper"), ProductCategoryFactory(name="Digital")
        data = product_form(
            gallery_images=inline_formset([{"image": cover.pk, "caption": "The cover"}]),
            deliverables=inline_formset([{"document": guide.pk}]),
        )
        data["categories"] = [paper.pk, digital.pk]

        self.assertCanCreate(shop, ProductPage, data)

        product = ProductPage.objects.get(slug="weekly-planner")
        self.assertTrue(product.live)
        self.assertIsNotNone(product.first_published_at)
        self.assertEqual(product.price, Decimal("19.00"))
        self.assertEqual(product.sku, "PLAN-01")
        self.assertIsNone(product.stock)
        self.assertEqual([(item.image, item.caption) for item in product.gallery_images.all()], [(cover, "The cover")])
        self.assertEqual([item.document for item in product.deliverables.all()], [guide])
        self.assertEqual(set(product.categories.all()), {paper, digital})
        self.assertEqual(product.body[0].block_type, "paragraph")
        self.assertEqual(product.get_latest_revision().content["sku"], "PLAN-01")
        self.assertEqual(self.client.get(product.url).status_code, 200)

    def test_a_physical_product_is_published_with_its_stock(self):
        shop = ProductIndexPageFactory(parent=self.home)

        self.assertCanCreate(shop, ProductPage, product_form(kind="physical", stock="12", sku="TOTE-01", slug="tote"))

        self.assertEqual(ProductPage.objects.get(slug="tote").stock, 12)

    def test_the_editor_is_told_when_a_physical_product_has_no_stock(self):
        shop = ProductIndexPageFactory(parent=self.home)

        response = self.client.post(self.add_url(shop), {**product_form(kind="physical"), "action-publish": "publish"})

        self.assertEqual(response.status_code, 200)
        self.assertIn("stock", response.context["form"].errors)
        self.assertFalse(ProductPage.objects.exists())

    def test_a_deliverable_from_a_public_collection_is_refused(self):
        shop = ProductIndexPageFactory(parent=self.home)
        leaked = DocumentFactory(title="Press kit", collection=CollectionFactory(name="Public"))

        response = self.client.post(
            self.add_url(shop),
            {**product_form(deliverables=inline_formset([{"document": leaked.pk}])), "action-publish": "publish"},
        )

        self.assertEqual(response.status_code, 200)
        [deliverable_form] = response.context["form"].formsets["deliverables"].forms
        self.assertEqual(
            deliverable_form.errors["document"],
            [
                "Choose a file from the private “Product files” collection: this one is public, so anyone could "
                "download it without paying."
            ],
        )
        self.assertFalse(ProductPage.objects.exists())

    def test_two_products_cannot_share_a_sku(self):
        shop = ProductIndexPageFactory(parent=self.home)
        self.assertCanCreate(shop, ProductPage, product_form())

        response = self.client.post(
            self.add_url(shop), {**product_form(slug="planner-copy"), "action-publish": "publish"}
        )

        self.assertIn("sku", response.context["form"].errors)
        self.assertEqual(ProductPage.objects.count(), 1)

    def test_saving_a_draft_does_not_publish(self):
        shop = ProductIndexPageFactory(parent=self.home)

        self.assertCanCreate(shop, ProductPage, product_form(), publish=False)

        product = ProductPage.objects.get(slug="weekly-planner")
        self.assertFalse(product.live)
        self.assertEqual(self.client.get(f"{shop.url}weekly-planner/").status_code, 404)

    def test_a_new_product_can_be_previewed_before_it_is_first_saved(self):
        shop = ProductIndexPageFactory(parent=self.home)
        preview_url = reverse("wagtailadmin_pages:preview_on_add", args=("products", "productpage", shop.pk))

        self.assertTrue(self.client.post(preview_url, product_form()).json()["is_valid"])
        response = self.client.get(preview_url)

        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Weekly planner")
        self.assertFalse(ProductPage.objects.exists())
