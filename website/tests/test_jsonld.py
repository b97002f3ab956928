import json
from types import SimpleNamespace

from bs4 import BeautifulSoup

from website import jsonld

ATTACK = "</script><script>alert(1)</script>"


def graph_from(html):
    scripts = BeautifulSoup(html, "html.parser").find_all("script")
    assert len(scripts) == 1 and scripts[0]["type"] == "application/ld+json"
    return json.loads(scripts[0].string)


def test_render_graph_escapes_script_breakouts_and_round_trips():
    html = jsonld.render_graph([{"@type": "Thing", "name": ATTACK + " & more"}, None])

    assert "</script><script>" not in html
    assert html.count("</script>") == 1
    assert "\\u003C/script\\u003E" in html and "\\u0026" in html
    data = graph_from(html)
    assert data["@context"] == "https://schema.org"
    assert data["@graph"] == [{"@type": "Thing", "name": ATTACK + " & more"}]


def test_render_graph_serialises_decimals_and_dates():
    from datetime import date
    from decimal import Decimal

    data = graph_from(jsonld.render_graph([{"price": Decimal("8.20"), "date": date(2026, 11, 2)}]))
    assert data["@graph"][0] == {"price": "8.20", "date": "2026-11-02"}


def settings_with(**fields):
    defaults = {"brand_name": "Northwind", "tagline": "", "social_links": [], "contact_email": ""}
    defaults.update(fields)
    return SimpleNamespace(**defaults)


def test_organization_is_an_online_store_at_the_site_root():
    node = jsonld.organization_node(
        site_settings=settings_with(
            contact_email="help@example.com",
            social_links=[SimpleNamespace(value={"network": "x", "url": "https://x.com/northwind"})],
        ),
        root_url="https://shop.example.com",
        logo_url="https://shop.example.com/media/logo.png",
    )
    assert node == {
        "@type": "OnlineStore",
        "@id": "https://shop.example.com/#organization",
        "name": "Northwind",
        "url": "https://shop.example.com/",
        "logo": {"@type": "ImageObject", "url": "https://shop.example.com/media/logo.png"},
        "sameAs": ["https://x.com/northwind"],
        "contactPoint": {"@type": "ContactPoint", "contactType": "customer service", "email": "help@example.com"},
    }


def test_website_has_a_search_action_when_search_exists():
    node = jsonld.website_node(
        site_settings=settings_with(), root_url="https://s.example", search_url="https://s.example/search/"
    )
    assert node["potentialAction"]["target"]["urlTemplate"] == "https://s.example/search/?q={search_term_string}"
    assert node["publisher"] == {"@id": "https://s.example/#organization"}


def test_breadcrumbs_number_positions_from_one_and_skip_the_home_page_alone():
    assert jsonld.breadcrumb_node([("Home", "https://s.example/")]) is None
    node = jsonld.breadcrumb_node([("Home", "https://s.example/"), ("Shop", "https://s.example/shop/")])
    assert [(item["position"], item["name"], item["item"]) for item in node["itemListElement"]] == [
        (1, "Home", "https://s.example/"),
        (2, "Shop", "https://s.example/shop/"),
    ]


def test_faq_node_lists_questions_with_accepted_answers():
    node = jsonld.faq_node([("When?", "Now.")], "https://s.example/faq/")
    assert node["mainEntity"] == [
        {"@type": "Question", "name": "When?", "acceptedAnswer": {"@type": "Answer", "text": "Now."}}
    ]
    assert jsonld.faq_node([], "https://s.example/faq/") is None
