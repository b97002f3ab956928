"""The demo store's words and structure: Northwind Studio, a small studio that sells digital kits
for illustrators and letterers, and a few things for the desk.

Everything here is plain data. Stable keys (slugs, SKUs, titles) are how a second run finds what
the first one made.
"""

from decimal import Decimal

from website.site_url import DEFAULT_PORTS, configured_site_address

from .blocks import (
    ProductRef,
    call_to_action,
    faq,
    figure,
    heading,
    link,
    page_link,
    paragraph,
    product_grid,
    product_link,
    product_teaser,
    quote,
    table,
    video,
)

BRAND = "Northwind Studio"
TAGLINE = "Brushes, paper and plans for people who make things"
CONTACT_EMAIL = "hello@northwindstudio.example"

SITE = {"hostname": "127.0.0.1", "port": 8000, "site_name": BRAND}


def served_at(path: str) -> str:
    """Where the demo answers `path`: SITE_URL's address (`make run PORT=...` sets it), else 127.0.0.1:8000."""
    address = {**SITE, **(configured_site_address() or {})}
    scheme = "https" if address["port"] == 443 else "http"  # as Wagtail decides it
    port = "" if address["port"] == DEFAULT_PORTS[scheme] else f":{address['port']}"
    return f"{scheme}://{address['hostname']}{port}{path}"


SETTINGS = {
    "brand_name": BRAND,
    "tagline": TAGLINE,
    "logo": "logo",
    # Deep teal: 7.5:1 against white text, so buttons pass WCAG AA (and AAA) contrast.
    "primary_colour": "#0f5e63",
    "accent_colour": "#f4a259",
    "contact_email": CONTACT_EMAIL,
    "currency": "USD",
    # Shipping and returns, as the FAQ and refund policy describe them; product JSON-LD repeats them.
    "ships_to": "US, CA, GB, IE, AU, DE, FR, NL",
    "shipping_rate": Decimal("6.00"),
    "handling_days_min": 1,
    "handling_days_max": 3,
    "transit_days_min": 3,
    "transit_days_max": 14,
    "return_policy": "finite",
    "return_days": 30,
    "return_fees": "customer",
    "social_links": [
        ("instagram", "https://www.instagram.com/northwindstudio"),
        ("youtube", "https://www.youtube.com/@northwindstudio"),
        ("pinterest", "https://www.pinterest.com/northwindstudio"),
        ("mastodon", "https://mastodon.art/@northwindstudio"),
    ],
    "header_links": [("Shop", "shop"), ("Journal", "journal"), ("About", "about"), ("FAQ", "faq")],
    "footer_links": [
        ("Privacy policy", "privacy"),
        ("Terms of service", "terms"),
        ("Refund policy", "refunds"),
        ("Contact", "contact"),
        ("FAQ", "faq"),
    ],
}

# Snippets -------------------------------------------------------------------------------------

# Products without a brand are the studio's own; the notebook is made with a paper mill.
BRANDS = [
    {
        "name": "Fernhill Paper Co.",
        "url": "https://fernhillpaper.example",
        "description": "A family paper mill in Vermont making 120 gsm fountain-pen-friendly paper since 1962.",
    },
]

PRODUCT_CATEGORIES = [
    {
        "slug": "brushes-textures",
        "name": "Brushes & textures",
        "description": "Digital brushes and paper textures made from real paint on real paper, for Procreate, "
        "Photoshop, Krita and Affinity.",
    },
    {
        "slug": "printables",
        "name": "Printables",
        "description": "PDFs to print at home: practice workbooks and planners you can use again and again.",
    },
    {
        "slug": "templates",
        "name": "Templates",
        "description": "Layouts that do the fiddly part for you, so you can get back to the work you are sharing.",
    },
    {
        "slug": "studio-goods",
        "name": "Studio goods",
        "description": "Things you can hold: notebooks, prints, stickers and a tote to carry them in. "
        "Packed by hand in our studio.",
    },
]

BLOG_CATEGORIES = [
    {"slug": "techniques", "name": "Techniques"},
    {"slug": "behind-the-scenes", "name": "Behind the scenes"},
    {"slug": "guides", "name": "Guides"},
]

AUTHORS = [
    {
        "name": "Maya Lindqvist",
        "role": "Founder and illustrator",
        "photo": "author-maya",
        "bio": "Maya started Northwind in 2019 with one brush set and a borrowed scanner. She paints in gouache "
        "most mornings, builds our brushes from those paintings in the afternoon, and still answers a "
        "good share of your emails herself.",
        "url": "https://mayalindqvist.example",
        "profiles": ["https://www.instagram.com/maya.lindqvist.paints", "https://mastodon.art/@mayalindqvist"],
    },
    {
        "name": "Tomás Ferreira",
        "role": "Lettering and templates",
        "photo": "author-tomas",
        "bio": "Tomás is a letterer who came to Northwind from ten years of sign painting. He draws our "
        "workbooks, designs the templates and believes that anyone can learn to write beautifully in a "
        "week, if they go slowly enough.",
        "url": "https://tomasferreira.example",
        "profiles": [
            "https://www.behance.net/tomasferreira-letters",
            "https://www.linkedin.com/in/tomas-ferreira-letters",
        ],
    },
    {
        "name": "Priya Raman",
        "role": "Print and studio manager",
        "photo": "author-priya",
        "bio": "Priya runs the riso, the stock room and the calendar. If your parcel arrived well wrapped and on "
        "time, that was her. She writes about printing, planning and the small systems that keep a "
        "three-person studio calm.",
        "url": "https://priyaraman.example",
        "profiles": ["https://www.instagram.com/priya.prints.riso"],
    },
]

# Files buyers receive, and who receives them --------------------------------------------------

PRIVATE_COLLECTION = "Product files"

# Products -------------------------------------------------------------------------------------
# Listed so that a product's body only mentions products listed before it.

RIVERSTONE = "NW-BR-101"
PAPER_GRAIN = "NW-TX-102"
WORKBOOK = "NW-PR-103"
PLANNER = "NW-PR-104"
STORIES = "NW-TP-105"
NOTEBOOK = "NW-SG-201"
STICKERS = "NW-SG-203"
POSTER = "NW-SG-202"
TOTE = "NW-SG-204"
LEGACY = "NW-BR-001"
CLUB = "NW-MB-301"

# The membership the Studio Club product grants, and the page only its members can read.
CLUB_GROUP = "Studio Club members"

