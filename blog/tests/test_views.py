import datetime

import pytest

from blog.factories import AuthorFactory, BlogCategoryFactory, BlogPostPageFactory
from website.tests.html import main_text, text_of

pytestmark = pytest.mark.django_db


def test_the_journal_lists_posts_newest_first_without_drafts(get_soup, site_settings, blog_index):
    posts = {
        "Older": BlogPostPageFactory(parent=blog_index, title="Older", date=datetime.date(2024, 1, 5)),
        "Newest": BlogPostPageFactory(parent=blog_index, title="Newest", date=datetime.date(2025, 6, 1)),
        "Middle": BlogPostPageFactory(parent=blog_index, title="Middle", date=datetime.date(2024, 9, 9)),
    }
    BlogPostPageFactory(parent=blog_index, title="Unfinished draft", date=datetime.date(2026, 1, 1), draft=True)

    _response, page = get_soup(blog_index.url)

    urls = {post.url: title for title, post in posts.items()}
    listed = [urls[link["href"]] for link in page.find("main").find_all("a", href=True) if link["href"] in urls]
    assert list(dict.fromkeys(listed)) == ["Newest", "Middle", "Older"]
    assert text_of(page.find("h1")) == "Journal"
    assert "Unfinished draft" not in main_text(page)


def test_a_listed_post_shows_its_summary_date_and_author(get_soup, site_settings, blog_index):
    BlogPostPageFactory(
        parent=blog_index,
        title="Paper matters",
        summary="Why we print on 120 gsm.",
        date=datetime.date(2025, 3, 14),
        author=AuthorFactory(name="Sam Rivera"),
    )

    _response, page = get_soup(blog_index.url)

    text = main_text(page)
    assert "Why we print on 120 gsm." in text
    assert "Sam Rivera" in text
    assert page.find("main").find("time", datetime="2025-03-14") is not None


def test_the_journal_pages_its_posts(get_soup, site_settings, blog_index):
    for day in range(1, 11):
        BlogPostPageFactory(parent=blog_index, title=f"Day {day:02d}", date=datetime.date(2025, 1, day))

    _response, second = get_soup(blog_index.url, data={"page": 2})

    assert "Day 01" in main_text(second)
    assert "Day 10" not in main_text(second)


@pytest.mark.parametrize("number", ["abc", "0", "-1", "02", "3", "999"])
def test_a_journal_page_number_that_names_no_page_is_a_404(client, site_settings, blog_index, number):
    for day in range(1, 11):
        BlogPostPageFactory(parent=blog_index, title=f"Day {day:02d}", date=datetime.date(2025, 1, day))

    assert client.get(blog_index.url, {"page": number}).status_code == 404


def test_a_post_shows_title_author_date_tags_categories_and_body(get_soup, site_settings, blog_index):
    post = BlogPostPageFactory(
        parent=blog_index,
        title="Shipping our first kit",
        author=AuthorFactory(name="Sam Rivera", role="Founder", bio="Sam designs the kits."),
        date=datetime.date(2025, 3, 14),
        summary="What we learned.",
        body=[
            {"type": "heading", "value": {"text": "The first box", "level": "h2"}},
            {"type": "paragraph", "value": "<p>It started with a <b>sketch</b>.</p>"},
        ],
        tags=["packaging", "Lessons"],
        categories=[BlogCategoryFactory(name="Behind the scenes")],
    )

    _response, page = get_soup(post.url)

    assert text_of(page.find("h1")) == "Shipping our first kit"
    main = page.find("main")
    text = main_text(page)
    assert "Sam Rivera" in text
    assert "Founder" in text
    assert main.find("time", datetime="2025-03-14") is not None
    assert "14 March 2025" in text
    assert "packaging" in text
    assert "Lessons" in text
    assert "Behind the scenes" in text
    assert "What we learned." in text
    assert text_of(main.find("h2", id="the-first-box")) == "The first box"
    assert main.find("b", string="sketch") is not None


def test_a_post_without_an_author_still_shows_its_date(get_soup, site_settings, blog_index):
    post = BlogPostPageFactory(parent=blog_index, author=None, date=datetime.date(2024, 12, 24))

    _response, page = get_soup(post.url)

    assert page.find("main").find("time", datetime="2024-12-24") is not None


def test_a_draft_post_is_not_found(client, site_settings, blog_index):
    BlogPostPageFactory(parent=blog_index, slug="not-yet", draft=True)

    assert client.get(f"{blog_index.url}not-yet/").status_code == 404
