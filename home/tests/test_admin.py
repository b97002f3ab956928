"""An editor sets up the site's home page in the Wagtail admin."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from accounts.factories import SuperuserFactory
from home.models import HomePage
from website.factories import ImageFactory


class HomeAdminTests(WagtailPageTestCase):
    def setUp(self):
        self.client.force_login(SuperuserFactory())

    def test_an_editor_can_publish_a_home_page_with_hero_and_body(self):
        root = Page.get_first_root_node()
        hero = ImageFactory(title="Workbench")
        data = nested_form_data(
            {
                "title": "Northwind",
                "slug": "northwind",
                "hero_heading": "Tools and guides for makers",
                "hero_text": "Kits, templates and how-tos.",
                "hero_image": hero.pk,
                "hero_cta_label": "",
                "hero_cta_page": "",
                "body": streamfield(
                    [
                        ("heading", {"text": "Start here", "level": "h2"}),
                        ("paragraph", rich_text("<p>Made by hand.</p>")),
                        (
                            "call_to_action",
                            {
                                "heading": "Ready?",
                                "text": "",
                                "button": {"label": "Shop", "page": "", "url": "https://example.com/shop/"},
                                "style": "brand",
                            },
                        ),
                    ]
                ),
                "comments": inline_formset([]),
            }
        )

        self.assertCanCreate(root, HomePage, data)

        home = HomePage.objects.get(slug="northwind")
        self.assertTrue(home.live)
        self.assertEqual(home.hero_image, hero)
        self.assertEqual([block.block_type for block in home.body], ["heading", "paragraph", "call_to_action"])
        self.assertEqual(home.body[2].value["button"].href, "https://example.com/shop/")

    def test_a_call_to_action_needs_a_page_or_a_url(self):
        root = Page.get_first_root_node()
        data = nested_form_data(
            {
                "title": "Northwind",
                "slug": "northwind",
                "hero_heading": "Hello",
                "body": streamfield(
                    [
                        (
                            "call_to_action",
                            {
                                "heading": "Ready?",
                                "text": "",
                                "button": {"label": "Shop", "page": "", "url": ""},
                                "style": "brand",
                            },
                        )
                    ]
                ),
                "comments": inline_formset([]),
            }
        )

        response = self.client.post(f"/admin/pages/add/home/homepage/{root.pk}/", {**data, "action-publish": "publish"})

        self.assertEqual(response.status_code, 200)
        self.assertIn("body", response.context["form"].errors)
        self.assertFalse(HomePage.objects.exists())