SHIPPING_FAQ = (
    "How long does shipping take?",
    "<p>We pack orders on Tuesdays and Fridays. Parcels in the US usually arrive in 3–5 working days; "
    "elsewhere, allow 7–14. Every parcel is tracked.</p>",
)
DOWNLOAD_FAQ = (
    "How do I get my files?",
    "<p>Straight after payment you get a download link on the confirmation page and by email. The files "
    "also stay in your account, so you can download them again later.</p>",
)
LICENCE_FAQ = (
    "Can I use it for client work?",
    "<p>Yes. Our standard licence covers personal and commercial work, including client projects and "
    "products you sell. You may not resell or share the files themselves.</p>",
)

PRODUCTS = [
    {
        "sku": RIVERSTONE,
        "slug": "riverstone-gouache-brushes",
        "title": "Riverstone Gouache Brushes",
        "kind": "digital",
        "price": Decimal("24.00"),
        "categories": ["brushes-textures"],
        "released_days_ago": 12,
        "summary": "Twelve gouache brushes for Procreate and Photoshop, built from scans of real paint on "
        "cold-press paper: chalky edges, flat opaque fills and dry strokes that break up like the real thing.",
        "gallery": [
            ("riverstone-1", "Riverstone on an iPad: six colours, six brushes."),
            ("riverstone-2", "The dry edge you get when you press lightly."),
            ("riverstone-3", "All twelve brushes in the set."),
        ],
        "files": ["riverstone-zip", "riverstone-guide"],
        "body": [
            paragraph(
                "<p>Riverstone began as a winter of morning paintings: small gouache studies of the harbour, "
                "scanned at 1200 dpi, then taken apart stroke by stroke. What came out is a set of twelve "
                "brushes that behave the way paint does. Press lightly and the colour skips across the "
                "grain of the paper; press firmly and it lays down flat and opaque, covering what is "
                "underneath.</p>"
            ),
            heading("What's inside"),
            paragraph(
                "<ul><li>12 brush tips, from <b>Flat wash</b> for big shapes to <b>Rigger</b> for fine lines"
                "</li><li>A swatch sheet with every brush painted once</li><li>A three-page quick-start "
                "guide (PDF) with our settings for Procreate and Photoshop</li></ul>"
            ),
            table(
                [
                    ["", "Riverstone"],
                    ["Brushes", "12"],
                    ["Works with", "Procreate 5.2+, Photoshop 2022+, Krita 5, Affinity Photo 2"],
                    ["Tip resolution", "512 × 512 px, greyscale"],
                    ["Download", "ZIP, 2.2 MB, and a PDF guide"],
                    ["Licence", "Personal and commercial use"],
                ],
                caption="Specifications",
                header="both",
            ),
            figure("riverstone-3", caption="Wet edge, Dry drag, Flat wash and nine more, each named for what it does."),
            quote(
                "I have tried a dozen gouache sets and this is the first that made my iPad paintings look like "
                "the ones in my sketchbook.",
                "Hana Okafor",
                "Children's book illustrator",
            ),
            faq(
                [
                    DOWNLOAD_FAQ,
                    (
                        "Do they work on Android or Windows?",
                        "<p>Yes. The tips are plain PNG files, so any app that can import a brush shape can use "
                        "them: Krita, Photoshop, Affinity, Clip Studio Paint and others.</p>",
                    ),
                    LICENCE_FAQ,
                ]
            ),
        ],
    },
    {
        "sku": PAPER_GRAIN,
        "slug": "paper-grain-texture-pack",
        "title": "Paper Grain Texture Pack",
        "kind": "digital",
        "price": Decimal("18.00"),
        "categories": ["brushes-textures"],
        "released_days_ago": 48,
        "summary": "Six seamless paper textures, from toothy cold press to kraft and newsprint, to lay over "
        "digital work so it feels printed, painted or pressed.",
        "gallery": [
            ("paper-grain-1", "Six papers, scanned and made seamless."),
            ("paper-grain-2", "All six textures side by side."),
            ("paper-grain-3", "Cold press up close: the grain that makes gouache sparkle."),
        ],
        "files": ["paper-grain-zip"],
        "body": [
            paragraph(
                "<p>Digital colour is perfectly flat, and the eye notices. A paper texture at 40 % in "
                "Multiply mode is the quickest way we know to make a digital piece feel like it exists "
                "somewhere. These six are scanned from the papers on our own shelves, cleaned up and made "
                "to tile without a seam.</p>"
            ),
            table(
                [
                    ["Texture", "Best for", "Try it at"],
                    ["Cold press", "Gouache and watercolour looks", "Multiply, 40 %"],
                    ["Hot press", "Ink and clean line work", "Multiply, 25 %"],
                    ["Kraft", "Warm, handmade packaging feel", "Overlay, 60 %"],
                    ["Newsprint", "Zines and editorial pieces", "Multiply, 50 %"],
                    ["Canvas", "Oil and acrylic looks", "Soft light, 50 %"],
                    ["Riso screen", "Two-colour print effects", "Screen, 30 %"],
                ],
                caption="The six textures",
            ),
            heading("Pairs well with"),
            product_teaser(RIVERSTONE, "Paint with Riverstone, then lay cold press over the top."),
            faq(
                [
                    DOWNLOAD_FAQ,
                    (
                        "How big are the files?",
                        "<p>Each texture is 1024 × 1024 pixels and tiles seamlessly, so it covers a canvas of "
                        "any size without blurring.</p>",
                    ),
                    LICENCE_FAQ,
                ]
            ),
        ],
    },
    {
        "sku": WORKBOOK,
        "slug": "hand-lettering-practice-workbook",
        "title": "Hand-Lettering Practice Workbook",
        "kind": "digital",
        "price": Decimal("14.00"),
        "categories": ["printables"],
        "released_days_ago": 75,
        "summary": "A seven-day printable workbook for brush lettering: guidelines, slant lines and letters to "
        "trace, one small step a day, from downstrokes to a whole line.",
        "gallery": [
            ("workbook-1", "Day one: downstrokes, with letters to trace."),
            ("workbook-2", "Ascender, x-height and baseline, with slant lines at 55°."),
            ("workbook-3", "Ovals and joins on days three and four."),
        ],
        "files": ["workbook-pdf"],
        "body": [
            paragraph(
                "<p>Tomás taught brush lettering to sign-painting apprentices for ten years, and this "
                "workbook is how he starts every one of them: not with the alphabet, but with a single "
                "stroke, pressed on the way down and light on the way up. Fifteen minutes a day for a "
                "week is enough to feel the difference.</p>"
            ),
            heading("The week"),
            table(
                [
                    ["Day", "Focus"],
                    ["1", "Downstrokes: a, b, c, d"],
                    ["2", "Upstrokes and the light touch: m, n, o, p"],
                    ["3", "Ovals: e, f, g, h"],
                    ["4", "Joins between letters"],
                    ["5", "Short words"],
                    ["6", "Capitals"],
                    ["7", "A whole line"],
                ],
                caption="Seven days, nine pages",
            ),
            quote(
                "Slow is smooth, and smooth is pretty. Nobody believes me until day four.",
                "Tomás Ferreira",
                "Lettering, Northwind Studio",
            ),
            faq(
                [
                    (
                        "What pen do I need?",
                        "<p>Any brush pen with a flexible tip works; a pencil is fine for the first two days. "
                        "The workbook prints on plain A4 or US Letter.</p>",
                    ),
                    (
                        "Can I print it more than once?",
                        "<p>Please do. It is yours to print as often as you like for your own practice.</p>",
                    ),
                    DOWNLOAD_FAQ,
                ]
            ),
        ],
    },
    {
        "sku": PLANNER,
        "slug": "modular-weekly-planner",
        "title": "Modular Weekly Planner",
        "kind": "digital",
        "price": Decimal("9.00"),
        "categories": ["printables", "templates"],
        "released_days_ago": 100,
        "summary": "A printable planner in single pages: a monthly overview, a weekly page with a habit tracker, "
        "and nothing you will not use. Print what you need, when you need it.",
        "gallery": [
            ("planner-1", "The weekly page: six boxes and a habit tracker."),
            ("planner-2", "Three habits, seven circles."),
        ],
        "files": ["planner-pdf"],
        "body": [
            paragraph(
                "<p>Bound planners make you commit to a year in January. This one is a set of single pages "
                "instead: print a month when the month starts and a week every Sunday, punch them, and "
                "keep them in any binder. Miss a week and nothing is wasted.</p>"
            ),
            paragraph(
                "<ul><li>A monthly page with space for goals</li><li>A weekly page with six boxes and a "
                "habit tracker</li><li>A second weekly page in sage, for people who like to colour-code"
                "</li></ul>"
            ),
            table(
                [
                    ["", "Modular Weekly Planner"],
                    ["Pages", "5 (cover, guide, month, two weeks)"],
                    ["Paper size", "A4, prints fine on US Letter"],
                    ["Format", "PDF, 360 KB"],
                ],
                caption="Specifications",
                header="both",
            ),
            product_teaser(WORKBOOK, "Add fifteen minutes of lettering practice to the habit tracker."),
            faq([DOWNLOAD_FAQ, LICENCE_FAQ]),
        ],
    },
    {
        "sku": STORIES,
        "slug": "social-story-templates",
        "title": "Social Story Templates",
        "kind": "digital",
        "price": Decimal("29.00"),
        "categories": ["templates"],
        "released_days_ago": 30,
        "summary": "Four story layouts for announcing a release, sharing notes, giving tips and answering "
        "questions, in our palette or yours. 1080 × 1920, ready for any layered editor.",
        "gallery": [
            ("stories-1", "New drop, studio notes and three tips, on a phone."),
            ("stories-2", "All four layouts."),
            ("stories-3", "The new-drop layout up close."),
        ],
        "files": ["stories-zip"],
        "body": [
            paragraph(
                "<p>Stories are where most of our customers first meet us, and the ones that work share a "
                "few habits: one idea per screen, text well inside the safe area, and a layout that looks "
                "like the person who made it. These four templates are the ones we use ourselves.</p>"
            ),
            heading("What's inside"),
            table(
                [
                    ["Layout", "Use it for"],
                    ["New drop", "Announcing a release or a restock"],
                    ["Studio notes", "A short thought, up to five lines"],
                    ["Three tips", "A quick how-to in three cards"],
                    ["Q & A", "Answering a follower's question"],
                ],
                caption="Four layouts, 1080 × 1920 PNG, plus a colour guide",
            ),
            figure("stories-2", caption="Each layout keeps text inside the central 1080 × 1420 area."),
            quote(
                "I changed the colours, swapped the fonts and posted the same evening. My stories finally "
                "look like my shop.",
                "Lena Voss",
                "Ceramicist",
            ),
            faq([DOWNLOAD_FAQ, LICENCE_FAQ]),
        ],
    },
    {
        "sku": NOTEBOOK,
        "slug": "studio-notebook-a5-dot-grid",
        "title": "Studio Notebook, A5 Dot Grid",
        "brand": "Fernhill Paper Co.",
        "kind": "physical",
        "price": Decimal("22.00"),
        "stock": 140,
        "categories": ["studio-goods"],
        "released_days_ago": 130,
        "summary": "A lay-flat A5 notebook with 160 pages of 120 gsm dot-grid paper that takes fountain pen, "
        "brush pen and light washes without bleeding through.",
        "gallery": [
            ("notebook-1", "Teal linen cover with an apricot elastic band."),
            ("notebook-2", "Lays flat, and takes a light wash of gouache."),
            ("notebook-3", "The debossed north-arrow mark."),
        ],
        "body": [
            paragraph(
                "<p>We wanted one notebook for everything: thumbnails, lettering drills, shopping lists "
                "and the occasional small painting. The paper is 120 gsm, heavy enough for a light wash "
                "and smooth enough for a fine nib, and the binding is sewn so the book lies flat from the "
                "first page to the last.</p>"
            ),
            table(
                [
                    ["", "Studio Notebook"],
                    ["Size", "A5, 148 × 210 mm"],
                    ["Pages", "160, numbered"],
                    ["Paper", "120 gsm ivory, 5 mm dot grid"],
                    ["Binding", "Sewn, lays flat"],
                    ["Extras", "Elastic band, ribbon marker, back pocket"],
                ],
                caption="Specifications",
                header="both",
            ),
            product_teaser(PLANNER, "Use the first pages for the week ahead, the rest for everything else."),
            faq(
                [
                    SHIPPING_FAQ,
                    (
                        "Will fountain pen ink bleed through?",
                        "<p>Not with ordinary fountain pen inks. Very wet brush pens may show a little "
                        "ghosting on the back of the page, but won't bleed through.</p>",
                    ),
                ]
            ),
        ],
    },
    {
        "sku": STICKERS,
        "slug": "letterpress-sticker-sheet",
        "title": "Letterpress Sticker Sheet",
        "kind": "physical",
        "price": Decimal("8.50"),
        "stock": 60,
        "categories": ["studio-goods"],
        "released_days_ago": 62,
        "summary": "Twelve die-cut stickers in studio colours, printed on thick matte paper with a slight "
        "letterpress bite. For notebooks, laptops and parcels to friends.",
        "gallery": [
            ("stickers-1", "Twelve stickers on one sheet."),
            ("stickers-2", "Matte, thick and slightly debossed."),
        ],
        "body": [
            paragraph(
                "<p>We print these in a small batch on a tabletop press, so each sheet has a faint "
                "impression you can feel with a fingertip. The adhesive is removable for the first day, "
                "then settles in for good.</p>"
            ),
            table(
                [
                    ["", "Sticker sheet"],
                    ["Stickers", "12, die-cut"],
                    ["Sheet size", "A6, 105 × 148 mm"],
                    ["Finish", "Matte, letterpress"],
                ],
                caption="Specifications",
                header="both",
            ),
            product_teaser(NOTEBOOK, "They look best on a teal cover."),
            faq([SHIPPING_FAQ]),
        ],
    },
    {
        "sku": POSTER,
        "slug": "northern-lights-risograph-poster",
        "title": "Northern Lights Risograph Poster",
        "kind": "physical",
        "price": Decimal("35.00"),
        "stock": 0,
        "categories": ["studio-goods"],
        "released_days_ago": 160,
        "summary": "A two-colour risograph print in fluorescent pink and medium blue, A3, printed in our studio "
        "in an edition of 150. Every print is slightly different.",
        "gallery": [
            ("poster-1", "Framed, on a sand wall. Frame not included."),
            ("poster-2", "Halftone blue over fluorescent pink."),
        ],
        "body": [
            paragraph(
                "<p>This print is sold out. We are printing a second edition when the fluorescent pink "
                "drum comes back from service; " + page_link("contact", "write to us") + " and we will let "
                "you know the day it is ready.</p>"
            ),
            paragraph(
                "<p>Risograph printing lays down one colour at a time, so the pink and blue never line up "
                "quite perfectly. That slight misregistration is the charm: where the two inks overlap, "
                "they mix into a deep violet that no screen can show.</p>"
            ),
            table(
                [
                    ["", "Northern Lights"],
                    ["Size", "A3, 297 × 420 mm"],
                    ["Inks", "Fluorescent pink, medium blue"],
                    ["Paper", "Munken Pure 170 gsm"],
                    ["Edition", "150, signed and numbered"],
                ],
                caption="Specifications",
                header="both",
            ),
            figure("poster-2", caption="Where pink and blue overlap they make a violet no screen can show."),
            product_teaser(STICKERS, "In stock now, in the same colours."),
        ],
    },
    {
        "sku": TOTE,
        "slug": "make-things-canvas-tote",
        "title": "Make Things Canvas Tote",
        "kind": "physical",
        "price": Decimal("19.00"),
        "stock": 35,
        "categories": ["studio-goods"],
        "released_days_ago": 90,
        "summary": "A heavy natural cotton tote, screen-printed by hand with a reminder we all need. Big enough "
        "for an A3 sketchbook, a water jar and lunch.",
        "gallery": [
            ("tote-1", "Natural 12 oz cotton canvas."),
            ("tote-2", "Screen-printed in ink and coral."),
        ],
        "body": [
            paragraph(
                "<p>Made from 12 oz organic cotton canvas with long handles that sit comfortably on the "
                "shoulder. The print is water-based ink, cured so it survives the washing machine.</p>"
            ),
            table(
                [
                    ["", "Tote"],
                    ["Size", "38 × 42 cm, 10 cm gusset"],
                    ["Material", "12 oz organic cotton canvas"],
                    ["Print", "Two-colour screen print"],
                    ["Care", "Wash cold, inside out"],
                ],
                caption="Specifications",
                header="both",
            ),
            product_teaser(NOTEBOOK),
            faq([SHIPPING_FAQ]),
        ],
    },
    {
        "sku": LEGACY,
        "slug": "legacy-ink-brushes",
        "title": "Legacy Ink Brushes (2019)",
        "kind": "digital",
        "price": Decimal("12.00"),
        "on_sale": False,
        "categories": ["brushes-textures"],
        "released_days_ago": 2100,
        "summary": "Our very first brush set: six ink brushes for Procreate and Photoshop. Retired from sale; "
        "everyone who bought it can still download it from their account.",
        "gallery": [
            ("legacy-ink-1", "Six ink brushes from 2019."),
            ("legacy-ink-2", "A dip-pen stroke with dry bristle marks."),
        ],
        "files": ["legacy-ink-zip"],
        "body": [
            paragraph(
                "<p>Legacy Ink was the first thing Northwind ever sold. We have retired it because "
                "Riverstone does everything it did, and more, but the page stays up so that the people "
                "who bought it can find their way back to their files.</p>"
            ),
            product_teaser(RIVERSTONE, "Its successor: twelve brushes, and the ink brushes grew up."),
        ],
    },
]

