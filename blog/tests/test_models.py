import datetime

import pytest

from wagtail.test.utils import WagtailPageTestCase

from blog.factories import AuthorFactory, BlogCategoryFactory, BlogPostPageFactory
from blog.models import BlogIndexPage, BlogPostPage
from home.models import HomePage
from infopages.models import InfoPage
from products.models import ProductIndexPage


class BlogPageTreeTests(WagtailPageTestCase):
    def test_the_journal_lives_under_the_home_page_and_holds_only_posts(self):
        self.assertAllowedParentPageTypes(BlogIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(BlogIndexPage, {BlogPostPage})

    def test_posts_live_only_in_a_journal_and_have_no_children(self):
        self.assertAllowedParentPageTypes(BlogPostPage, {BlogIndexPage})
        self.assertAllowedSubpageTypes(BlogPostPage, set())
        self.assertCanNotCreateAt(InfoPage, BlogPostPage)
        self.assertCanNotCreateAt(ProductIndexPage, BlogPostPage)


@pytest.mark.django_db
def test_the_journal_lists_live_public_posts_newest_first(blog_index):
    older = BlogPostPageFactory(parent=blog_index, title="Older", date=datetime.date(2024, 1, 5))
    newest = BlogPostPageFactory(parent=blog_index, title="Newest", date=datetime.date(2025, 6, 1))
    middle = BlogPostPageFactory(parent=blog_index, title="Middle", date=datetime.date(2024, 9, 9))
    BlogPostPageFactory(parent=blog_index, title="Draft", date=datetime.date(2026, 1, 1), draft=True)

    assert list(blog_index.get_posts()) == [newest, middle, older]


@pytest.mark.django_db
def test_posts_keep_their_tags_and_categories(blog_index):
    guides = BlogCategoryFactory(name="Guides")
    post = BlogPostPageFactory(parent=blog_index, tags=["Paper", "planning"], categories=[guides])

    post = BlogPostPage.objects.get(pk=post.pk)
    assert sorted(tag.name for tag in post.tags.all()) == ["Paper", "planning"]
    assert list(post.categories.all()) == [guides]


@pytest.mark.django_db
def test_authors_and_categories_are_named_in_listings():
    assert str(AuthorFactory(name="Sam Rivera")) == "Sam Rivera"
    assert str(BlogCategoryFactory(name="Guides")) == "Guides"


@pytest.mark.django_db
def test_a_preview_shows_the_editors_unsaved_tags_and_categories(site_settings, blog_index):
    post = BlogPostPageFactory(parent=blog_index, tags=["saved-tag"], categories=[BlogCategoryFactory(name="Saved")])
    draft = BlogPostPage.objects.get(pk=post.pk)
    draft.tags.set(["unsaved-tag"])
    draft.categories = [BlogCategoryFactory(name="Unsaved")]

    html = draft.make_preview_request().content.decode()

    assert "#unsaved-tag" in html and "saved-tag" not in html.replace("unsaved-tag", "")
    assert "Unsaved" in html and ">Saved<" not in html
