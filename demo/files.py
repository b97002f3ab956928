"""The files buyers of the digital demo products download: real PDFs and ZIPs with real contents.

Dates inside the files are fixed, so the same code always gives the same bytes.
"""

import io
import textwrap
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from PIL import Image, ImageDraw

from . import art
from .art import CORAL, CREAM, INK, MUSTARD, PLUM, SAGE, SKY, TEAL

FIXED_TIME = datetime(2025, 1, 6, 9, 0, 0)
A4_AT_100_DPI = (827, 1169)


@dataclass(frozen=True)
class Deliverable:
    key: str
    title: str
    filename: str
    make: Callable[[], bytes]


def _pdf(pages, title):
    buffer = io.BytesIO()
    first, *rest = [page.convert("RGB") for page in pages]
    first.save(
        buffer,
        "PDF",
        save_all=True,
        append_images=rest,
        resolution=100.0,
        quality=90,
        title=title,
        author="Northwind Studio",
        creator="Northwind Studio",
        producer="Northwind Studio",
        creationDate=FIXED_TIME.timetuple(),
        modDate=FIXED_TIME.timetuple(),
    )
    return buffer.getvalue()


def _zip(entries):
    """A ZIP of (name, bytes) with fixed timestamps, so its bytes never change."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def _png(picture):
    return art.encode(picture, "PNG")


def _text_page(title, paragraphs, kicker="NORTHWIND STUDIO"):
    w, h = A4_AT_100_DPI
    page = Image.new("RGB", (w, h), art.rgb("#fffdf8"))
    draw = ImageDraw.Draw(page)
    margin = 80
    draw.text((margin, 70), kicker, font=art.font(16, "sans-bold"), fill=art.rgb(TEAL))
    draw.text((margin, 100), title, font=art.font(36, "serif-bold"), fill=art.rgb(INK))
    y = 180
    body = art.font(17, "serif")
    for paragraph in paragraphs:
        if paragraph.startswith("## "):
            y += 12
            draw.text((margin, y), paragraph[3:], font=art.font(20, "sans-bold"), fill=art.rgb(TEAL))
            y += 36
            continue
        for line in textwrap.wrap(paragraph, width=68):
            draw.text((margin, y), line, font=body, fill=art.rgb(INK))
            y += 27
        y += 14
    draw.line((margin, h - 70, w - margin, h - 70), fill=art.rgb("#e3ddd0"), width=1)
    draw.text((margin, h - 55), "northwindstudio.example", font=art.font(13, "sans"), fill=art.rgb("#8a8478"))
    return page


def _cover(title, subtitle, colours):
    w, h = A4_AT_100_DPI
    page = art.gradient((w, h), colours[0], colours[1], "vertical")
    art.gouache_strokes(
        page, art.rng_for(title), colours[2:], count=4, width=(60, 110), area=(0, h * 0.45, w, h * 0.85)
    )
    draw = ImageDraw.Draw(page)
    draw.text((70, 120), "NORTHWIND STUDIO", font=art.font(18, "sans-bold"), fill=art.rgb(CREAM))
    y = 170
    for line in textwrap.wrap(title, width=18):
        draw.text((70, y), line, font=art.font(54, "serif-bold"), fill=art.rgb(CREAM))
        y += 66
    draw.text((70, y + 16), subtitle, font=art.font(22, "serif-italic"), fill=art.rgb(CREAM))
    page.paste(art.logo((96, 96)), (w - 166, h - 166), art.logo((96, 96)))
    return page


# The files -------------------------------------------------------------------------------------

RIVERSTONE_README = """\
RIVERSTONE GOUACHE BRUSHES
Northwind Studio

Thank you for buying Riverstone. This archive holds:

  brushes/      twelve brush tips (PNG, 512 x 512, white on transparent)
  swatches.png  every brush painted once, so you can see them side by side
  LICENSE.txt   what you may do with the brushes and the work you make