PRODUCTS.append(
    {
        "sku": CLUB,
        "slug": "studio-club-membership",
        "title": "Studio Club membership",
        "kind": "digital",
        "price": Decimal("36.00"),
        "membership": CLUB_GROUP,
        "categories": ["printables"],
        "released_days_ago": 20,
        "summary": "A year in the Studio Club: the members' library of recorded workshops, a new printable "
        "every month and first look at every brush set, all in your account.",
        "gallery": [("club-1", "The Studio Club library: workshops, printables and early brush sets.")],
        "body": [
            paragraph(
                "<p>The Studio Club is how we say thank you to the people who have been painting with us "
                "since the first brush set. Members get a private library on this site with every "
                "workshop we have recorded, a new printable each month, and early access to new brushes "
                "before they go on sale.</p>"
            ),
            heading("What members get"),
            paragraph(
                "<ul><li>The members' library: recorded workshops with Maya and Tomás, with notes.</li>"
                "<li>A new printable every month, yours to keep.</li>"
                "<li>Early access to every new brush set, a week before everyone else.</li></ul>"
            ),
            faq(
                [
                    (
                        "Where do I find the library?",
                        "<p>In your account, under Membership, as soon as your payment goes through. Buy while "
                        "logged in, or create an account with the email you bought with and it joins you "
                        "there.</p>",
                    ),
                    (
                        "What happens after a year?",
                        "<p>Nothing automatic: there is no subscription. We email you a month before, and you "
                        "decide.</p>",
                    ),
                ]
            ),
        ],
    }
)

