"""An editor writes and publishes journal posts in the Wagtail admin."""

import datetime

from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from accounts.factories import SuperuserFactory
from blog.factories import AuthorFactory, BlogCategoryFactory, BlogIndexPageFactory
from blog.models import BlogIndexPage, BlogPostPage
from home.factories import make_home_page


class BlogAdminTests(WagtailPageTestCase):
    def setUp(self):
        self.client.force_login(SuperuserFactory())
        self.home = make_home_page()

    def test_an_editor_can_publish_the_journal(self):
        self.assertCanCreate(
            self.home,
            BlogIndexPage,
            nested_form_data({"title": "Journal", "intro": "Notes from the workshop.", "comments": inline_formset([])}),
        )

        journal = BlogIndexPage.objects.get(slug="journal")
        self.assertTrue(journal.live)
        self.assertEqual(self.client.get(journal.url).status_code, 200)

    def test_an_editor_can_publish_a_post_with_byline_tags_categories_and_body(self):
        journal = BlogIndexPageFactory(parent=self.home)
        author = AuthorFactory(name="Sam Rivera")
        guides = BlogCategoryFactory(name="Guides")
        data = nested_form_data(
            {
                "title": "Shipping our first kit",
                "author": author.pk,
                "date": "2025-03-14",
                "summary": "What we learned.",
                "tags": "packaging, lessons",
                "body": streamfield(
                    [
                        ("heading", {"text": "The first box", "level": "h2"}),
                        ("paragraph", rich_text("<p>It started with a sketch.</p>")),
                        ("quote", {"quote": "Ship it.", "attribution": "Sam", "role": ""}),
                    ]
                ),
                "comments": inline_formset([]),
            }
        )
        data["categories"] = [guides.pk]

        self.assertCanCreate(journal, BlogPostPage, data)

        post = BlogPostPage.objects.get(slug="shipping-our-first-kit")
        self.assertTrue(post.live)
        self.assertEqual(post.author, author)
        self.assertEqual(post.date, datetime.date(2025, 3, 14))
        self.assertEqual(sorted(tag.name for tag in post.tags.all()), ["lessons", "packaging"])
        self.assertEqual(list(post.categories.all()), [guides])
        self.assertEqual([block.block_type for block in post.body], ["heading", "paragraph", "quote"])
        self.assertEqual(self.client.get(post.url).status_code, 200)

    def test_a_post_needs_a_summary_and_a_body(self):
        journal = BlogIndexPageFactory(parent=self.home)

        response = self.client.post(
            f"/admin/pages/add/blog/blogpostpage/{journal.pk}/",
            {
                **nested_form_data(
                    {
                        "title": "Empty",
                        "slug": "empty",
                        "date": "2025-03-14",
                        "summary": "",
                        "body": streamfield([]),
                        "comments": inline_formset([]),
                    }
                ),
                "action-publish": "publish",
            },
        )

        self.assertEqual(response.status_code, 200)
        self.assertTrue({"summary", "body"} <= set(response.context["form"].errors))
        self.assertFalse(BlogPostPage.objects.exists())