Using the tips in Procreate
  1. Open Brush Library, tap +, then Shape > Edit > Import > Import a photo.
  2. Pick a PNG from brushes/. Set Grain to "Paper" at 40 % scale.
  3. In Stroke path, set spacing to 4 % and jitter to 2 %.

Using the tips in Photoshop, Krita or Affinity
  Load a PNG as a brush tip (Edit > Define Brush Preset in Photoshop).
  Spacing 5 %, angle jitter 10 % and a touch of dual-brush texture get
  close to our look.

Questions: hello@northwindstudio.example
"""

LICENSE = """\
NORTHWIND STUDIO STANDARD LICENCE

You may use these files in unlimited personal and commercial projects:
illustrations, prints, book covers, client work and products you sell.

You may not resell, share or give away the files themselves, or include
them in another brush, texture or template pack.

One licence covers one person. Studios with more people can write to
hello@northwindstudio.example for a team licence.
"""

BRUSH_NAMES = [
    "wet-edge",
    "dry-drag",
    "flat-wash",
    "rough-round",
    "chalky",
    "stipple",
    "soft-fill",
    "splatter",
    "scumble",
    "rigger",
    "sponge",
    "opaque",
]


def _brush_tip_png(seed):
    stamp = art.brush_stamp((512, 512), seed)
    tip = Image.new("RGBA", (512, 512), (255, 255, 255, 0))
    tip.putalpha(stamp)
    return _png(tip)


def riverstone_zip():
    entries = [("Riverstone/README.txt", RIVERSTONE_README.encode()), ("Riverstone/LICENSE.txt", LICENSE.encode())]
    for k, name in enumerate(BRUSH_NAMES):
        entries.append((f"Riverstone/brushes/{k + 1:02d}-{name}.png", _brush_tip_png(21 + k)))
    entries.append(("Riverstone/swatches.png", _png(art.stamp_tiles((1200, 900), 21, [TEAL, CORAL, PLUM, MUSTARD]))))
    return _zip(entries)


def riverstone_guide():
    pages = [
        _cover("Riverstone Gouache Brushes", "Quick-start guide", [TEAL, INK, CORAL, MUSTARD, SKY]),
        _text_page(
            "Getting started",
            [
                "Riverstone is twelve brushes built from scans of real gouache on cold-press paper. "
                "They behave like paint: press lightly for a dry, broken edge; press firmly for flat, "
                "opaque colour that covers what is underneath.",
                "## Install",
                "Unzip Riverstone.zip. In Procreate, import each PNG from the brushes folder as a brush "
                "shape, as the README explains. In Photoshop, open a PNG and choose Edit > Define Brush "
                "Preset. Keep the folder: the swatch sheet is handy while you learn the set.",
                "## Where to start",
                "Block in large shapes with Flat wash, then switch to Dry drag for edges that catch the "
                "light. Chalky and Scumble are for the last ten minutes: a few passes over shadows make a "
                "flat area feel painted. Rigger draws thin branches, hair and lettering.",
                "## Colour",
                "Gouache dries a shade lighter or darker than it goes on. To get the same feel, set your "
                "brush to pick up a little of the colour beneath it (Wet mix 6 %, Pull 10 %).",
            ],
        ),
        _text_page(
            "The twelve brushes",
            [
                f"{k + 1:02d}  {name.replace('-', ' ').capitalize()}: {use}"
                for k, (name, use) in enumerate(
                    zip(
                        BRUSH_NAMES,
                        [
                            "a soft, darker rim where the paint pools.",
                            "broken strokes for grass, fur and light.",
                            "even coverage for big shapes.",
                            "the everyday brush: tapered and grainy.",
                            "dry pigment for texture on top.",
                            "dots and speckle for foliage.",
                            "quiet fills with no visible edge.",
                            "flicked paint; use sparingly.",
                            "scrubbed, semi-opaque glazes.",
                            "long thin lines and lettering.",
                            "blotted texture for clouds and rock.",
                            "full, flat coverage that hides mistakes.",
                        ],
                        strict=True,
                    )
                )
            ],
        ),
    ]
    return _pdf(pages, "Riverstone Gouache Brushes: quick-start guide")


PAPER_README = """\
PAPER GRAIN TEXTURE PACK
Northwind Studio