# Journal ----------------------------------------------------------------------------------------

BIG_BUCK_BUNNY = "https://www.youtube.com/watch?v=aqz-KE-bpKQ"
SINTEL = "https://www.youtube.com/watch?v=eRsGyueVLvQ"

POSTS = [
    {
        "slug": "five-gouache-habits-for-digital-painting",
        "title": "Five gouache habits that translate to digital brushes",
        "author": "Maya Lindqvist",
        "days_ago": 6,
        "hero": "post-gouache",
        "categories": ["techniques"],
        "tags": ["gouache", "procreate", "brushes"],
        "summary": "Gouache teaches patience and economy. Here are the five habits from real paint that made "
        "the biggest difference to my digital work.",
        "body": [
            paragraph(
                "<p>I painted in gouache for years before I touched a tablet, and for a long time my "
                "digital work felt thin in comparison. It wasn't the brushes, or not only: it was that "
                "the tablet let me skip everything real paint had taught me. These are the habits I "
                "brought back.</p>"
            ),
            heading("1. Mix a limited palette first"),
            paragraph(
                "<p>With real paint you mix a few colours before you start, and everything in the picture "
                "comes from them. Do the same digitally: make a palette of five swatches and forbid "
                "yourself the colour wheel. The picture will hang together in a way that's hard to get "
                "any other way.</p>"
            ),
            heading("2. Paint dark to light, then light to dark"),
            paragraph(
                "<p>Gouache covers, so you can paint light over dark. Block in the shadows, then bring the "
                "lights forward, then go back in with a few darks. Three passes, no more.</p>"
            ),
            product_teaser(
                RIVERSTONE,
                "Twelve brushes built from my morning paintings, with the dry edge that makes this work.",
            ),
            heading("3. Let the edges do the talking"),
            paragraph(
                "<p>Hard edges come forward and soft or broken edges fall back. In gouache you get this "
                "for free; digitally, you have to choose it. Use a dry, broken brush where you want the "
                "eye to move on.</p>"
            ),
            figure("riverstone-2", caption="A dry edge tells the eye to keep moving."),
            heading("4. Stop before you think you're done"),
            paragraph(
                "<p>Paint dries and you can't fiddle forever. Undo makes fiddling free, and it shows. Put "
                "the stylus down ten minutes earlier than feels right.</p>"
            ),
            heading("5. Give it a surface"),
            paragraph(
                "<p>Real paint sits on paper, and paper has a grain. A texture layer over the finished "
                "piece is the last step that makes it feel made rather than rendered.</p>"
            ),
            product_teaser(PAPER_GRAIN),
            quote(
                "The tablet is not a cheat. It's just a very forgiving sheet of paper, and forgiveness "
                "needs discipline.",
                "Maya Lindqvist",
            ),
        ],
    },
    {
        "slug": "colour-scripts-from-open-films",
        "title": "Colour scripts: what open animated films teach about palettes",
        "author": "Maya Lindqvist",
        "days_ago": 21,
        "hero": "post-colour-scripts",
        "categories": ["guides"],
        "tags": ["colour", "animation", "inspiration"],
        "summary": "A colour script boils a film down to one swatch per scene. We made a few from open-licence "
        "films, and they changed how we pick palettes for a single illustration.",
        "body": [
            paragraph(
                "<p>Animation studios plan a film's colour before they animate a single frame: a strip of "
                "tiny paintings, one per scene, that shows how the mood should move. You can learn a lot "
                "from making one yourself, and the Blender Foundation's open films are perfect for it, "
                "because you are free to study and share them.</p>"
            ),
            video(
                BIG_BUCK_BUNNY,
                "Big Buck Bunny, an open animated film by the Blender Foundation",
                "Big Buck Bunny (2008), Blender Foundation, CC BY 3.0. Watch how the morning greens turn to "
                "amber as the trouble starts.",
            ),
            heading("How to make one"),
            paragraph(
                "<ol><li>Take a screenshot every thirty seconds or so.</li><li>Shrink each one to a "
                "thumbnail and blur it until only the big shapes are left.</li><li>Line them up in "
                "order.</li><li>Squint.</li></ol><p>What you are looking at is the film's emotional "
                "shape, written in colour.</p>"
            ),
            table(
                [
                    ["Act", "Palette", "Mood"],
                    ["Opening", "Sky blue, sage", "Calm, fresh"],
                    ["Trouble", "Mustard, apricot", "Warm, uneasy"],
                    ["Climax", "Coral, plum", "Hot, intense"],
                    ["Resolution", "Teal, sky blue", "Cool, settled"],
                ],
                caption="The colour script above, in words",
            ),
            video(
                SINTEL,
                "Sintel, an open animated film by the Blender Foundation",
                "Sintel (2010), Blender Foundation, CC BY 3.0. Snow, then fire: a palette that tells the "
                "story before anyone speaks.",
            ),
            heading("Bringing it to one picture"),
            paragraph(
                "<p>A single illustration has a colour script too; it just happens in space instead of "
                "time. Decide where the eye enters, where it rests and where it leaves, and give each "
                "place its own small palette from the same family.</p>"
            ),
            product_teaser(RIVERSTONE, "The brushes we used for the colour script at the top of this post."),
        ],
    },
    {
        "slug": "a-first-week-of-hand-lettering",
        "title": "A first week of hand-lettering practice, day by day",
        "author": "Tomás Ferreira",
        "days_ago": 38,
        "hero": "post-lettering",
        "categories": ["guides"],
        "tags": ["lettering", "practice", "beginners"],
        "summary": "Fifteen minutes a day for seven days. What to practise each day, what to expect, and the "
        "mistakes everybody makes on day three.",
        "body": [
            paragraph(
                "<p>Most people start lettering by writing their name over and over, get frustrated by "
                "day two, and stop. The trick is to practise the strokes before the letters, one small "
                "thing a day. Here's the week I give every apprentice.</p>"
            ),
            table(
                [
                    ["Day", "Practise", "Watch out for"],
                    ["1", "Downstrokes", "Pressing on the way up too"],
                    ["2", "Upstrokes", "Shaky hairlines; go slower"],
                    ["3", "Ovals", "Ovals that lean backwards"],
                    ["4", "Joins", "Lifting the pen mid-join"],
                    ["5", "Short words", "Uneven spacing"],
                    ["6", "Capitals", "Capitals that are too wide"],
                    ["7", "A whole line", "Rushing the last word"],
                ],
                caption="Seven days of practice",
            ),
            paragraph(
                "<p>The pages in the workbook follow exactly this plan, with guidelines and letters to trace.</p>"
            ),
            product_teaser(WORKBOOK),
            quote(
                "Slow is smooth, and smooth is pretty. Nobody believes me until day four.",
                "Tomás Ferreira",
            ),
            faq(
                [
                    (
                        "Do I need a special pen?",
                        "<p>No. A brush pen helps from day two, but a pencil pressed harder on the "
                        "downstroke teaches the same movement.</p>",
                    ),
                    (
                        "I'm left-handed. Does this work for me?",
                        "<p>Yes. Turn the page so the slant lines point away from your writing hand, and "
                        "pull the downstrokes towards you as usual.</p>",
                    ),
                    (
                        "What if I miss a day?",
                        "<p>Pick up where you left off. The days are a sequence, not a deadline.</p>",
                    ),
                ],
                heading_text="Questions from beginners",
            ),
        ],
    },
    {
        "slug": "story-templates-that-dont-look-like-templates",
        "title": "Story templates that don't look like templates",
        "author": "Tomás Ferreira",
        "days_ago": 55,
        "hero": "post-stories",
        "categories": ["techniques"],
        "tags": ["social media", "templates", "layout"],
        "summary": "A template should save you time, not flatten your voice. Three ways to make a layout your own "
        "in under five minutes.",
        "body": [
            paragraph(
                "<p>You can spot a template from across the room: the same fonts, the same pastel blobs, "
                "the same four words. But a good template is just a layout someone already solved, and "
                "solving layout is the boring part. Here's how to keep the time saved and lose the "
                "sameness.</p>"
            ),
            heading("Change the colours first"),
            paragraph(
                "<p>Replace the template palette with three colours from your own work. Nothing else "
                "makes a layout feel like yours as quickly.</p>"
            ),
            heading("Put your own hand on it"),
            paragraph(
                "<p>One hand-drawn element (a lettered word, a scribbled arrow, a scanned brushstroke) "
                "turns a template into a page from your sketchbook.</p>"
            ),
            figure("stories-1", caption="The same three layouts, before anyone has made them their own."),
            heading("Break one rule"),
            paragraph(
                "<p>Move the headline, crop the photo off the edge, drop a card. A single deliberate "
                "break reads as style; several read as mistakes.</p>"
            ),
            product_teaser(STORIES, "Our four layouts, with the colour guide we use."),
        ],
    },
    {
        "slug": "how-our-risograph-posters-are-printed",
        "title": "How our risograph posters are printed",
        "author": "Priya Raman",
        "days_ago": 80,
        "hero": "post-riso",
        "categories": ["behind-the-scenes"],
        "tags": ["risograph", "printing", "paper"],
        "summary": "Two drums, one slightly temperamental machine and a lot of paper. A walk through printing "
        "the Northern Lights edition.",
        "body": [
            paragraph(
                "<p>Our riso lives in the back corner of the studio, and on print days nobody else gets "
                "much done. It works like a very fast screen printer: each colour is a separate master "
                "and a separate pass through the machine, with the ink pushed through a stencil onto the "
                "paper.</p>"
            ),
            heading("One colour at a time"),
            paragraph(
                "<p>For Northern Lights we print the fluorescent pink first, let the sheets rest "
                "overnight, then run the blue. Because the paper never goes through in exactly the same "
                "place twice, the layers drift by a millimetre or so. That drift is the look.</p>"
            ),
            figure("poster-2", caption="Misregistration, up close."),
            table(
                [
                    ["Ink", "Used for", "Overprint with blue"],
                    ["Fluorescent pink", "Sun, stars", "Deep violet"],
                    ["Medium blue", "Waves, halftone sky", "—"],
                ],
                caption="Two inks, three colours",
            ),
            quote(
                "The machine has moods. Cold mornings are for one-colour jobs only.",
                "Priya Raman",
            ),
            paragraph(
                "<p>The first edition sold out in a fortnight. The second is on its way; meanwhile, the "
                "sticker sheet uses the same inks.</p>"
            ),
            product_teaser(POSTER),
            product_teaser(STICKERS),
        ],
    },
    {
        "slug": "planning-a-creative-week-that-holds",
        "title": "Planning a creative week that actually holds",
        "author": "Priya Raman",
        "days_ago": 104,
        "hero": "post-planning",
        "categories": ["guides"],
        "tags": ["planning", "productivity"],
        "summary": "How a three-person studio plans its week on one sheet of paper, and why we only ever write "
        "down three things a day.",
        "body": [
            paragraph(
                "<p>Every Sunday evening I print a weekly page, make a cup of tea and plan. It takes "
                "twenty minutes and it's the most useful twenty minutes of my week. The rules are "
                "simple.</p>"
            ),
            heading("Three things a day"),
            paragraph(
                "<p>Write three things in each day's box, no more. The rest of the lines are for what "
                "actually happens, which is always something.</p>"
            ),
            heading("Habits, not goals"),
            paragraph(
                "<p>Goals belong on the monthly page. The weekly page tracks habits: did I sketch, did I "
                "walk, did I read. Seven circles per habit, and filling them in is oddly satisfying.</p>"
            ),
            product_teaser(PLANNER),
            heading("Keep the mess somewhere else"),
            paragraph(
                "<p>The planner is for decisions. Lists, thumbnails and half-ideas go in the notebook, "
                "which never has to look tidy.</p>"
            ),
            product_teaser(NOTEBOOK),
            faq(
                [
                    (
                        "Digital or paper?",
                        "<p>Paper for the week, digital for the calendar. Appointments belong where they "
                        "can remind you; plans belong where you can see them all at once.</p>",
                    ),
                    (
                        "What if the plan falls apart by Wednesday?",
                        "<p>It will, sometimes. Cross out, re-plan Thursday and Friday, and keep going.</p>",
                    ),
                ]
            ),
        ],
    },
    {
        "slug": "gift-guide-for-makers",
        "title": "Gift guide: presents for the makers in your life",
        "author": "Maya Lindqvist",
        "days_ago": 140,
        "hero": "post-gifts",
        "categories": ["guides"],
        "tags": ["gifts", "studio goods"],
        "summary": "Small, useful things for people who draw, paint, write or plan, from under ten dollars to a "
        "print for the wall.",
        "body": [
            paragraph(
                "<p>Every year friends ask what to buy the artist in their life. Our answer is always the "
                "same: something they will use up, or something they will use every day. Here's our "
                "short list.</p>"
            ),
            product_grid("Under $25", skus=[STICKERS, NOTEBOOK, TOTE, WORKBOOK]),
            heading("For people who work on screen"),
            paragraph(
                "<p>Digital gifts arrive instantly, which makes them the best last-minute present there "
                "is. Forward the download email with a note.</p>"
            ),
            product_grid("Digital kits", category="brushes-textures", limit=3),
            product_teaser(STORIES, "For the friend who runs a small shop: four story layouts, ready in minutes."),
            call_to_action(
                "Not sure what they'd like?",
                "Browse the whole shop, or write to us and we will help you choose.",
                link("Browse the shop", page="shop"),
                style="subtle",
            ),
        ],
    },
]

