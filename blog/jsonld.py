"""schema.org BlogPosting and its author Person, built as plain dicts."""

from datetime import datetime, time

from django.utils import timezone

from website.jsonld import organization_id


def person_node(author):
    node = {"@type": "Person", "name": author.name}
    if author.url:
        node["url"] = author.url
    same_as = [block.value for block in author.profiles]
    if same_as:
        node["sameAs"] = same_as
    if author.role:
        node["jobTitle"] = author.role
    return node


def date_published(post) -> datetime:
    """The post's date as a moment with its offset (a bare date leaves search engines to guess the time zone):
    the moment it first went live when that was on its date, otherwise the start of its date, in the site's
    time zone (TIME_ZONE)."""
    first = post.first_published_at and timezone.localtime(post.first_published_at)
    if first and first.date() == post.date:
        return first.replace(microsecond=0)
    return timezone.make_aware(datetime.combine(post.date, time.min))


def blog_posting_node(post, *, url, image_urls, root_url):
    node = {
        "@type": "BlogPosting",
        "@id": f"{url}#article",
        "mainEntityOfPage": url,
        "headline": post.seo_pagetitle[:110],
        "description": post.seo_description,
        "datePublished": date_published(post).isoformat(),
        "publisher": {"@id": organization_id(root_url)},
    }
    if post.last_published_at:
        node["dateModified"] = timezone.localtime(post.last_published_at).replace(microsecond=0).isoformat()
    if image_urls:
        node["image"] = image_urls
    if post.author:
        node["author"] = person_node(post.author)
    keywords = [tag.name for tag in post.tags.all()]
    if keywords:
        node["keywords"] = keywords
    return node
