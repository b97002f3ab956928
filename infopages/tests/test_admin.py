"""An editor publishes info and contact pages in the Wagtail admin."""

from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from accounts.factories import SuperuserFactory
from home.factories import make_home_page
from infopages.factories import InfoPageFactory
from infopages.models import ContactPage, InfoPage


def form_field(label, field_type, required=True):
    return {
        "label": label,
        "help_text": "",
        "required": "on" if required else "",
        "field_type": field_type,
        "choices": "",
        "default_value": "",
    }


class InfoAdminTests(WagtailPageTestCase):
    def setUp(self):
        self.client.force_login(SuperuserFactory())
        self.home = make_home_page()

    def test_an_editor_can_publish_an_info_page_with_a_faq_video_and_table(self):
        data = nested_form_data(
            {
                "title": "Shipping and returns",
                "intro": "How we ship.",
                "body": streamfield(
                    [
                        (
                            "faq",
                            {
                                "heading": "FAQ",
                                # A ListBlock posts the same count/order/deleted/value layout as a stream.
                                "items": streamfield(
                                    [("item", {"question": "How long?", "answer": rich_text("<p>Two days.</p>")})]
                                ),
                            },
                        ),
                        ("video", {"url": "https://youtu.be/dQw4w9WgXcQ", "title": "How we pack", "caption": ""}),
                    ]
                ),
                "comments": inline_formset([]),
            }
        )

        self.assertCanCreate(self.home, InfoPage, data)

        page = InfoPage.objects.get(slug="shipping-and-returns")
        self.assertTrue(page.live)
        self.assertEqual([block.block_type for block in page.body], ["faq", "video"])
        self.assertEqual(page.body[0].value["items"][0]["question"], "How long?")
        self.assertEqual(self.client.get(page.url).status_code, 200)

    def test_a_video_that_is_not_youtube_or_vimeo_is_refused(self):
        data = nested_form_data(
            {
                "title": "Tour",
                "slug": "tour",
                "intro": "",
                "body": streamfield([("video", {"url": "https://example.com/a.mp4", "title": "Tour", "caption": ""})]),
                "comments": inline_formset([]),
            }
        )

        response = self.client.post(
            f"/admin/pages/add/infopages/infopage/{self.home.pk}/", {**data, "action-publish": "publish"}
        )

        self.assertEqual(response.status_code, 200)
        self.assertIn("body", response.context["form"].errors)
        self.assertFalse(InfoPage.objects.exists())

    def test_an_editor_can_publish_a_contact_page_with_its_form_fields(self):
        about = InfoPageFactory(parent=self.home, title="About", slug="about")
        data = nested_form_data(
            {
                "title": "Contact",
                "intro": rich_text("<p>Write to us.</p>"),
                "thank_you_text": rich_text("<p>Thanks!</p>"),
                "form_fields": inline_formset(
                    [
                        form_field("Your name", "singleline"),
                        form_field("Email", "email"),
                        form_field("Message", "multiline"),
                        form_field("Newsletter", "checkbox", required=False),
                    ]
                ),
                "to_address": "owner@example.com",
                "from_address": "shop@example.com",
                "subject": "New message",
                "comments": inline_formset([]),
            }
        )

        self.assertCanCreate(about, ContactPage, data)

        contact = ContactPage.objects.get(slug="contact")
        self.assertTrue(contact.live)
        self.assertEqual(
            [(field.label, field.field_type, field.required) for field in contact.form_fields.all()],
            [
                ("Your name", "singleline", True),
                ("Email", "email", True),
                ("Message", "multiline", True),
                ("Newsletter", "checkbox", False),
            ],
        )
        self.assertEqual(contact.url, "/about/contact/")
        response = self.client.get(contact.url)
        self.assertContains(response, 'name="your_name"')