# Pages ------------------------------------------------------------------------------------------

HOME = {
    "title": BRAND,
    "seo_title": f"{BRAND}: {TAGLINE.lower()}",
    "search_description": "Digital brushes, paper textures, printable workbooks and a few well-made things for the "
    "desk, from a small studio that makes them.",
    "hero_heading": "Made from real paint and real paper",
    "hero_text": "We are a three-person studio making the tools we wished we had: gouache brushes built from "
    "real paint, textures scanned from real paper, and printables that get you practising today.",
    "hero_image": "home-hero",
    "hero_cta_label": "Browse the shop",
    "hero_cta_page": "shop",
    "body": [
        product_grid("New in the studio", skus=[RIVERSTONE, STORIES, PAPER_GRAIN, STICKERS]),
        quote(
            "I have tried a dozen gouache sets and this is the first that made my iPad paintings look like "
            "the ones in my sketchbook.",
            "Hana Okafor",
            "Children's book illustrator",
        ),
        heading("Made by hand, then made digital"),
        paragraph(
            "<p>Every brush in our shop started as a real stroke of paint, and every texture as a sheet of "
            "paper on our scanner. The printables are drawn by the same people who answer your emails. "
            + page_link("about", "Read how we work")
            + ", or start with the "
            + product_link(WORKBOOK, "lettering workbook")
            + ": fifteen minutes a day for a week.</p>"
        ),
        product_grid("Studio goods", category="studio-goods", limit=4),
        call_to_action(
            "From the Journal",
            "Techniques, behind-the-scenes notes from the print room and the occasional gift guide.",
            link("Read the Journal", page="journal"),
            style="subtle",
        ),
        call_to_action(
            "New here? Start with Riverstone",
            "Twelve gouache brushes and a guide that gets you painting in ten minutes.",
            link("See Riverstone", page=ProductRef(RIVERSTONE)),
            style="brand",
        ),
    ],
}

