from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from blog.models import BlogIndexPage, BlogPostPage
from home.models import HomePage
from infopages.models import ContactPage, InfoPage
from products.models import ProductIndexPage, ProductPage


class HomePageTreeTests(WagtailPageTestCase):
    def test_the_home_page_sits_at_the_top_of_the_tree(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})
        self.assertCanCreateAt(Page, HomePage)

    def test_sections_and_standalone_pages_go_under_the_home_page(self):
        self.assertAllowedSubpageTypes(HomePage, {ProductIndexPage, BlogIndexPage, InfoPage, ContactPage})

    def test_products_and_posts_belong_in_their_index_not_on_the_home_page(self):
        self.assertCanNotCreateAt(HomePage, ProductPage)
        self.assertCanNotCreateAt(HomePage, BlogPostPage)
        self.assertCanNotCreateAt(HomePage, HomePage)

    def test_only_the_home_page_can_be_made_at_the_root(self):
        for page_type in (ProductIndexPage, ProductPage, BlogIndexPage, BlogPostPage, InfoPage, ContactPage):
            with self.subTest(page_type=page_type.__name__):
                self.assertCanNotCreateAt(Page, page_type)
