"""Artwork for the demo store, drawn with Pillow.

Every picture comes from a named painter and a seed, so the same name always gives the same
bytes: no downloads, and a second run can recognise a file it already wrote.
"""

import io
import math
import random
from functools import cache
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT_FILES = {
    "sans": "DejaVuSans.ttf",
    "sans-bold": "DejaVuSans-Bold.ttf",
    "sans-light": "DejaVuSans-ExtraLight.ttf",
    "serif": "DejaVuSerif.ttf",
    "serif-bold": "DejaVuSerif-Bold.ttf",
    "serif-italic": "DejaVuSerif-Italic.ttf",
    "mono": "DejaVuSansMono.ttf",
}

HERO = (1920, 1280)
PRODUCT = (1600, 1200)
SQUARE = (800, 800)

# The studio's palette; the site settings use the same teal and apricot.
TEAL = "#0f5e63"
INK = "#1d2b3a"
APRICOT = "#f4a259"
SAND = "#f4ecd8"
CREAM = "#fbf7ef"
SAGE = "#8fb39a"
CORAL = "#e76f51"
SKY = "#a8dadc"
PLUM = "#6d597a"
MUSTARD = "#e9c46a"
RISO_PINK = "#ff48b0"
RISO_BLUE = "#0078bf"


def rng_for(name):
    """A random generator seeded from a picture's name: deterministic, and different per picture."""
    return seeded(sum((i + 1) * ord(ch) for i, ch in enumerate(name)))


def seeded(seed):
    return random.Random(seed)  # noqa: S311 - artwork, not security  # nosec B311


@cache
def font(size, style="sans"):
    try:
        return ImageFont.truetype(str(FONT_DIR / FONT_FILES[style]), size)
    except OSError:
        return ImageFont.load_default(size=size)


def rgb(colour):
    if isinstance(colour, tuple):
        return colour[:3]
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))


def mix(a, b, t):
    a, b = rgb(a), rgb(b)
    return tuple(round(a[i] + (b[i] - a[i]) * t) for i in range(3))


def rgba(colour, alpha):
    return (*rgb(colour), alpha)


# Backgrounds ---------------------------------------------------------------------------------


def gradient(size, start, end, direction="diagonal"):
    """A smooth two-colour gradient, made small and scaled up (fast at any size)."""
    vertical = Image.linear_gradient("L")
    if direction == "vertical":
        mask = vertical
    elif direction == "horizontal":
        mask = vertical.rotate(90)
    else:
        mask = Image.blend(vertical, vertical.rotate(90), 0.5)
    mask = mask.resize(size, Image.Resampling.BICUBIC)
    return Image.composite(Image.new("RGB", size, rgb(end)), Image.new("RGB", size, rgb(start)), mask)


