"""Generate the Teams app icons (color.png 192x192, outline.png 32x32) with the standard library.

Run `python -m manifest.make_icons` to rewrite both PNG files next to this module.
The output is deterministic, so the committed files can be compared with a fresh render.
"""

import itertools
import math
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

Rgb = tuple[int, int, int]
Shape = Callable[[float, float], bool]

ICON_DIR = Path(__file__).resolve().parent
COLOR_ICON_SIZE = 192
OUTLINE_ICON_SIZE = 32
ACCENT: Rgb = (0x1F, 0x7A, 0x5C)
WHITE: Rgb = (255, 255, 255)
SUPERSAMPLING = 4

# 5x7 block glyphs for the letters on the colour icon.
GLYPHS: dict[str, tuple[str, ...]] = {
    "A": (".###.", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"),
    "M": ("#...#", "##.##", "#.#.#", "#.#.#", "#...#", "#...#", "#...#"),
    "K": ("#...#", "#..#.", "#.#..", "##...", "#.#..", "#..#.", "#...#"),
}


def png_bytes(width: int, height: int, rgba_rows: list[bytes]) -> bytes:
    """Encode 8-bit RGBA rows as a PNG file (filter type 0 on every row)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    raw = b"".join(b"\x00" + row for row in rgba_rows)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def shield(center_x: float, top: float, half_width: float, height: float) -> Shape:
    """A shield: straight sides on the upper half, curving to a point at the bottom."""

    def inside(x: float, y: float) -> bool:
        t = (y - top) / height
        if t < 0.0 or t > 1.0:
            return False
        reach = 1.0 if t <= 0.5 else math.cos((t - 0.5) * math.pi)
        return abs(x - center_x) <= half_width * reach

    return inside


def polyline(points: list[tuple[float, float]], radius: float) -> Shape:
    """A stroke of the given radius along consecutive line segments."""

    def distance_to_segment(
        x: float, y: float, start: tuple[float, float], end: tuple[float, float]
    ) -> float:
        (ax, ay), (bx, by) = start, end
        dx, dy = bx - ax, by - ay
        t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
        return math.hypot(x - ax - t * dx, y - ay - t * dy)

    def inside(x: float, y: float) -> bool:
        return any(
            distance_to_segment(x, y, start, end) <= radius
            for start, end in itertools.pairwise(points)
        )

    return inside


def text_blocks(text: str, left: float, top: float, cell: float) -> Shape:
    """The given text in the 5x7 block font, each font pixel a square of `cell` pixels."""
    squares: set[tuple[int, int]] = set()
    for index, letter in enumerate(text):
        for row, line in enumerate(GLYPHS[letter]):
            for column, mark in enumerate(line):
                if mark == "#":
                    squares.add((index * 6 + column, row))

    def inside(x: float, y: float) -> bool:
        column = math.floor((x - left) / cell)
        row = math.floor((y - top) / cell)
        return (column, row) in squares

    return inside


def coverage(shape: Shape, px: int, py: int) -> float:
    """The fraction of pixel (px, py) that the shape covers, by supersampling."""
    step = 1.0 / SUPERSAMPLING
    hits = sum(
        shape(px + (i + 0.5) * step, py + (j + 0.5) * step)
        for i in range(SUPERSAMPLING)
        for j in range(SUPERSAMPLING)
    )
    return hits / (SUPERSAMPLING * SUPERSAMPLING)


def mix(base: Rgb, top: Rgb, amount: float) -> Rgb:
    """Blend `top` over `base` with the given opacity."""
    r, g, b = (round(low + (high - low) * amount) for low, high in zip(base, top, strict=True))
    return (r, g, b)


def render_color_icon() -> bytes:
    """192x192 opaque icon: a white shield with "AMK" and a tick on the accent colour."""
    size = COLOR_ICON_SIZE
    layers: list[tuple[Shape, Rgb]] = [
        (shield(96.0, 22.0, 68.0, 152.0), WHITE),
        (text_blocks("AMK", 45.0, 42.0, 6.0), ACCENT),
        (polyline([(74.0, 116.0), (90.0, 132.0), (120.0, 102.0)], 6.0), ACCENT),
    ]
    rows = []
    for py in range(size):
        row = bytearray()
        for px in range(size):
            colour = ACCENT
            for shape, fill in layers:
                amount = coverage(shape, px, py)
                if amount > 0.0:
                    colour = mix(colour, fill, amount)
            row += bytes((*colour, 255))
        rows.append(bytes(row))
    return png_bytes(size, size, rows)


def render_outline_icon() -> bytes:
    """32x32 white-on-transparent icon: a shield outline with a tick."""
    size = OUTLINE_ICON_SIZE
    outer = shield(16.0, 2.0, 12.0, 28.0)
    inner = shield(16.0, 4.5, 9.5, 23.0)
    tick = polyline([(11.0, 16.0), (14.5, 19.5), (21.0, 12.5)], 1.4)

    def outline(x: float, y: float) -> bool:
        return (outer(x, y) and not inner(x, y)) or tick(x, y)

    rows = []
    for py in range(size):
        row = bytearray()
        for px in range(size):
            alpha = round(coverage(outline, px, py) * 255)
            row += bytes((*WHITE, alpha))
        rows.append(bytes(row))
    return png_bytes(size, size, rows)


def main() -> None:
    """Write color.png and outline.png next to this module."""
    (ICON_DIR / "color.png").write_bytes(render_color_icon())
    (ICON_DIR / "outline.png").write_bytes(render_outline_icon())


if __name__ == "__main__":
    main()
