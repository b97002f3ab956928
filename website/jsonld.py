"""Structured data: plain functions that build schema.org nodes as dicts, and the one renderer that
writes them into a page, escaped so that no value can close the <script> element."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

# The same escapes Django's json_script uses: inside <script>, "<", ">" and "&" never appear raw.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def dumps(data):
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_ESCAPES)


def render_graph(nodes):
    """One <script type="application/ld+json"> holding an @graph of the given nodes."""
    graph = {"@context": "https://schema.org", "@graph": [node for node in nodes if node]}
    escaped = dumps(graph)
    safe = mark_safe(escaped)  # noqa: S308 - dumps() escapes <, > and &  # nosec B308 B703
    return format_html('<script type="application/ld+json">{}</script>', safe)


def organization_id(root_url):
    return f"{root_url}/#organization"


def website_id(root_url):
    return f"{root_url}/#website"


def organization_node(*, site_settings, root_url, logo_url=None):
    node = {
        "@type": "OnlineStore",
        "@id": organization_id(root_url),
        "name": site_settings.brand_name,
        "url": f"{root_url}/",
    }
    if site_settings.tagline:
        node["description"] = site_settings.tagline
    if logo_url:
        node["logo"] = {"@type": "ImageObject", "url": logo_url}
    same_as = [link.value["url"] for link in site_settings.social_links]
    if same_as:
        node["sameAs"] = same_as
    if site_settings.contact_email:
        node["contactPoint"] = {
            "@type": "ContactPoint",
            "contactType": "customer service",
            "email": site_settings.contact_email,
        }
    return node


def website_node(*, site_settings, root_url, search_url=None):
    node = {
        "@type": "WebSite",
        "@id": website_id(root_url),
        "url": f"{root_url}/",
        "name": site_settings.brand_name,
        "publisher": {"@id": organization_id(root_url)},
    }
    if search_url:
        node["potentialAction"] = {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": f"{search_url}?q={{search_term_string}}"},
            "query-input": "required name=search_term_string",
        }
    return node


def breadcrumb_node(trail):
    """trail: (name, absolute URL) pairs from the home page down to the current page."""
    if len(trail) < 2:
        return None
    return {
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": position, "name": name, "item": url}
            for position, (name, url) in enumerate(trail, start=1)
        ],
    }


def faq_node(questions, page_url):
    """questions: (question, answer as plain text) pairs."""
    if not questions:
        return None
    return {
        "@type": "FAQPage",
        "@id": f"{page_url}#faq",
        "mainEntity": [
            {"@type": "Question", "name": question, "acceptedAnswer": {"@type": "Answer", "text": answer}}
            for question, answer in questions
        ],
    }