def glow(canvas, rng, colours, count=5, alpha=150):
    """Soft blurred discs of colour, drawn at an eighth of the size and scaled up."""
    w, h = canvas.size
    small = Image.new("RGBA", (w // 8, h // 8), (0, 0, 0, 0))
    draw = ImageDraw.Draw(small, "RGBA")
    for i in range(count):
        r = rng.uniform(0.12, 0.3) * small.width
        x, y = rng.uniform(0, small.width), rng.uniform(0, small.height)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=rgba(colours[i % len(colours)], alpha))
    small = small.filter(ImageFilter.GaussianBlur(small.width / 14))
    layer = small.resize((w, h), Image.Resampling.BICUBIC)
    canvas.paste(layer, (0, 0), layer)
    return canvas


@cache
def _noise_tile(seed, size=256):
    generator = seeded(seed)
    return Image.frombytes("L", (size, size), generator.randbytes(size * size))


def noise(size, seed, blur=0.0):
    """Grey noise covering `size`, tiled from a seeded square."""
    tile = _noise_tile(seed)
    out = Image.new("L", size)
    for x in range(0, size[0], tile.width):
        for y in range(0, size[1], tile.height):
            out.paste(tile, (x, y))
    return out.filter(ImageFilter.GaussianBlur(blur)) if blur else out


def shade(canvas, relief):
    """Lighten or darken each pixel by a grey map centred on 128."""
    return ImageChops.add(canvas, Image.merge("RGB", (relief, relief, relief)), scale=1.0, offset=-128)


def grain(canvas, seed=7, strength=0.05):
    """A faint film grain over the whole picture."""
    return shade(canvas, noise(canvas.size, seed).point(lambda v: round(128 + (v - 128) * strength)))


def backdrop(size, rng, start, end, glows=(), direction="diagonal"):
    canvas = gradient(size, start, end, direction)
    if glows:
        glow(canvas, rng, glows, count=len(glows) + 2)
    return canvas


# Placing things -----------------------------------------------------------------------------


def place(canvas, sprite, centre, angle=0.0, shadow=0.35, lift=None):
    """Paste an RGBA sprite centred on `centre` (fractions of the canvas), with a soft drop shadow."""
    if angle:
        sprite = sprite.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True)
    cx, cy = centre[0] * canvas.width, centre[1] * canvas.height
    x, y = round(cx - sprite.width / 2), round(cy - sprite.height / 2)
    if shadow:
        lift = lift if lift is not None else max(8, sprite.height // 30)
        pad = lift * 3
        alpha = sprite.getchannel("A").point(lambda v: round(v * shadow))
        mask = Image.new("L", (sprite.width + 2 * pad, sprite.height + 2 * pad), 0)
        mask.paste(alpha, (pad, pad))
        mask = mask.filter(ImageFilter.GaussianBlur(lift))
        canvas.paste((12, 20, 28), (x - pad, y - pad + lift), mask)
    canvas.paste(sprite, (x, y), sprite)
    return canvas


def rounded_mask(size, radius):
    mask = Image.new("L", size, 0)
    ImageDraw.Draw(mask).rounded_rectangle((0, 0, size[0] - 1, size[1] - 1), radius, fill=255)
    return mask


def text_centre(draw, xy, text, fnt, fill):
    draw.text(xy, text, font=fnt, fill=fill, anchor="mm")


# Marks and strokes --------------------------------------------------------------------------


def gouache_strokes(layer, rng, colours, count=7, width=(40, 90), area=None):
    """Thick, slightly dry strokes of opaque paint, as a round brush leaves them."""
    draw = ImageDraw.Draw(layer, "RGBA")
    x0, y0, x1, y1 = area or (0, 0, layer.width, layer.height)
    for i in range(count):
        colour = rgb(colours[i % len(colours)])
        thickness = rng.uniform(*width)
        start_x = rng.uniform(x0, x0 + (x1 - x0) * 0.25)
        length = rng.uniform(0.55, 0.8) * (x1 - x0)
        base_y = y0 + (i + 0.6) * (y1 - y0) / (count + 0.2)
        wave = rng.uniform(0.2, 0.6) * thickness
        phase = rng.uniform(0, math.tau)
        steps = int(length / 5)
        for s in range(steps):
            t = s / steps
            px = start_x + t * length
            py = base_y + math.sin(phase + t * 4) * wave
            pressure = math.sin(math.pi * min(1, t * 1.3)) ** 0.6
            r = thickness / 2 * (0.35 + 0.65 * pressure)
            shade = mix(colour, (255, 255, 255), rng.uniform(0, 0.12))
            draw.ellipse((px - r, py - r, px + r, py + r), fill=(*shade, 70))
        for _ in range(6):
            # Bristle marks: they follow the stroke and stay inside its swelling outline.
            lane = rng.uniform(-0.8, 0.8)
            tail = rng.uniform(0.7, 0.95)
            points = []
            for k in range(21):
                t = 0.1 + (tail - 0.1) * k / 20
                pressure = math.sin(math.pi * min(1, t * 1.3)) ** 0.6
                r = thickness / 2 * (0.35 + 0.65 * pressure)
                points.append((start_x + t * length, base_y + math.sin(phase + t * 4) * wave + lane * r))
            draw.line(points, fill=(*mix(colour, INK, 0.2), 60), width=max(2, round(thickness / 18)))
    return layer


def halftone(draw, box, colour, cell=18, falloff=(0.15, 0.95), angle_bias=0.0):
    """A field of dots that grow across the box, like a riso screen."""
    x0, y0, x1, y1 = box
    cols, rows = int((x1 - x0) / cell), int((y1 - y0) / cell)
    for row in range(rows):
        for col in range(cols):
            t = (col / max(cols - 1, 1)) * (1 - angle_bias) + (row / max(rows - 1, 1)) * angle_bias
            r = cell / 2 * (falloff[0] + (falloff[1] - falloff[0]) * t)
            cx, cy = x0 + (col + 0.5) * cell, y0 + (row + 0.5) * cell
            draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=colour)


def star_points(cx, cy, outer, inner, points=5, rotation=-math.pi / 2):
    coords = []
    for k in range(points * 2):
        radius = outer if k % 2 == 0 else inner
        angle = rotation + k * math.pi / points
        coords.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    return coords


# Objects ------------------------------------------------------------------------------------


def device(size, screen, radius_ratio=0.06, bezel_ratio=0.045, body=INK):
    """A tablet or phone with `screen` (an RGB image) fitted into its display."""
    w, h = size
    sprite = Image.new("RGBA", size, (0, 0, 0, 0))
    radius = round(min(w, h) * radius_ratio * 1.6)
    ImageDraw.Draw(sprite).rounded_rectangle((0, 0, w - 1, h - 1), radius, fill=rgb(body))
    bezel = round(min(w, h) * bezel_ratio)
    inner = (w - 2 * bezel, h - 2 * bezel)
    screen = screen.resize(inner, Image.Resampling.LANCZOS)
    sprite.paste(screen, (bezel, bezel), rounded_mask(inner, max(4, radius - bezel)))
    highlight = Image.new("RGBA", size, (255, 255, 255, 0))
    ImageDraw.Draw(highlight).polygon([(0, 0), (w * 0.55, 0), (w * 0.25, h), (0, h)], fill=(255, 255, 255, 14))
    sprite.alpha_composite(
        Image.composite(highlight, Image.new("RGBA", size, (0, 0, 0, 0)), rounded_mask(size, radius))
    )
    return sprite