Six seamless paper textures, 1024 x 1024 PNG:

  cold-press.png   watercolour paper with a lively tooth
  hot-press.png    smooth, nearly flat; good for ink
  kraft.png        brown wrapping paper with fibres
  newsprint.png    thin, grey and flecked
  canvas.png       a fine linen weave
  riso-screen.png  a blue halftone screen, for print looks

Set a texture as a layer above your painting in Multiply or Overlay mode
at 30-60 % opacity, or use it as a brush grain. The files tile without a
visible seam, so you can scale them down and repeat them.
"""


def paper_grain_zip():
    entries = [("Paper Grain/README.txt", PAPER_README.encode()), ("Paper Grain/LICENSE.txt", LICENSE.encode())]
    for k, kind in enumerate(art.TEXTURE_KINDS):
        entries.append((f"Paper Grain/{kind}.png", _png(art.texture_swatch((1024, 1024), kind, 30 + k))))
    return _zip(entries)


WORKBOOK_DAYS = [
    ("Day 1 · Downstrokes", "aabbccdd", False),
    ("Day 2 · Upstrokes", "mmnnoopp", False),
    ("Day 3 · Ovals", "eeffgghh", False),
    ("Day 4 · Joins", "iijjkkll", False),
    ("Day 5 · Words", "studio paper brush ink", True),
    ("Day 6 · Capitals", "AABBCCDD", False),
    ("Day 7 · A whole line", "make things", True),
]


def workbook_pdf():
    pages = [
        _cover("Hand-Lettering Practice Workbook", "Seven days, one letter at a time", [CORAL, PLUM, SKY, CREAM]),
        _text_page(
            "How to use this workbook",
            [
                "Print the pages at 100 % on plain A4 or US Letter. Any pen works: a brush pen gives thick "
                "and thin strokes, a pencil is fine for the first two days.",
                "Each page has four guidelines: the ascender line (blue), the x-height (coral), the baseline "
                "(dark) and faint slant lines at 55 degrees. Trace the grey letters first, then write your "
                "own in the last two columns.",
                "## The one rule",
                "Press on the way down, go light on the way up. Almost everything in brush lettering comes from that.",
                "## Pace",
                "One page a day, fifteen minutes each. On day seven you will write a whole line; go slowly, "
                "and keep the spacing between letters even rather than the letters perfect.",
            ],
        ),
    ]
    pages += [
        art.lettering_sheet(A4_AT_100_DPI, title, letters, phrase).convert("RGB")
        for title, letters, phrase in WORKBOOK_DAYS
    ]
    return _pdf(pages, "Hand-Lettering Practice Workbook")


def planner_pdf():
    w, h = A4_AT_100_DPI
    month = Image.new("RGB", (w, h), art.rgb("#fffefa"))
    draw = ImageDraw.Draw(month)
    draw.text((70, 60), "This month", font=art.font(36, "serif-bold"), fill=art.rgb(INK))
    cell_w, cell_h = (w - 140) / 7, (h * 0.62) / 5
    for k, day in enumerate(["MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN"]):
        draw.text((70 + k * cell_w + 8, 130), day, font=art.font(14, "sans-bold"), fill=art.rgb(TEAL))
    for row in range(5):
        for col in range(7):
            x, y = 70 + col * cell_w, 155 + row * cell_h
            draw.rectangle((x, y, x + cell_w, y + cell_h), outline=art.rgb("#d9d4c7"), width=1)
    top = 175 + 5 * cell_h
    draw.text((70, top), "GOALS", font=art.font(14, "sans-bold"), fill=art.rgb(TEAL))
    for line in range(6):
        draw.line((70, top + 40 + line * 34, w - 70, top + 40 + line * 34), fill=art.rgb("#ebe6da"), width=1)
    pages = [
        _cover("Modular Weekly Planner", "Print the pages you need, when you need them", [TEAL, SAGE, MUSTARD, CREAM]),
        _text_page(
            "Make it yours",
            [
                "This planner is a set of single pages rather than a book. Print a monthly page once a "
                "month and a weekly page every Sunday, punch them and keep them in any ring binder, or "
                "staple a month together.",
                "## The weekly page",
                "Six boxes, one per weekday and one for the weekend, and a habit tracker with three rows. "
                "Write the habits you want to keep on the left and fill a circle each day you do them.",
                "## A tip from the studio",
                "Plan the week on Sunday evening, but only fill in three things per day. The empty lines "
                "are for what actually happens.",
            ],
        ),
        month,
        art.planner_sheet(A4_AT_100_DPI).convert("RGB"),
        art.planner_sheet(A4_AT_100_DPI, accent=SAGE).convert("RGB"),
    ]
    return _pdf(pages, "Modular Weekly Planner")


STORIES_README = """\
SOCIAL STORY TEMPLATES
Northwind Studio

