"""Reading rendered HTML the way a visitor sees it, independent of CSS classes and formatting."""

import copy
import re

from bs4 import BeautifulSoup


def soup(response_or_html):
    content = getattr(response_or_html, "content", response_or_html)
    return BeautifulSoup(content, "html.parser")


def text_of(element):
    """Visible text with whitespace collapsed (the element itself is left untouched)."""
    element = copy.copy(element)
    for hidden in element.find_all(["script", "style", "template"]):
        hidden.extract()
    text = " ".join(element.get_text(" ").split())
    # get_text(" ") also separates inline elements: "after <b>payment</b>." reads "after payment ."
    return re.sub(r" ([.,;:!?])", r"\1", text)


def main_text(page_soup):
    """Text of <main> when the template has one, else of the whole document."""
    return text_of(page_soup.find("main") or page_soup)