def painting_screen(size, rng, colours, paper=CREAM):
    screen = Image.new("RGB", size, rgb(paper))
    gouache_strokes(screen, rng, colours, count=6, width=(size[1] * 0.07, size[1] * 0.13))
    draw = ImageDraw.Draw(screen)
    bar = round(size[1] * 0.06)
    draw.rectangle((0, 0, size[0], bar), fill=rgb("#2b3a4a"))
    for i, colour in enumerate(colours[:5]):
        cx = size[0] - bar * (i + 1) * 1.1
        draw.ellipse((cx - bar * 0.32, bar * 0.18, cx + bar * 0.32, bar * 0.82), fill=rgb(colour))
    draw.rounded_rectangle((bar * 0.4, bar * 0.2, bar * 3.2, bar * 0.8), bar // 4, fill=rgb("#3d4f61"))
    return screen


def paper_texture(size, seed, tint=CREAM, relief=0.55, blur=1.1, fibres=0):
    """Paper with a raised grain (embossed noise), optionally flecked with fibres."""
    grain_map = noise(size, seed, blur=blur).filter(ImageFilter.EMBOSS)
    grain_map = grain_map.point(lambda v: round(128 + (v - 128) * relief))
    paper = shade(Image.new("RGB", size, rgb(tint)), grain_map)
    if fibres:
        generator = seeded(seed)
        draw = ImageDraw.Draw(paper, "RGBA")
        for _ in range(fibres):
            x, y = generator.uniform(0, size[0]), generator.uniform(0, size[1])
            length, angle = generator.uniform(6, 24), generator.uniform(0, math.pi)
            draw.line(
                (x, y, x + length * math.cos(angle), y + length * math.sin(angle)),
                fill=(*mix(tint, INK, 0.35), 70),
                width=1,
            )
    return paper


def canvas_weave(size, tint):
    paper = Image.new("RGB", size, rgb(tint))
    draw = ImageDraw.Draw(paper, "RGBA")
    shade = (*mix(tint, INK, 0.3), 40)
    for x in range(0, size[0], 6):
        draw.line((x, 0, x, size[1]), fill=shade, width=2)
    for y in range(0, size[1], 6):
        draw.line((0, y, size[0], y), fill=(*mix(tint, (255, 255, 255), 0.5), 50), width=2)
    return paper


def lettering_sheet(size, title="Downstrokes", letters="aabbcc", phrase=False):
    """A practice page: guidelines, slant lines and grey letters to trace.

    Rows show pairs of letters from `letters`, or with `phrase` the words of `letters`, repeated.
    """
    w, h = size
    page = Image.new("RGB", size, rgb("#fffdf8"))
    draw = ImageDraw.Draw(page, "RGBA")
    margin = round(w * 0.08)
    draw.text((margin, margin * 0.7), title, font=font(round(h * 0.035), "serif-bold"), fill=rgb(INK))
    draw.text(
        (w - margin, h - margin * 0.45),
        "NORTHWIND STUDIO",
        font=font(round(h * 0.013), "sans-bold"),
        fill=rgb(TEAL),
        anchor="rs",
    )
    units = letters.split() if phrase else [letters[i : i + 2] for i in range(0, len(letters), 2)]
    row_h = (h - margin * 2.4) / 6
    letter_font = font(round(row_h * 0.55), "serif-italic")
    slant = math.tan(math.radians(35))
    for row in range(6):
        top = margin * 1.6 + row * row_h
        base = top + row_h * 0.72
        x_height = top + row_h * 0.42
        ascender = top + row_h * 0.12
        for sx in range(margin, w - margin, 40):
            if sx + (base - ascender) * slant < w - margin:
                draw.line((sx, base, sx + (base - ascender) * slant, ascender), fill=(*rgb(SKY), 60), width=1)
        draw.line((margin, ascender, w - margin, ascender), fill=(*rgb(SKY), 200), width=2)
        draw.line((margin, x_height, w - margin, x_height), fill=(*rgb(CORAL), 110), width=2)
        draw.line((margin, base, w - margin, base), fill=(*rgb(INK), 170), width=3)
        unit = units[row % len(units)]
        gap = row_h * (0.45 if phrase else 0.3)
        x = margin + 10
        repeat = 0
        while x + letter_font.getlength(unit) < w - margin:
            # The first copies are dark enough to trace; the rest are ghosts to copy freehand.
            shade = 95 if repeat < 2 else 35
            draw.text((x, base), unit, font=letter_font, fill=(*rgb(INK), shade), anchor="ls")
            x += letter_font.getlength(unit) + gap
            repeat += 1
    return page.convert("RGBA")


def planner_sheet(size, accent=TEAL):
    w, h = size
    page = Image.new("RGB", size, rgb("#fffefa"))
    draw = ImageDraw.Draw(page, "RGBA")
    margin = round(w * 0.06)
    draw.text((margin, margin * 0.6), "This week", font=font(round(h * 0.04), "serif-bold"), fill=rgb(INK))
    draw.text(
        (w - margin, margin * 0.75),
        "MON 3 — SUN 9",
        font=font(round(h * 0.018), "sans-bold"),
        fill=rgb(accent),
        anchor="ra",
    )
    days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Weekend"]
    top = margin * 1.8
    col_w = (w - 2 * margin) / 2
    row_h = (h * 0.68 - top) / 3
    small = font(round(h * 0.017), "sans-bold")
    for i, day in enumerate(days):
        col, row = i % 2, i // 2
        x, y = margin + col * col_w, top + row * row_h
        draw.rounded_rectangle((x + 6, y + 6, x + col_w - 6, y + row_h - 6), 10, outline=rgb("#d9d4c7"), width=2)
        draw.text((x + 22, y + 18), day.upper(), font=small, fill=rgb(accent))
        for line in range(1, 5):
            ly = y + 30 + line * (row_h - 40) / 5
            draw.line((x + 22, ly, x + col_w - 26, ly), fill=rgb("#ebe6da"), width=2)
    habits_top = h * 0.71
    draw.text((margin, habits_top), "HABITS", font=small, fill=rgb(accent))
    cell = (w - 2 * margin - 180) / 7
    for row in range(3):
        for col in range(7):
            cx = margin + 180 + col * cell + cell / 2
            cy = habits_top + 60 + row * cell * 0.8
            filled = (row * 3 + col * 2) % 5 < 3
            radius = cell * 0.22
            box = (cx - radius, cy - radius, cx + radius, cy + radius)
            draw.ellipse(box, fill=rgb(accent) if filled else None, outline=rgb(accent), width=2)
        draw.text(
            (margin, habits_top + 60 + row * cell * 0.8),
            ["Sketch", "Walk", "Read"][row],
            font=font(round(h * 0.02), "serif-italic"),
            fill=rgb(INK),
            anchor="lm",
        )
    return page.convert("RGBA")


def with_mask(picture, mask):
    """An RGB picture made into a sprite: transparent wherever the mask is black."""
    sprite = picture.convert("RGBA")
    sprite.putalpha(mask)
    return sprite


def notebook(size, cover=TEAL, open_page=False, seed=3):
    w, h = size
    mask = Image.new("L", size, 0)
    outline = ImageDraw.Draw(mask)
    if open_page:
        picture = Image.new("RGB", size, rgb("#fffdf6"))
        draw = ImageDraw.Draw(picture, "RGBA")
        for side in (0, 1):
            x0 = side * w / 2
            outline.rounded_rectangle((x0, 0, x0 + w / 2, h - 1), 18, fill=255)
            for gx in range(int(x0 + 50), int(x0 + w / 2 - 30), 36):
                for gy in range(50, h - 30, 36):
                    draw.ellipse((gx - 2.5, gy - 2.5, gx + 2.5, gy + 2.5), fill=rgb("#b9b3a5"))
        for i in range(40):
            for x in (w / 2 - i, w / 2 + i):
                draw.line((x, 0, x, h), fill=(0, 0, 0, max(0, 36 - i)))
        generator = seeded(seed)
        gouache_strokes(picture, generator, [CORAL, SKY, MUSTARD], count=3, area=(w * 0.55, h * 0.1, w, h * 0.6))
        draw.text(
            (w * 0.08, h * 0.1), "ideas, tuesday", font=font(round(h * 0.05), "serif-italic"), fill=(*rgb(INK), 200)
        )
        return with_mask(picture, mask)
    outline.rounded_rectangle((0, 0, w - 1, h - 1), 26, fill=255)
    picture = Image.new("RGB", size, rgb(cover))
    draw = ImageDraw.Draw(picture, "RGBA")
    draw.rectangle((0, 0, 24, h), fill=mix(cover, INK, 0.35))
    picture = shade(picture, noise(size, seed, blur=0.8).point(lambda v: round(128 + (v - 128) * 0.08)))
    draw = ImageDraw.Draw(picture, "RGBA")
    band_x = w * 0.86
    draw.rectangle((band_x, 0, band_x + w * 0.035, h), fill=rgb(APRICOT))
    draw.rectangle((band_x, 0, band_x + 4, h), fill=mix(APRICOT, INK, 0.3))
    mark = round(w * 0.2)
    cx, cy = w * 0.45, h * 0.4
    pale = mix(cover, (255, 255, 255), 0.35)
    draw.ellipse((cx - mark, cy - mark, cx + mark, cy + mark), outline=pale, width=5)
    arrow = [
        (cx, cy - mark * 0.65),
        (cx + mark * 0.32, cy + mark * 0.45),
        (cx, cy + mark * 0.2),
        (cx - mark * 0.32, cy + mark * 0.45),
    ]
    draw.polygon(arrow, fill=pale)
    paler = mix(cover, (255, 255, 255), 0.45)
    draw.text((cx, h * 0.78), "STUDIO NOTEBOOK", font=font(round(h * 0.035), "sans-bold"), fill=paler, anchor="mm")
    draw.text((cx, h * 0.84), "A5 · dot grid · 160 pages", font=font(round(h * 0.024), "sans"), fill=pale, anchor="mm")
    return with_mask(picture, mask)


def riso_art(size, title="NORTHERN LIGHTS", seed=5):
    """A two-colour risograph print: overlapping shapes multiply where they cross."""
    w, h = size
    generator = seeded(seed)
    paper = paper_texture(size, seed, tint="#f7f1e3", relief=0.35)
    pink = Image.new("RGB", size, (255, 255, 255))
    blue = Image.new("RGB", size, (255, 255, 255))
    dp, db = ImageDraw.Draw(pink), ImageDraw.Draw(blue)
    for i in range(5):
        y = h * (0.12 + i * 0.1)
        amplitude = h * 0.05
        points = [(x, y + amplitude * math.sin(x / w * math.tau * 1.2 + i)) for x in range(-20, w + 40, 20)]
        db.line(points, fill=rgb(RISO_BLUE), width=round(h * 0.03))
    r = w * 0.3
    dp.ellipse((w * 0.5 - r, h * 0.5 - r, w * 0.5 + r, h * 0.5 + r), fill=rgb(RISO_PINK))
    halftone(db, (0, h * 0.55, w, h * 0.86), rgb(RISO_BLUE), cell=max(10, w // 40), angle_bias=0.8)
    for _ in range(14):
        sx, sy = generator.uniform(w * 0.08, w * 0.92), generator.uniform(h * 0.06, h * 0.45)
        dp.polygon(star_points(sx, sy, w * 0.012, w * 0.005), fill=rgb(RISO_PINK))
    print_layer = ImageChops.multiply(pink, blue)
    misregister = ImageChops.offset(print_layer, 3, -2)
    art = ImageChops.multiply(paper, misregister)
    draw = ImageDraw.Draw(art)
    draw.text((w / 2, h * 0.92), title, font=font(round(w * 0.07), "sans-bold"), fill=rgb(RISO_BLUE), anchor="mm")
    return art


def framed(art, frame=INK, mat="#fbfaf6"):
    w, h = art.size
    border, mat_w = round(w * 0.035), round(w * 0.08)
    size = (w + 2 * (border + mat_w), h + 2 * (border + mat_w))
    sprite = Image.new("RGBA", size, rgba(frame, 255))
    ImageDraw.Draw(sprite).rectangle((border, border, size[0] - border - 1, size[1] - border - 1), fill=rgb(mat))
    sprite.paste(art, (border + mat_w, border + mat_w))
    return sprite


def sticker_sheet(size, seed=11):
    w, h = size
    sprite = Image.new("RGB", size, (255, 255, 255))
    draw = ImageDraw.Draw(sprite, "RGBA")
    draw.rectangle((0, 0, w - 1, h - 1), outline=rgb("#e5e0d5"), width=3)
    generator = seeded(seed)
    colours = [TEAL, CORAL, MUSTARD, SKY, PLUM, APRICOT, SAGE]
    cols, rows = 3, 4
    cell_w, cell_h = w / cols, (h - h * 0.08) / rows
    for row in range(rows):
        for col in range(cols):
            cx, cy = (col + 0.5) * cell_w, h * 0.08 + (row + 0.5) * cell_h
            r = min(cell_w, cell_h) * 0.36
            colour = rgb(colours[(row * cols + col) % len(colours)])
            shape = (row + col * 2) % 4
            draw.ellipse((cx - r - 6, cy - r - 6, cx + r + 6, cy + r + 6), outline=rgb("#d8d2c4"), width=2)
            if shape == 0:
                draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=colour)
                draw.ellipse((cx - r * 0.35, cy - r * 0.35, cx + r * 0.35, cy + r * 0.35), fill=rgb(CREAM))
            elif shape == 1:
                draw.polygon(star_points(cx, cy, r, r * 0.45), fill=colour)
            elif shape == 2:
                draw.rounded_rectangle((cx - r, cy - r * 0.7, cx + r, cy + r * 0.7), r * 0.3, fill=colour)
                draw.text((cx, cy), "make", font=font(round(r * 0.45), "serif-italic"), fill=rgb(CREAM), anchor="mm")
            else:
                draw.polygon([(cx, cy - r), (cx + r, cy + r * 0.8), (cx - r, cy + r * 0.8)], fill=colour)
                draw.ellipse((cx - r * 0.2, cy + r * 0.05, cx + r * 0.2, cy + r * 0.45), fill=rgb(CREAM))
            if generator.random() < 0.3:
                draw.arc(
                    (cx - r * 0.8, cy - r * 0.8, cx + r * 0.8, cy + r * 0.8), 200, 300, fill=rgb("#ffffff"), width=4
                )
    draw.text(
        (w * 0.06, h * 0.04),
        "NORTHWIND · LETTERPRESS STICKERS",
        font=font(round(h * 0.025), "sans-bold"),
        fill=rgb(INK),
        anchor="lm",
    )
    return sprite.convert("RGBA")


def tote(size, fabric="#e9dfc7", print_colour=INK):
    w, h = size
    body_top = round(h * 0.34)
    picture = Image.new("RGB", size, rgb(mix(fabric, INK, 0.12)))
    mask = Image.new("L", size, 0)
    handle_w = round(w * 0.06)
    for offset in (-0.17, 0.17):
        cx = w / 2 + offset * w
        box = (cx - w * 0.16, h * 0.02, cx + w * 0.16, body_top * 1.9)
        ImageDraw.Draw(mask).arc(box, 180, 360, fill=255, width=handle_w)
    ImageDraw.Draw(mask).rectangle((0, body_top, w, h), fill=255)
    picture.paste(canvas_weave((w, h - body_top), fabric), (0, body_top))
    draw = ImageDraw.Draw(picture, "RGBA")
    draw.rectangle((0, body_top, w - 1, body_top + h * 0.03), fill=mix(fabric, INK, 0.1))
    middle = body_top + (h - body_top) * 0.42
    draw.text((w / 2, middle), "make", font=font(round(w * 0.2), "serif-italic"), fill=rgb(print_colour), anchor="mm")
    lower = body_top + (h - body_top) * 0.66
    draw.text((w / 2, lower), "things.", font=font(round(w * 0.16), "serif-bold"), fill=rgb(CORAL), anchor="mm")
    draw.text(
        (w / 2, h - h * 0.08),
        "NORTHWIND STUDIO",
        font=font(round(w * 0.035), "sans-bold"),
        fill=(*rgb(print_colour), 200),
        anchor="mm",
    )
    return with_mask(picture, mask)


def story_screen(size, variant=0):
    """A vertical social-story layout, as the template pack ships it."""
    w, h = size
    palettes = [(CORAL, CREAM, INK), (TEAL, SAND, CREAM), (MUSTARD, INK, INK), (PLUM, SKY, CREAM)]
    background, block, text = palettes[variant % len(palettes)]
    screen = Image.new("RGB", size, rgb(background))
    draw = ImageDraw.Draw(screen)
    if variant % 4 == 0:
        draw.ellipse((w * 0.1, h * 0.18, w * 0.9, h * 0.18 + w * 0.8), fill=rgb(block))
        draw.text((w / 2, h * 0.66), "NEW DROP", font=font(round(w * 0.13), "sans-bold"), fill=rgb(text), anchor="mm")
        draw.text(
            (w / 2, h * 0.74),
            "gouache brushes for spring",
            font=font(round(w * 0.05), "serif-italic"),
            fill=rgb(text),
            anchor="mm",
        )
    elif variant % 4 == 1:
        draw.rectangle((0, h * 0.55, w, h), fill=rgb(block))
        draw.text((w * 0.1, h * 0.2), "Studio", font=font(round(w * 0.16), "serif-bold"), fill=rgb(text), anchor="ls")
        draw.text((w * 0.1, h * 0.3), "notes", font=font(round(w * 0.16), "serif-italic"), fill=rgb(text), anchor="ls")
        for i in range(4):
            y = h * (0.62 + i * 0.08)
            draw.line((w * 0.1, y, w * 0.9, y), fill=rgb(background), width=4)
    elif variant % 4 == 2:
        for i in range(3):
            y = h * (0.12 + i * 0.27)
            draw.rounded_rectangle((w * 0.08, y, w * 0.92, y + h * 0.22), 24, fill=rgb(block) if i != 1 else rgb(CREAM))
        draw.text((w / 2, h * 0.37), "3 tips", font=font(round(w * 0.14), "sans-bold"), fill=rgb(INK), anchor="mm")
    else:
        halftone(draw, (0, 0, w, h * 0.6), rgb(block), cell=max(12, w // 16), angle_bias=1.0)
        draw.text((w / 2, h * 0.75), "Q & A", font=font(round(w * 0.18), "sans-bold"), fill=rgb(text), anchor="mm")
    return screen


def texture_swatch(size, kind, seed):
    if kind == "cold-press":
        return paper_texture(size, seed, tint="#f6f0e2", relief=0.75, blur=1.6)
    if kind == "hot-press":
        return paper_texture(size, seed, tint="#fbf8f1", relief=0.3, blur=0.6)
    if kind == "kraft":
        return paper_texture(size, seed, tint="#c9a77c", relief=0.5, blur=0.9, fibres=size[0] // 2)
    if kind == "newsprint":
        return paper_texture(size, seed, tint="#e8e4da", relief=0.45, blur=0.4, fibres=size[0] // 6)
    if kind == "canvas":
        return canvas_weave(size, "#efe6d2")
    tile = Image.new("RGB", size, rgb("#f3ede0"))
    halftone(ImageDraw.Draw(tile), (0, 0, *size), rgb(RISO_BLUE), cell=max(8, size[0] // 24), angle_bias=0.5)
    return tile


TEXTURE_KINDS = ["cold-press", "hot-press", "kraft", "newsprint", "canvas", "riso-screen"]


def swatch_card(size, kind, seed, label):
    w, h = size
    sprite = Image.new("RGBA", size, rgba("#ffffff", 255))
    swatch = texture_swatch((w - 24, round(h * 0.78)), kind, seed)
    sprite.paste(swatch, (12, 12))
    draw = ImageDraw.Draw(sprite)
    draw.text((18, h * 0.88), label, font=font(round(h * 0.065), "sans-bold"), fill=rgb(INK), anchor="lm")
    return sprite


def brush_stamp(size, seed):
    """A round, grainy brush tip: what a painting app stamps along a stroke."""
    w, h = size
    generator = seeded(seed)
    mask = Image.new("L", size, 0)
    draw = ImageDraw.Draw(mask)
    for _ in range(90):
        r = generator.uniform(0.04, 0.18) * w
        angle, dist = generator.uniform(0, math.tau), generator.uniform(0, 0.28) * w
        cx, cy = w / 2 + dist * math.cos(angle), h / 2 + dist * math.sin(angle)
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=generator.randint(120, 255))
    mask = mask.filter(ImageFilter.GaussianBlur(w / 60))
    grit = noise(size, seed).point(lambda v: 255 if v > 70 else 0)
    return ImageChops.multiply(mask, grit)


# Finished pictures --------------------------------------------------------------------------


def _finish(canvas):
    return grain(canvas.convert("RGB"))


def product_shot(name, subject, backdrop_colours, size=PRODUCT, angle=0.0, centre=(0.5, 0.52), zoom=None):
    rng = rng_for(name)
    start, end, *glows = backdrop_colours
    canvas = backdrop(size, rng, start, end, glows)
    place(canvas, subject, centre, angle=angle)
    if zoom:
        zx, zy, factor = zoom
        cw, ch = size[0] / factor, size[1] / factor
        left, top = zx * size[0] - cw / 2, zy * size[1] - ch / 2
        canvas = canvas.crop((round(left), round(top), round(left + cw), round(top + ch))).resize(
            size, Image.Resampling.LANCZOS
        )
    return _finish(canvas)


def flat_lay(name, items, backdrop_colours, size=PRODUCT):
    """Several objects on one surface: items are (sprite, (x, y), angle)."""
    rng = rng_for(name)
    start, end, *glows = backdrop_colours
    canvas = backdrop(size, rng, start, end, glows)
    for sprite, centre, angle in items:
        place(canvas, sprite, centre, angle=angle)
    return _finish(canvas)


def scaled(sprite, height):
    ratio = height / sprite.height
    return sprite.resize((round(sprite.width * ratio), round(height)), Image.Resampling.LANCZOS)


def colour_script(name, size=HERO):
    """A colour script: a film's scenes reduced to one colour strip each."""
    rng = rng_for(name)
    canvas = Image.new("RGB", size, rgb("#14181f"))
    draw = ImageDraw.Draw(canvas)
    acts = [(SKY, SAGE), (SAGE, MUSTARD), (MUSTARD, APRICOT), (CORAL, PLUM), (PLUM, INK), (TEAL, SKY)]
    cols, rows = 8, 4
    gap = 14
    cell_w = (size[0] - gap * (cols + 1)) / cols
    cell_h = (size[1] - gap * (rows + 1)) / rows
    for row in range(rows):
        for col in range(cols):
            k = row * cols + col
            act = acts[min(k * len(acts) // (cols * rows), len(acts) - 1)]
            t = (k % 5) / 5
            top_colour = mix(act[0], act[1], t)
            x0, y0 = gap + col * (cell_w + gap), gap + row * (cell_h + gap)
            frame = gradient((round(cell_w), round(cell_h)), top_colour, mix(top_colour, INK, 0.45), "vertical")
            fd = ImageDraw.Draw(frame)
            horizon = cell_h * rng.uniform(0.55, 0.75)
            fd.rectangle((0, horizon, cell_w, cell_h), fill=mix(top_colour, INK, 0.6))
            sun = cell_h * rng.uniform(0.1, 0.18)
            sx = cell_w * rng.uniform(0.2, 0.8)
            fd.ellipse((sx - sun, horizon - sun * 2.2, sx + sun, horizon - sun * 0.2), fill=mix(top_colour, CREAM, 0.6))
            canvas.paste(frame, (round(x0), round(y0)))
    draw.rectangle((0, 0, size[0], gap - 4), fill=rgb("#14181f"))
    return _finish(canvas)


def avatar(name, skin, hair, top, background, style="short", size=SQUARE):
    """A friendly, faceless portrait: head and shoulders on a soft backdrop."""
    rng = rng_for(name)
    w, h = size
    canvas = backdrop(size, rng, background[0], background[1], [background[2]])
    draw = ImageDraw.Draw(canvas, "RGBA")
    draw.ellipse((w * 0.14, h * 0.68, w * 0.86, h * 1.35), fill=rgb(top))
    if style == "long":
        draw.rounded_rectangle((w * 0.27, h * 0.2, w * 0.73, h * 0.82), w * 0.2, fill=rgb(hair))
    draw.rectangle((w * 0.43, h * 0.52, w * 0.57, h * 0.72), fill=rgb(mix(skin, INK, 0.12)))
    if style == "bun":
        draw.ellipse((w * 0.41, h * 0.08, w * 0.59, h * 0.26), fill=rgb(hair))
    draw.ellipse((w * 0.29, h * 0.2, w * 0.71, h * 0.6), fill=rgb(hair))
    if style != "long":
        draw.ellipse((w * 0.29, h * 0.4, w * 0.34, h * 0.5), fill=rgb(mix(skin, INK, 0.1)))
        draw.ellipse((w * 0.66, h * 0.4, w * 0.71, h * 0.5), fill=rgb(mix(skin, INK, 0.1)))
    draw.ellipse((w * 0.32, h * 0.25, w * 0.68, h * 0.64), fill=rgb(skin))
    if style == "long":
        draw.chord((w * 0.29, h * 0.18, w * 0.71, h * 0.52), 160, 380, fill=rgb(hair))
    else:
        draw.chord((w * 0.29, h * 0.18, w * 0.71, h * 0.48), 180, 360, fill=rgb(hair))
    if style == "beard":
        draw.chord((w * 0.32, h * 0.3, w * 0.68, h * 0.66), 20, 160, fill=rgb(hair))
        draw.ellipse((w * 0.43, h * 0.53, w * 0.57, h * 0.58), fill=rgb(skin))
    draw.ellipse((w * 0.36, h * 0.46, w * 0.42, h * 0.5), fill=(*rgb(CORAL), 60))
    draw.ellipse((w * 0.58, h * 0.46, w * 0.64, h * 0.5), fill=(*rgb(CORAL), 60))
    return _finish(canvas)


def logo(size=(512, 512)):
    """The studio's mark: a north arrow in a ring, on transparency."""
    scale = 4
    w, h = size[0] * scale, size[1] * scale
    mark = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(mark)
    draw.ellipse((0, 0, w - 1, h - 1), fill=rgb(TEAL))
    ring = w * 0.1
    draw.ellipse((ring, ring, w - ring, h - ring), outline=rgb(CREAM), width=round(w * 0.025))
    cx, cy = w / 2, h / 2
    draw.polygon([(cx, h * 0.2), (cx + w * 0.16, cy + h * 0.22), (cx, cy + h * 0.1)], fill=rgb(CREAM))
    draw.polygon([(cx, h * 0.2), (cx - w * 0.16, cy + h * 0.22), (cx, cy + h * 0.1)], fill=rgb(APRICOT))
    return mark.resize(size, Image.Resampling.LANCZOS)


def encode(picture, fmt="JPEG"):
    buffer = io.BytesIO()
    if fmt == "JPEG":
        picture.convert("RGB").save(buffer, "JPEG", quality=86, optimize=True, progressive=True)
    else:
        picture.save(buffer, "PNG", compress_level=6)
    return buffer.getvalue()


def pencil(length, thickness, body=MUSTARD):
    sprite = Image.new("RGBA", (length, thickness), (0, 0, 0, 0))
    draw = ImageDraw.Draw(sprite)
    tip = round(thickness * 2.4)
    draw.rectangle((tip, 0, length - thickness, thickness - 1), fill=rgb(body))
    draw.rectangle((tip, thickness * 0.35, length - thickness, thickness * 0.42), fill=rgb(mix(body, INK, 0.2)))
    draw.rectangle((length - thickness, 0, length - 1, thickness - 1), fill=rgb("#c0c4c8"))
    draw.polygon([(tip, 0), (tip, thickness - 1), (0, thickness / 2)], fill=rgb("#e8c9a0"))
    draw.polygon([(tip * 0.35, thickness * 0.32), (tip * 0.35, thickness * 0.68), (0, thickness / 2)], fill=rgb(INK))
    return sprite


def stamp_tiles(size, seed, colours):
    """The brushes in a pack, one tinted stamp per tile."""
    w, h = size
    sprite = Image.new("RGBA", size, rgba(CREAM, 255))
    cols, rows = 4, 3
    cell = min(w / cols, h / rows)
    names = [
        "Wet edge",
        "Dry drag",
        "Flat wash",
        "Rough round",
        "Chalky",
        "Stipple",
        "Soft fill",
        "Splatter",
        "Scumble",
        "Rigger",
        "Sponge",
        "Opaque",
    ]
    for k in range(cols * rows):
        col, row = k % cols, k // cols
        x0, y0 = col * cell + cell * 0.08, row * cell + cell * 0.05
        tile = round(cell * 0.84)
        stamp = brush_stamp((tile, tile), seed + k)
        colour_layer = Image.new("RGBA", (tile, tile), rgba(colours[k % len(colours)], 255))
        sprite.paste(colour_layer, (round(x0), round(y0)), stamp.point(lambda v: round(v * 0.92)))
        ImageDraw.Draw(sprite).text(
            (x0 + tile / 2, y0 + tile * 0.98),
            names[k],
            font=font(round(cell * 0.075), "sans-bold"),
            fill=rgb(INK),
            anchor="ms",
        )
    return sprite


def painting(size, seed, colours, paper="#f6f0e2"):
    canvas = paper_texture(size, seed, tint=paper, relief=0.6, blur=1.4)
    gouache_strokes(canvas, seeded(seed), colours, count=7, width=(size[1] * 0.06, size[1] * 0.12))
    return canvas
