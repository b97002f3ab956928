"""Checks of a page's JSON-LD against what Google's review snippets require (developers.google.com/search/docs/
appearance/structured-data/review-snippet): used by the reviews' unit tests and the browser journey alike."""

import json
from datetime import date


def graph(html_or_soup) -> dict:
    """The page's one JSON-LD @graph, by node type."""
    from bs4 import BeautifulSoup

    soup = html_or_soup if hasattr(html_or_soup, "find_all") else BeautifulSoup(html_or_soup, "html.parser")
    scripts = soup.find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    data = json.loads(scripts[0].string)
    assert data["@context"] == "https://schema.org"
    return {node["@type"]: node for node in data["@graph"]}


def _rating_in_range(rating: dict, value) -> None:
    best, worst = rating.get("bestRating", 5), rating.get("worstRating", 1)
    assert worst <= float(value) <= best, f"ratingValue {value} outside {worst}..{best}"


def assert_valid_product_ratings(product: dict) -> None:
    """A Product's aggregateRating and reviews, when it has them, carry every required property with sane values;
    without an aggregateRating it carries no reviews either (and no empty rating)."""
    assert product["@type"] == "Product" and product["name"]
    if "aggregateRating" not in product:
        assert "review" not in product
        return
    aggregate = product["aggregateRating"]
    assert aggregate["@type"] == "AggregateRating"
    assert isinstance(aggregate["reviewCount"], int) and aggregate["reviewCount"] >= 1
    assert (aggregate["bestRating"], aggregate["worstRating"]) == (5, 1)
    _rating_in_range(aggregate, aggregate["ratingValue"])
    reviews = product.get("review", [])
    assert 1 <= len(reviews) <= aggregate["reviewCount"]
    for review in reviews:
        assert review["@type"] == "Review"
        assert review["author"]["@type"] == "Person"
        assert set(review["author"]) == {"@type", "name"} and review["author"]["name"].strip()
        assert "@" not in review["author"]["name"], "an author is a display name, never an email address"
        rating = review["reviewRating"]
        assert rating["@type"] == "Rating" and isinstance(rating["ratingValue"], int)
        _rating_in_range(rating, rating["ratingValue"])
        assert review["reviewBody"].strip()
        date.fromisoformat(review["datePublished"])
