"""Meta descriptions: plain text cut to what search results show (about 160 characters), at a word boundary."""

DESCRIPTION_LIMIT = 160
ELLIPSIS = "…"
# Left off the end of a cut text, so it never reads "…, …" or "and –…".
TRAILING = " ,;:-–—([/&"


def meta_description(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    """`text` with its whitespace collapsed and, when longer than `limit`, cut after its last whole word that
    fits with an ellipsis. A first word longer than the limit is cut inside it rather than dropped."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    kept = text[: limit - len(ELLIPSIS) + 1]  # one more: the character after the last kept one
    last_space = kept.rfind(" ")
    kept = kept[:last_space] if last_space > 0 else kept[:-1]
    return kept.rstrip(TRAILING) + ELLIPSIS
