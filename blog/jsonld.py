"""schema.org BlogPosting and its author Person, built as plain dicts."""

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


def blog_posting_node(post, *, url, image_urls, root_url):
    node = {
        "@type": "BlogPosting",
        "@id": f"{url}#article",
        "mainEntityOfPage": url,
        "headline": post.seo_pagetitle[:110],
        "description": post.seo_description,
        "datePublished": post.date.isoformat(),
        "publisher": {"@id": organization_id(root_url)},
    }
    if post.last_published_at:
        node["dateModified"] = post.last_published_at.isoformat()
    if image_urls:
        node["image"] = image_urls
    if post.author:
        node["author"] = person_node(post.author)
    keywords = [tag.name for tag in post.tags.all()]
    if keywords:
        node["keywords"] = keywords
    return node
