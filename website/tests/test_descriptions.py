"""Meta descriptions: whole words within 160 characters, with an ellipsis only when something was cut."""

import pytest

from website.descriptions import meta_description


def test_a_description_that_fits_is_only_tidied():
    assert meta_description("  Planners   you print\nat home. ") == "Planners you print at home."
    assert meta_description("x" * 160) == "x" * 160


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("word " * 40, ("word " * 32).strip() + "…"),  # 32 words and the ellipsis are 160 characters
        ("x" * 158 + " yy", "x" * 158 + "…"),
        ("x" * 159 + " y", "x" * 159 + "…"),  # exactly 160
        ("a, " * 80, ("a, " * 53).rstrip(", ") + "…"),  # no comma left before the ellipsis
    ],
)
def test_a_long_description_is_cut_after_its_last_whole_word(text, expected):
    cut = meta_description(text)
    assert cut == expected and len(cut) <= 160


def test_a_single_word_longer_than_the_limit_is_cut_inside_it():
    cut = meta_description("x" * 300)
    assert cut == "x" * 159 + "…"
