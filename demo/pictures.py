"""Every picture the demo store uses: its title (the key a second run finds it by), its alt text,
its collection and how to paint it.

Painting is deferred: a run that finds a picture already in the library never draws it.
"""

from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image

from . import art
from .art import (
    APRICOT,
    CORAL,
    CREAM,
    HERO,
    INK,
    MUSTARD,
    PLUM,
    PRODUCT,
    SAGE,
    SAND,
    SKY,
    TEAL,
)

BRAND = "Brand"
PRODUCTS = "Products"
JOURNAL = "Journal"
PEOPLE = "People"

IMAGE_COLLECTIONS = [BRAND, PRODUCTS, JOURNAL, PEOPLE]


@dataclass(frozen=True)
class Picture:
    key: str
    title: str
    alt: str
    collection: str
    paint: Callable[[], Image.Image]
    format: str = "JPEG"

    @property
    def filename(self):
        return f"{self.key}.{'png' if self.format == 'PNG' else 'jpg'}"


def _tablet(name, colours, paper=CREAM, size=(980, 720)):
    screen = art.painting_screen((1200, 880), art.rng_for(name + "-screen"), colours, paper=paper)
    return art.device(size, screen)


def _phones(name):
    phones = [
        art.device((330, 660), art.story_screen((540, 1080), k), radius_ratio=0.1, bezel_ratio=0.04) for k in range(3)
    ]
    return [(phones[0], (0.28, 0.53), 8), (phones[2], (0.72, 0.53), -8), (phones[1], (0.5, 0.5), 0)]


def _swatch_fan(seed):
    labels = ["Cold press", "Hot press", "Kraft", "Newsprint", "Canvas", "Riso screen"]
    cards = [art.swatch_card((360, 460), kind, seed + i, labels[i]) for i, kind in enumerate(art.TEXTURE_KINDS)]
    return [(card, (0.24 + 0.105 * i, 0.5 + (0.04 if i % 2 else -0.02)), 14 - i * 5.6) for i, card in enumerate(cards)]


