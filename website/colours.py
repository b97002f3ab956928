"""Colour contrast as WCAG 2 measures it: relative luminance, the contrast ratio of two colours, and the
choices made with them for the owner's brand colours (text on a colour, a colour dark enough to read on
white). Colours are "#rrggbb"."""

INK = "#111827"  # the near-black the site sets body text in
WHITE = "#ffffff"
# Brand-coloured text must read on white with room to spare: above WCAG AA's 4.5:1, so it also holds on the
# pale brand tint.
INK_ON_WHITE_RATIO = 5


def relative_luminance(hex_colour: str) -> float:
    def channel(c):
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_ratio(first: str, second: str) -> float:
    """From 1 (the same luminance) to 21 (black on white), whichever of the two is lighter."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def readable_text_on(background: str) -> str:
    """White or near-black, whichever contrasts more with the given background colour."""
    return WHITE if contrast_ratio(WHITE, background) >= contrast_ratio(INK, background) else INK


def ink_on_white(hex_colour: str) -> str:
    """The colour itself if it reads on white with room to spare, otherwise the nearest darker shade that
    does. Brand-coloured links and text stay legible whatever colour the owner picks."""
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    for step in range(21):
        factor = 1 - step * 0.05
        shade = f"#{round(r * factor):02x}{round(g * factor):02x}{round(b * factor):02x}"
        if contrast_ratio(WHITE, shade) >= INK_ON_WHITE_RATIO:
            return shade
    return "#000000"
