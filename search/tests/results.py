"""Reading a search results page."""

from website.tests.html import text_of


def results(page_soup):
    """(badges, title, href) for each result, in order; badges are the chips above the title."""
    found = []
    for article in page_soup.select("main ol > li > article"):
        link = article.find("h2").find("a")
        badges = [text_of(badge) for badge in article.find("p").find_all("span", recursive=False)]
        found.append((badges, text_of(link), link["href"]))
    return found


def titles(page_soup):
    return [title for _badges, title, _href in results(page_soup)]