Four story layouts at 1080 x 1920 (9:16), as flat PNGs to use as a starting
point in any editor that supports layers, plus a colour guide.

  01-new-drop.png      announce a release
  02-studio-notes.png  a short text post with room for five lines
  03-three-tips.png    three stacked cards for a quick how-to
  04-q-and-a.png       answer a follower's question
  colours.txt          the palette, in hex

Keep text inside the central 1080 x 1420 area: the top and bottom of a
story are covered by the app's buttons.
"""

STORIES_COLOURS = """\
coral    #e76f51
teal     #0f5e63
mustard  #e9c46a
plum     #6d597a
sky      #a8dadc
sand     #f4ecd8
cream    #fbf7ef
ink      #1d2b3a
"""


def stories_zip():
    names = ["01-new-drop", "02-studio-notes", "03-three-tips", "04-q-and-a"]
    entries = [
        ("Story Templates/README.txt", STORIES_README.encode()),
        ("Story Templates/colours.txt", STORIES_COLOURS.encode()),
        ("Story Templates/LICENSE.txt", LICENSE.encode()),
    ]
    for k, name in enumerate(names):
        entries.append((f"Story Templates/{name}.png", _png(art.story_screen((1080, 1920), k))))
    return _zip(entries)


LEGACY_README = """\
LEGACY INK BRUSHES (2019)
Northwind Studio

Our first brush set: six ink brushes for Procreate and Photoshop, kept
available for people who bought them. Riverstone replaced them in 2024.

  brushes/  six brush tips (PNG, 512 x 512, white on transparent)
"""


def legacy_zip():
    entries = [("Legacy Ink/README.txt", LEGACY_README.encode()), ("Legacy Ink/LICENSE.txt", LICENSE.encode())]
    for k, name in enumerate(["nib", "dip-pen", "sumi", "dry-ink", "marker", "fineliner"]):
        entries.append((f"Legacy Ink/brushes/{k + 1:02d}-{name}.png", _brush_tip_png(70 + k)))
    return _zip(entries)


DELIVERABLES = [
    Deliverable("riverstone-zip", "Riverstone Gouache Brushes (ZIP)", "riverstone-gouache-brushes.zip", riverstone_zip),
    Deliverable(
        "riverstone-guide", "Riverstone quick-start guide (PDF)", "riverstone-quick-start.pdf", riverstone_guide
    ),
    Deliverable("paper-grain-zip", "Paper Grain Texture Pack (ZIP)", "paper-grain-textures.zip", paper_grain_zip),
    Deliverable("workbook-pdf", "Hand-Lettering Practice Workbook (PDF)", "hand-lettering-workbook.pdf", workbook_pdf),
    Deliverable("planner-pdf", "Modular Weekly Planner (PDF)", "modular-weekly-planner.pdf", planner_pdf),
    Deliverable("stories-zip", "Social Story Templates (ZIP)", "social-story-templates.zip", stories_zip),
    Deliverable("legacy-ink-zip", "Legacy Ink Brushes (ZIP)", "legacy-ink-brushes.zip", legacy_zip),
]

BY_KEY = {deliverable.key: deliverable for deliverable in DELIVERABLES}