def _swatch_grid(seed):
    labels = ["Cold press", "Hot press", "Kraft", "Newsprint", "Canvas", "Riso screen"]
    items = []
    for i, kind in enumerate(art.TEXTURE_KINDS):
        card = art.swatch_card((380, 480), kind, seed + i, labels[i])
        items.append((card, (0.2 + (i % 3) * 0.3, 0.28 + (i // 3) * 0.46), 0))
    return items


def _stories_grid():
    screens = [art.story_screen((420, 746), k) for k in range(4)]
    items = []
    for k, screen in enumerate(screens):
        sprite = screen.convert("RGBA")
        items.append((sprite, (0.17 + k * 0.22, 0.5 + (0.03 if k % 2 else -0.03)), 0))
    return items


def _studio_desk():
    return [
        (art.notebook((520, 720), cover=CORAL, seed=4), (0.2, 0.56), 9),
        (_tablet("home-hero", [CORAL, MUSTARD, SKY, SAGE, PLUM], size=(800, 590)), (0.52, 0.48), -4),
        (art.sticker_sheet((420, 560)), (0.82, 0.6), -10),
        (art.pencil(560, 32), (0.5, 0.88), 4),
    ]


def _product(key, title, alt, paint):
    return Picture(key, title, alt, PRODUCTS, paint)


PICTURES = [
    Picture("logo", "Northwind Studio logo", "Northwind Studio", BRAND, lambda: art.logo(), format="PNG"),
    Picture(
        "home-hero",
        "Northwind Studio: the studio desk",
        "A tablet with gouache strokes, a teal notebook, a sticker sheet and a pencil on a teal desk.",
        BRAND,
        lambda: art.flat_lay("home-hero", _studio_desk(), (TEAL, INK, APRICOT, CORAL), size=HERO),
    ),
    Picture(
        "about-studio",
        "Northwind Studio: swatches and sketchbook",
        "Paper swatch cards fanned out beside an open dot-grid notebook.",
        BRAND,
        lambda: art.flat_lay(
            "about-studio",
            [*_swatch_fan(40)[:4], (art.notebook((1000, 640), open_page=True, seed=9), (0.66, 0.55), -3)],
            (SAND, APRICOT, CREAM),
            size=HERO,
        ),
    ),
    _product(
        "club-1",
        "Studio Club membership",
        "A lettering workbook, a sticker sheet and an open notebook fanned out on a plum desk.",
        lambda: art.flat_lay(
            "club-1",
            [
                (art.lettering_sheet((560, 760), title="Studio Club"), (0.3, 0.5), 6),
                (art.notebook((900, 600), open_page=True, seed=12), (0.64, 0.56), -5),
                (art.sticker_sheet((380, 500), seed=21), (0.84, 0.34), 12),
            ],
            (PLUM, INK, SAND),
        ),
    ),
    # Riverstone Gouache Brushes
    _product(
        "riverstone-1",
        "Riverstone Gouache Brushes: on a tablet",
        "A tablet showing thick, chalky gouache strokes in coral, mustard and sky blue.",
        lambda: art.product_shot(
            "riverstone-1", _tablet("riverstone", [CORAL, MUSTARD, SKY, SAGE, PLUM]), (TEAL, INK, APRICOT), angle=-4
        ),
    ),
    _product(
        "riverstone-2",
        "Riverstone Gouache Brushes: stroke detail",
        "Close-up of a gouache stroke with a dry, broken edge.",
        lambda: art.product_shot(
            "riverstone-1",
            _tablet("riverstone", [CORAL, MUSTARD, SKY, SAGE, PLUM]),
            (TEAL, INK, APRICOT),
            angle=-4,
            zoom=(0.46, 0.5, 2.2),
        ),
    ),
    _product(
        "riverstone-3",
        "Riverstone Gouache Brushes: the twelve brushes",
        "Twelve brush tips in a grid, each labelled: wet edge, dry drag, flat wash and more.",
        lambda: art.flat_lay(
            "riverstone-3",
            [(art.stamp_tiles((1240, 930), 21, [TEAL, CORAL, PLUM, MUSTARD]), (0.5, 0.5), 0)],
            (SAND, CREAM),
        ),
    ),
    # Paper Grain Texture Pack
    _product(
        "paper-grain-1",
        "Paper Grain Texture Pack: six swatches",
        "Six paper swatch cards fanned out: cold press, hot press, kraft, newsprint, canvas and a riso screen.",
        lambda: art.flat_lay("paper-grain-1", _swatch_fan(30), (SAGE, TEAL, SAND)),
    ),
    _product(
        "paper-grain-2",
        "Paper Grain Texture Pack: all six at a glance",
        "The six textures side by side in two rows.",
        lambda: art.flat_lay("paper-grain-2", _swatch_grid(30), (CREAM, SAND)),
    ),
    _product(
        "paper-grain-3",
        "Paper Grain Texture Pack: cold press close-up",
        "Close-up of the cold-press watercolour paper grain.",
        lambda: art.texture_swatch(PRODUCT, "cold-press", 30),
    ),
    # Hand-Lettering Practice Workbook
    _product(
        "workbook-1",
        "Hand-Lettering Practice Workbook: a practice page",
        "A printed practice sheet with guidelines and grey italic letters to trace, and a yellow pencil.",
        lambda: art.flat_lay(
            "workbook-1",
            [
                (art.lettering_sheet((700, 990), "Day 1 · Downstrokes", "aabbccdd"), (0.45, 0.5), 5),
                (art.pencil(620, 34), (0.74, 0.55), 62),
            ],
            (APRICOT, CORAL, MUSTARD),
        ),
    ),
    _product(
        "workbook-2",
        "Hand-Lettering Practice Workbook: guidelines up close",
        "Close-up of the slanted guidelines and letters to trace.",
        lambda: art.product_shot(
            "workbook-2",
            art.lettering_sheet((700, 990), "Day 1 · Downstrokes", "aabbccdd"),
            (APRICOT, CORAL),
            angle=5,
            zoom=(0.45, 0.42, 2.0),
        ),
    ),
    _product(
        "workbook-3",
        "Hand-Lettering Practice Workbook: two spreads",
        "Two practice pages side by side, for the letters e to l.",
        lambda: art.flat_lay(
            "workbook-3",
            [
                (art.lettering_sheet((620, 880), "Day 3 · Ovals", "eeffgghh"), (0.3, 0.5), -3),
                (art.lettering_sheet((620, 880), "Day 4 · Joins", "iijjkkll"), (0.7, 0.5), 3),
            ],
            (INK, TEAL, SAGE),
        ),
    ),
    # Modular Weekly Planner
    _product(
        "planner-1",
        "Modular Weekly Planner: the weekly page",
        "A printed weekly planner page with six day boxes and a habit tracker.",
        lambda: art.flat_lay(
            "planner-1",
            [(art.planner_sheet((760, 1000)), (0.48, 0.5), -6), (art.pencil(560, 32, body=CORAL), (0.8, 0.62), 70)],
            (SKY, TEAL, CREAM),
        ),
    ),
    _product(
        "planner-2",
        "Modular Weekly Planner: habit tracker",
        "Close-up of the habit tracker rows for sketching, walking and reading.",
        lambda: art.product_shot(
            "planner-2", art.planner_sheet((760, 1000)), (SKY, TEAL), angle=-6, zoom=(0.5, 0.72, 2.0)
        ),
    ),
    # Social Story Templates
    _product(
        "stories-1",
        "Social Story Templates: three phones",
        "Three phones showing story layouts: a new-drop announcement, studio notes and three tips.",
        lambda: art.flat_lay("stories-1", _phones("stories-1"), (CORAL, PLUM, MUSTARD)),
    ),
    _product(
        "stories-2",
        "Social Story Templates: four layouts",
        "Four vertical story layouts side by side.",
        lambda: art.flat_lay("stories-2", _stories_grid(), (INK, PLUM, TEAL)),
    ),
    _product(
        "stories-3",
        "Social Story Templates: new drop layout",
        "Close-up of the new-drop story layout on a phone.",
        lambda: art.product_shot(
            "stories-3",
            art.device((330, 660), art.story_screen((540, 1080), 0), radius_ratio=0.1, bezel_ratio=0.04),
            (CORAL, PLUM),
            zoom=(0.5, 0.52, 1.6),
        ),
    ),
    # Studio Notebook
    _product(
        "notebook-1",
        "Studio Notebook: teal cover",
        "A teal A5 notebook with an apricot elastic band and a debossed north-arrow mark.",
        lambda: art.product_shot("notebook-1", art.notebook((640, 880), cover=TEAL), (SAND, APRICOT, CREAM), angle=7),
    ),
    _product(
        "notebook-2",
        "Studio Notebook: dot grid pages",
        "The notebook open on dot-grid pages with a handwritten note and paint swatches.",
        lambda: art.product_shot(
            "notebook-2", art.notebook((1240, 800), open_page=True, seed=6), (SAND, SAGE, CREAM), angle=-3
        ),
    ),
    _product(
        "notebook-3",
        "Studio Notebook: cover detail",
        "Close-up of the debossed mark and the elastic band on the teal cover.",
        lambda: art.product_shot(
            "notebook-3",
            art.notebook((640, 880), cover=TEAL),
            (SAND, APRICOT, CREAM),
            angle=7,
            zoom=(0.5, 0.46, 2.0),
        ),
    ),
    # Northern Lights riso poster
    _product(
        "poster-1",
        "Northern Lights Risograph Poster: framed",
        "A framed two-colour risograph print: pink sun, blue waves and a halftone sky.",
        lambda: art.product_shot(
            "poster-1", art.framed(art.riso_art((560, 760))).convert("RGBA"), ("#ece5d6", "#d8cfbd", CREAM)
        ),
    ),
    _product(
        "poster-2",
        "Northern Lights Risograph Poster: halftone detail",
        "Close-up of the blue halftone dots and the slightly misregistered pink.",
        lambda: art.riso_art(PRODUCT),
    ),
    # Letterpress Sticker Sheet
    _product(
        "stickers-1",
        "Letterpress Sticker Sheet",
        "A sheet of twelve stickers: circles, stars, rounded labels and triangles in studio colours.",
        lambda: art.product_shot("stickers-1", art.sticker_sheet((720, 960)), (MUSTARD, CORAL, CREAM), angle=-5),
    ),
    _product(
        "stickers-2",
        "Letterpress Sticker Sheet: close-up",
        "Close-up of a star sticker and a rounded label that reads 'make'.",
        lambda: art.product_shot(
            "stickers-2",
            art.sticker_sheet((720, 960)),
            (MUSTARD, CORAL, CREAM),
            angle=-5,
            zoom=(0.48, 0.5, 2.0),
        ),
    ),
    # Make Things tote
    _product(
        "tote-1",
        "Make Things Canvas Tote",
        "A natural canvas tote bag printed with 'make things.' in ink and coral.",
        lambda: art.product_shot("tote-1", art.tote((700, 900)), (SAGE, TEAL, SAND)),
    ),
    _product(
        "tote-2",
        "Make Things Canvas Tote: print detail",
        "Close-up of the screen-printed lettering on the canvas weave.",
        lambda: art.product_shot("tote-1", art.tote((700, 900)), (SAGE, TEAL, SAND), zoom=(0.5, 0.6, 2.2)),
    ),
    # Legacy Ink Brushes
    _product(
        "legacy-ink-1",
        "Legacy Ink Brushes: on a tablet",
        "A tablet showing black ink brush strokes on cream paper.",
        lambda: art.product_shot(
            "legacy-ink-1", _tablet("legacy-ink", ["#1a1a1a", "#2e2e2e", "#1a1a1a"]), (CREAM, SAND)
        ),
    ),
    _product(
        "legacy-ink-2",
        "Legacy Ink Brushes: ink stroke detail",
        "Close-up of an ink stroke with dry bristle marks.",
        lambda: art.painting(PRODUCT, 77, ["#1a1a1a", "#2e2e2e"], paper="#fbf7ef"),
    ),
    # Journal
    Picture(
        "post-gouache",
        "Journal: gouache habits",
        "Broad gouache strokes in coral, mustard, sky and plum on textured paper.",
        JOURNAL,
        lambda: art.painting(HERO, 12, [CORAL, MUSTARD, SKY, PLUM, SAGE]),
    ),
    Picture(
        "post-colour-scripts",
        "Journal: a colour script",
        "A grid of small film frames, each reduced to a sky, a sun and a horizon, moving from blue to amber to plum.",
        JOURNAL,
        lambda: art.colour_script("post-colour-scripts"),
    ),
    Picture(
        "post-lettering",
        "Journal: a week of lettering",
        "Two lettering practice sheets and a pencil on a dark desk.",
        JOURNAL,
        lambda: art.flat_lay(
            "post-lettering",
            [
                (art.lettering_sheet((640, 900), "Day 2 · Upstrokes", "mmnnoopp"), (0.36, 0.5), -6),
                (
                    art.lettering_sheet((640, 900), "Day 5 · Words", "studio paper brush ink", phrase=True),
                    (0.64, 0.52),
                    4,
                ),
                (art.pencil(600, 34), (0.84, 0.7), 58),
            ],
            (INK, TEAL, PLUM),
            size=HERO,
        ),
    ),
    Picture(
        "post-stories",
        "Journal: story layouts",
        "Four colourful story layouts standing side by side.",
        JOURNAL,
        lambda: art.flat_lay("post-stories", _stories_grid(), (PLUM, INK, CORAL), size=HERO),
    ),
    Picture(
        "post-riso",
        "Journal: fresh riso prints",
        "Three risograph prints drying on a table, overlapping at angles.",
        JOURNAL,
        lambda: art.flat_lay(
            "post-riso",
            [
                (art.riso_art((520, 700), seed=8).convert("RGBA"), (0.28, 0.5), 8),
                (art.riso_art((520, 700), seed=9).convert("RGBA"), (0.72, 0.52), -7),
                (art.riso_art((540, 720), seed=5).convert("RGBA"), (0.5, 0.48), 1),
            ],
            ("#e9e2d2", "#cfc5b0", CREAM),
            size=HERO,
        ),
    ),
    Picture(
        "post-planning",
        "Journal: planning a week",
        "A weekly planner page beside an open dot-grid notebook and a coral pencil.",
        JOURNAL,
        lambda: art.flat_lay(
            "post-planning",
            [
                (art.notebook((980, 640), open_page=True, seed=13), (0.64, 0.55), 4),
                (art.planner_sheet((600, 800)), (0.28, 0.5), -5),
                (art.pencil(560, 32, body=CORAL), (0.5, 0.88), -8),
            ],
            (SKY, SAGE, CREAM),
            size=HERO,
        ),
    ),
    Picture(
        "post-gifts",
        "Journal: gifts for makers",
        "A canvas tote, a teal notebook, a sticker sheet and a framed print laid out as gifts.",
        JOURNAL,
        lambda: art.flat_lay(
            "post-gifts",
            [
                (art.framed(art.riso_art((360, 480))).convert("RGBA"), (0.8, 0.45), 6),
                (art.tote((520, 680)), (0.2, 0.52), -6),
                (art.notebook((420, 580), cover=CORAL, seed=5), (0.47, 0.55), 4),
                (art.sticker_sheet((360, 480)), (0.62, 0.62), -12),
            ],
            (MUSTARD, APRICOT, CREAM),
            size=HERO,
        ),
    ),
    # People
    Picture(
        "author-maya",
        "Portrait of Maya Lindqvist",
        "Portrait illustration of Maya Lindqvist.",
        PEOPLE,
        lambda: art.avatar("author-maya", "#f1c6a8", "#8a4b2a", CORAL, (SKY, SAND, MUSTARD), style="long"),
    ),
    Picture(
        "author-tomas",
        "Portrait of Tomás Ferreira",
        "Portrait illustration of Tomás Ferreira.",
        PEOPLE,
        lambda: art.avatar("author-tomas", "#c98e66", "#1f1a17", TEAL, (MUSTARD, APRICOT, CREAM), style="beard"),
    ),
    Picture(
        "author-priya",
        "Portrait of Priya Raman",
        "Portrait illustration of Priya Raman.",
        PEOPLE,
        lambda: art.avatar("author-priya", "#a86f4c", "#2b1d18", PLUM, (SAGE, SKY, CREAM), style="bun"),
    ),
]

BY_KEY = {picture.key: picture for picture in PICTURES}
