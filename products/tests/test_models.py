from decimal import Decimal

import pytest

from django.core.exceptions import ValidationError

from wagtail.models import CollectionViewRestriction
from wagtail.test.utils import WagtailPageTestCase

from blog.models import BlogIndexPage
from home.models import HomePage
from infopages.models import InfoPage
from products.factories import ProductFileFactory, ProductPageFactory
from products.files import is_private_collection
from products.models import ProductFile, ProductIndexPage, ProductPage
from website.factories import CollectionFactory, DocumentFactory, ImageFactory, PrivateCollectionFactory

pytestmark = pytest.mark.django_db


def test_a_physical_product_needs_its_stock(product_index):
    with pytest.raises(ValidationError) as error:
        ProductPageFactory(parent=product_index, kind="physical", stock=None)

    assert error.value.message_dict["stock"] == ["Enter the units on hand for a physical product."]


def test_a_physical_product_with_no_units_left_can_be_saved(product_index):
    product = ProductPageFactory(parent=product_index, kind="physical", stock=0)

    assert ProductPage.objects.get(pk=product.pk).stock == 0


def test_a_digital_product_must_not_have_stock(product_index):
    with pytest.raises(ValidationError) as error:
        ProductPageFactory(parent=product_index, kind="digital", stock=3)

    assert error.value.message_dict["stock"] == ["Digital products have no stock; leave this empty."]
    assert not ProductPage.objects.exists()


def test_the_price_cannot_be_negative(product_index):
    with pytest.raises(ValidationError) as error:
        ProductPageFactory(parent=product_index, price=Decimal("-1"))

    assert "price" in error.value.message_dict


@pytest.mark.parametrize(
    ("attributes", "available"),
    [
        ({"kind": "digital", "stock": None, "on_sale": True}, True),
        ({"kind": "digital", "stock": None, "on_sale": False}, False),
        ({"kind": "physical", "stock": 4, "on_sale": True}, True),
        ({"kind": "physical", "stock": 1, "on_sale": True}, True),
        ({"kind": "physical", "stock": 0, "on_sale": True}, False),
        ({"kind": "physical", "stock": 4, "on_sale": False}, False),
    ],
)
def test_is_available_needs_on_sale_and_something_to_sell(attributes, available):
    product = ProductPage(title="P", summary="-", price=Decimal("1"), sku="P1", **attributes)

    assert product.is_available is available
    assert product.in_stock is (attributes["kind"] == "digital" or attributes["stock"] > 0)


def test_the_gallery_keeps_the_editors_order_and_its_first_image_is_the_main_one(product_index):
    front, back = ImageFactory(title="Front"), ImageFactory(title="Back")
    product = ProductPageFactory(parent=product_index, gallery=[front, back])

    fetched = ProductPage.objects.with_card_data().get(pk=product.pk)

    assert [item.image for item in fetched.gallery] == [front, back]
    assert fetched.main_image == front


def test_a_product_without_pictures_has_no_main_image(product_index):
    product = ProductPageFactory(parent=product_index)

    assert product.gallery == []
    assert product.main_image is None


def test_card_data_takes_a_constant_number_of_queries(product_index, django_assert_max_num_queries):
    for _ in range(3):
        ProductPageFactory(parent=product_index, gallery=[ImageFactory()])

    with django_assert_max_num_queries(2):  # the products with their ratings, then every gallery with its images
        cards = [(product.main_image.title, product.rating_count) for product in ProductPage.objects.with_card_data()]

    assert len(cards) == 3


def test_a_deliverable_from_a_public_collection_is_refused(product_index):
    public_document = DocumentFactory(collection=CollectionFactory(name="Press kit"))
    product_file = ProductFile(page=ProductPageFactory(parent=product_index), document=public_document)

    with pytest.raises(ValidationError) as error:
        product_file.full_clean()

    assert "document" in error.value.message_dict


def test_a_deliverable_from_a_restricted_collection_is_accepted(product_index):
    private_document = DocumentFactory(collection=PrivateCollectionFactory())
    product_file = ProductFile(page=ProductPageFactory(parent=product_index), document=private_document)

    product_file.full_clean()


def test_a_collection_inside_a_restricted_one_counts_as_private():
    paid = PrivateCollectionFactory(name="Paid")
    nested = CollectionFactory(name="Planners", parent=paid)

    assert is_private_collection(nested)
    assert not is_private_collection(CollectionFactory(name="Blog images"))


@pytest.mark.parametrize(
    "restriction_type",
    [CollectionViewRestriction.LOGIN, CollectionViewRestriction.GROUPS, CollectionViewRestriction.PASSWORD],
)
def test_any_view_restriction_makes_a_collection_private(restriction_type):
    collection = CollectionFactory()
    CollectionViewRestriction.objects.create(collection=collection, restriction_type=restriction_type, password="pw")

    assert is_private_collection(collection)


def test_a_product_file_is_named_after_its_document(product_index):
    product_file = ProductFileFactory(page=ProductPageFactory(parent=product_index), document__title="Planner PDF")

    assert str(product_file) == "Planner PDF"


class ProductPageTreeTests(WagtailPageTestCase):
    def test_the_shop_lives_under_the_home_page_and_holds_only_products(self):
        self.assertAllowedParentPageTypes(ProductIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(ProductIndexPage, {ProductPage})

    def test_products_live_only_in_the_shop_and_have_no_children(self):
        self.assertAllowedParentPageTypes(ProductPage, {ProductIndexPage})
        self.assertAllowedSubpageTypes(ProductPage, set())
        self.assertCanCreateAt(ProductIndexPage, ProductPage)
        self.assertCanNotCreateAt(BlogIndexPage, ProductPage)
        self.assertCanNotCreateAt(InfoPage, ProductPage)


def test_a_preview_shows_the_editors_unsaved_gallery_and_categories(site_settings, product_index):
    from products.factories import ProductCategoryFactory
    from products.models import ProductGalleryImage

    kits, prints = ProductCategoryFactory(name="Kits"), ProductCategoryFactory(name="Prints")
    saved, unsaved = ImageFactory(title="Saved picture"), ImageFactory(title="Unsaved picture")
    product = ProductPageFactory(parent=product_index, gallery=[saved], categories=[kits])
    draft = ProductPage.objects.get(pk=product.pk)
    draft.categories = [prints]
    draft.gallery_images = [ProductGalleryImage(image=unsaved, caption="The new cover")]

    html = draft.make_preview_request().content.decode()

    assert "Prints" in html and "Kits" not in html
    assert "The new cover" in html