SHOP = {
    "title": "Shop",
    "search_description": "Digital brushes, textures, printables and templates, plus notebooks, prints and stickers.",
    "intro": "Digital kits you can download the minute you buy them, and a few things for your desk that we pack "
    "by hand. Prices are in US dollars.",
}

JOURNAL = {
    "title": "Journal",
    "search_description": "Techniques, guides and notes from the Northwind Studio print room.",
    "intro": "Techniques, behind-the-scenes notes and the occasional gift guide, written by the people who make "
    "our kits.",
}

CONTACT = {
    "title": "Contact",
    "search_description": "Questions about an order, a licence or a collaboration? Write to Northwind Studio.",
    "intro": "<p>Questions about an order, a licence or a download that won't open? Write to us and one of us "
    "will answer within two working days. For order questions, the email address you bought with helps us "
    "find you quickly.</p>",
    "thank_you_text": "<p><b>Thank you, your message is on its way.</b> We answer within two working days, "
    "usually sooner. In the meantime, the " + page_link("faq", "FAQ") + " may already have your answer.</p>",
    "subject": "New message from the Northwind Studio website",
    "fields": [
        {"label": "Your name", "field_type": "singleline", "required": True},
        {"label": "Email", "field_type": "email", "required": True},
        {
            "label": "Subject",
            "field_type": "dropdown",
            "required": True,
            "choices": "An order or a download\nLicensing\nWholesale and collaborations\nSomething else",
        },
        {
            "label": "Message",
            "field_type": "multiline",
            "required": True,
            "help_text": "If it's about an order, tell us roughly when you placed it.",
        },
    ],
}

DEMO_NOTE = (
    "<p><i>Northwind Studio is a fictional shop that shows what this store can do. No real orders are taken "
    "and no parcels are sent.</i></p>"
)

INFO_PAGES = [
    {
        "key": "about",
        "slug": "about",
        "title": "About",
        "show_in_menus": True,
        "search_description": "Northwind Studio is a three-person studio making brushes, textures and printables "
        "from real paint and real paper.",
        "intro": "We are three people in a small studio by the harbour, making the tools we wished we had when we "
        "started.",
        "body": [
            paragraph(
                "<p>Northwind began in 2019, when Maya scanned a winter's worth of gouache paintings and "
                "turned the strokes into six ink brushes. People bought them, wrote to say what they "
                "wanted next, and we have been making that ever since.</p>"
            ),
            figure("about-studio", caption="Every texture starts as a sheet of paper on this desk.", width="wide"),
            heading("Who we are"),
            paragraph(
                "<ul><li><b>Maya Lindqvist</b> paints, builds the brushes and founded the studio.</li>"
                "<li><b>Tomás Ferreira</b> draws the lettering workbooks and designs the templates.</li>"
                "<li><b>Priya Raman</b> runs the riso, the stock room and the calendar.</li></ul>"
            ),
            heading("How we work"),
            paragraph(
                "<p>Everything we sell, we use. Brushes are made from paint we put on paper; textures are "
                "scanned from papers on our shelves; the notebook is the one we fill ourselves. We keep "
                "the range small on purpose, and we retire things rather than let them go stale.</p>"
            ),
            quote(
                "Make the tool you wish you had, then use it until you know why it's right.",
                "Maya Lindqvist",
                "Founder",
            ),
            call_to_action(
                "See what we make",
                "Brushes, textures, printables and a few good things for the desk.",
                link("Browse the shop", page="shop"),
            ),
        ],
    },
    {
        "key": "faq",
        "slug": "faq",
        "title": "FAQ",
        "search_description": "Answers about downloads, licences, shipping and refunds at Northwind Studio.",
        "intro": "The questions we hear most often. If yours isn't here, write to us.",
        "body": [
            faq(
                [
                    DOWNLOAD_FAQ,
                    (
                        "Do I need an account to buy?",
                        "<p>No, you can check out as a guest. An account keeps all your downloads in one "
                        "place, which is handy when you get a new tablet.</p>",
                    ),
                    (
                        "My download link has expired.",
                        "<p>Download links expire for safety. Sign in to see your files again, or "
                        + page_link("contact", "write to us")
                        + " with the email you bought with and we will send a fresh link.</p>",
                    ),
                ],
                heading_text="Orders and downloads",
            ),
            faq(
                [
                    LICENCE_FAQ,
                    (
                        "Can my whole team use one licence?",
                        "<p>One licence covers one person. Write to us for a team licence; it costs less "
                        "than buying one each.</p>",
                    ),
                ],
                heading_text="Licences",
            ),
            faq(
                [
                    SHIPPING_FAQ,
                    (
                        "Do you ship worldwide?",
                        "<p>We ship to the US, Canada, the UK, Ireland, Australia, Germany, France and the "
                        "Netherlands for a flat $6 per order.</p>",
                    ),
                    (
                        "Something is sold out. Will it come back?",
                        "<p>Usually. Prints come back as new editions; write to us and we will tell you when.</p>",
                    ),
                ],
                heading_text="Shipping",
            ),
            call_to_action(
                "Still stuck?",
                "We answer every message within two working days.",
                link("Contact us", page="contact"),
                style="subtle",
            ),
        ],
    },
    {
        "key": "privacy",
        "slug": "privacy-policy",
        "title": "Privacy policy",
        "search_description": "What Northwind Studio collects, why, and what you can ask us to do with it.",
        "intro": "What we collect, why we collect it, and what you can ask us to do with it.",
        "body": [
            paragraph(DEMO_NOTE),
            heading("What we collect"),
            paragraph(
                "<p>When you buy something we need your name, your email address and, for physical "
                "goods, a delivery address. Payments are handled by our payment provider, Stripe: your "
                "card details go to them directly and never reach our servers.</p>"
            ),
            heading("Why we collect it"),
            paragraph(
                "<ul><li>To deliver what you bought, and to let you download it again later.</li>"
                "<li>To answer you when you write to us.</li><li>To meet our legal duty to keep records "
                "of sales.</li></ul><p>We don't sell your data, and we don't send marketing email unless "
                "you ask for it.</p>"
            ),
            heading("Cookies"),
            paragraph(
                "<p>We use only the cookies the shop needs to work: one to keep your basket and one to "
                "keep you signed in. Embedded videos use YouTube's privacy-enhanced mode.</p>"
            ),
            heading("Your rights"),
            paragraph(
                "<p>You can ask for a copy of the data we hold about you, ask us to correct it, or ask us "
                "to delete it (we keep order records for as long as tax law requires). "
                + page_link("contact", "Write to us")
                + " and we will reply within a month.</p>"
            ),
        ],
    },
    {
        "key": "terms",
        "slug": "terms-of-service",
        "title": "Terms of service",
        "search_description": "The terms for buying from Northwind Studio and using what you buy.",
        "intro": "The terms for buying from us and using what you buy, in plain words.",
        "body": [
            paragraph(DEMO_NOTE),
            heading("Buying"),
            paragraph(
                "<p>Prices are in US dollars and include any taxes we are required to charge. An order is "
                "confirmed when payment succeeds; you will get a confirmation email straight away.</p>"
            ),
            heading("Digital products"),
            paragraph(
                "<p>Digital products are licensed, not sold. Our standard licence lets one person use the "
                "files in unlimited personal and commercial projects. You may not resell, share or "
                "redistribute the files themselves, or include them in another product of the same "
                "kind.</p>"
            ),
            heading("Physical products"),
            paragraph(
                "<p>We ship to the address you give at checkout. Risk passes to you on delivery. If a "
                "parcel goes missing, tell us within 30 days and we will resend or refund it.</p>"
            ),
            heading("Changes"),
            paragraph(
                "<p>We may update these terms. The version that applies to your order is the one on this "
                "page when you placed it.</p>"
            ),
        ],
    },
    {
        "key": "refunds",
        "slug": "refund-policy",
        "title": "Refund policy",
        "search_description": "How refunds work at Northwind Studio, for digital and physical products.",
        "intro": "If something isn't right, we want to fix it.",
        "body": [
            paragraph(DEMO_NOTE),
            heading("Digital products"),
            paragraph(
                "<p>Because files can't be returned, we don't normally refund digital products once they "
                "have been downloaded. But if a file won't open, isn't what the page described, or you "
                "bought the same thing twice, write to us within 30 days and we will refund you.</p>"
            ),
            heading("Physical products"),
            paragraph(
                "<p>Return anything unused within 30 days of delivery for a full refund of the item "
                "price. If it arrived damaged, send us a photo and we will replace it or refund it, "
                "including shipping.</p>"
            ),
            heading("How refunds are paid"),
            paragraph(
                "<p>Refunds go back to the card you paid with, usually within 5–10 working days. A refunded "
                "digital product is removed from your downloads.</p>"
            ),
            call_to_action(
                "Need a refund?",
                "Tell us your order email and what went wrong.",
                link("Contact us", page="contact"),
                style="subtle",
            ),
        ],
    },
]

INFO_PAGES.append(
    {
        "key": "club-library",
        "slug": "studio-club-library",
        "title": "Studio Club library",
        "members_only": CLUB_GROUP,
        "search_description": "Recorded workshops, monthly printables and early brush sets for Studio Club members.",
        "intro": "Welcome in. Everything here is for Studio Club members: workshops to watch at your own pace, "
        "this month's printable, and what is coming next.",
        "body": [
            heading("This month's workshop"),
            paragraph(
                "<p>Maya paints a harbour at dusk in four layers of gouache, then rebuilds it in Procreate "
                "with the Riverstone brushes, so you can see which habits carry over and which don't.</p>"
            ),
            video(SINTEL, "Workshop: a harbour at dusk, in paint and on a tablet"),
            heading("Coming up"),
            table(
                [
                    ["Month", "Workshop", "Printable"],
                    ["December", "Lettering a gift tag, with Tomás", "Holiday tag sheet"],
                    ["January", "Riso colour separations", "Year planner, 2027"],
                    ["February", "Texture from scans", "Paper grain swatch cards"],
                ],
                caption="The next three months in the Studio Club",
            ),
            paragraph("<p>Questions or ideas for a workshop? Reply to any Studio Club email: we read every one.</p>"),
        ],
    }
)

MENU_PAGES = {"shop", "journal", "about", "contact"}
