"""SVG charts the report draws itself: bars, stacked bars and a Hilbert-curve map of
an IPv4 pool. Every function returns one `<svg>` element as text; every text it
writes (names are user data) is escaped here.

The pool map lays the pool's addresses along a Hilbert curve, so that a block of
addresses is a square (or a 2:1 rectangle) on the map and neighbours stay near. The
map has at most 4**MAX_ORDER cells, each a fixed-size slice of the pool; a cell
takes the state most of its addresses are in, and the county of the blocks in it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape

PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#59a14f",
    "#e15759",
    "#76b7b2",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#2f4b7c",
    "#a05195",
    "#665191",
)
"""Series and county colours, in order; more names than colours reuse them."""

STATE_COLOURS = {"free": "#eef0f3", "reserved": "#9ca3af", "quarantine": "#4b5563"}
"""Pool-map colours of the states that are not a county's."""

MAX_ORDER = 8
"""A pool map has at most 2**MAX_ORDER × 2**MAX_ORDER cells (256 × 256)."""

FONT = 'font-family="inherit" font-size="12"'


def text(value: object) -> str:
    """`value` as text safe inside an element or an attribute."""
    return escape(str(value), quote=True)


def colour(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def text_width(value: str) -> int:
    """About how wide `value` is at 12px: CJK characters are twice as wide as others."""
    return sum(12 if ord(c) >= 0x2E80 else 7 for c in value)


def clip(value: str, width: int) -> str:
    """`value`, cut with an ellipsis to about `width` pixels at 12px."""
    if text_width(value) <= width:
        return value
    while value and text_width(value) > width - 12:
        value = value[:-1]
    return value + "…"


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


# -- bars ---------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    """One named series of values, one per category (None: no value)."""

    name: str
    values: Sequence[float | None]


def bars(
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    unit: str = "",
    maximum: float | None = None,
    stacked: bool = False,
) -> str:
    """Horizontal bars, one row per category: grouped (one bar per series) or stacked.

    `maximum` fixes the scale (100 for percentages); by default the largest value
    (or stack) sets it.
    """
    longest = max((text_width(c) for c in categories), default=0)
    label_w, bar_w, right = min(300, max(90, longest + 14)), 420, 90
    bar_h = 16 if stacked or len(series) == 1 else 11
    row_h = (bar_h if stacked else bar_h * len(series)) + 10
    top = 28 + (22 if len(series) > 1 else 0)
    height = top + row_h * max(len(categories), 1) + 8
    width = label_w + bar_w + right

    def total(i: int) -> float:
        vals = [s.values[i] or 0 for s in series]
        return sum(vals) if stacked else max(vals, default=0)

    scale = maximum if maximum else max((total(i) for i in range(len(categories))), default=0)
    scale = scale or 1
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"'
        f' viewBox="0 0 {width} {height}" width="{width}" height="{height}">',
        f"<title>{text(title)}</title>",
    ]
    if len(series) > 1:
        lx = label_w
        for k, s in enumerate(series):
            out.append(f'<rect x="{lx}" y="8" width="12" height="12" fill="{colour(k)}"/>')
            out.append(f'<text x="{lx + 16}" y="18" {FONT}>{text(s.name)}</text>')
            lx += 30 + text_width(s.name)
    out.append(
        f'<line x1="{label_w}" y1="{top - 4}" x2="{label_w}" y2="{height - 8}" stroke="#888"/>'
    )
    if not categories:
        out.append(f'<text x="{label_w + 8}" y="{top + 12}" {FONT}>—</text>')
    for i, cat in enumerate(categories):
        y = top + i * row_h
        out.append(
            f'<text x="{label_w - 6}" y="{y + row_h / 2 + 2:.0f}" text-anchor="end" {FONT}>'
            f"{text(clip(cat, label_w - 14))}<title>{text(cat)}</title></text>"
        )
        x = float(label_w)
        shown: list[str] = []
        for k, s in enumerate(series):
            value = s.values[i]
            w = bar_w * (value or 0) / scale
            by = y if stacked else y + k * bar_h
            if value is not None and w > 0:
                out.append(
                    f'<rect class="bar" x="{x:.1f}" y="{by}" width="{w:.1f}"'
                    f' height="{bar_h - 1}" fill="{colour(k)}">'
                    f"<title>{text(s.name)}: {text(_num(value))}{text(unit)}</title></rect>"
                )
            if stacked:
                x += w
            else:
                shown.append("—" if value is None else f"{_num(value)}{unit}")
                out.append(
                    f'<text x="{label_w + w + 4:.1f}" y="{by + bar_h - 2}" {FONT}>'
                    f"{text(shown[-1])}</text>"
                )
        if stacked:
            out.append(
                f'<text x="{x + 4:.1f}" y="{y + bar_h - 3}" {FONT}>'
                f"{text(_num(total(i)))}{text(unit)}</text>"
            )
    out.append("</svg>")
    return "".join(out)


# -- the Hilbert map ------------------------------------------------------------


def hilbert_xy(order: int, d: int) -> tuple[int, int]:
    """The cell (x, y) of the `d`-th step along a Hilbert curve of 2**order × 2**order."""
    x = y = 0
    s = 1
    t = d
    while s < (1 << order):
        rx = 1 & (t // 2)
        ry = 1 & (t ^ rx)
        if ry == 0:
            if rx == 1:
                x, y = s - 1 - x, s - 1 - y
            x, y = y, x
        x += s * rx
        y += s * ry
        t //= 4
        s *= 2
    return x, y


@dataclass(frozen=True)
class Block:
    """A block of a pool for the map: its first address and size (addresses), its
    state (`assigned`: a container whose free space is still the owner's;
    `allocated`, `reserved`, `quarantine`) and its owner (a county, or None)."""

    start: int
    size: int
    state: str
    owner: str | None


def order_for(pool_size: int, max_order: int = MAX_ORDER) -> int:
    """The map's order for a pool of `pool_size` addresses: as fine as the pool allows,
    at most `max_order` (a map of 4**order cells, each a whole number of addresses)."""
    bits = pool_size.bit_length() - 1
    return min(max_order, bits // 2)


def cells(
    pool_start: int, pool_size: int, blocks: Sequence[Block], order: int
) -> list[tuple[str, str | None]]:
    """The state and owner of each cell along the curve.

    Each address counts in the deepest block that holds it (blocks nest: a block
    comes after the blocks that contain it, i.e. sorted by descending size); a cell
    takes the state holding most of its addresses, and the owner of the deepest
    block that reaches into it.
    """
    n = 1 << (2 * order)
    cell = pool_size // n
    states = ("free", "assigned", "allocated", "reserved", "quarantine")
    amount = {s: [0] * n for s in states}
    amount["free"] = [cell] * n
    owner: list[str | None] = [None] * n
    # each address's deepest block: a block takes its addresses from its parent's state
    stack: list[Block] = []
    for b in sorted(blocks, key=lambda b: (b.start, -b.size)):
        while stack and not (stack[-1].start <= b.start < stack[-1].start + stack[-1].size):
            stack.pop()
        parent_state = stack[-1].state if stack else "free"
        lo = max(b.start, pool_start) - pool_start
        hi = min(b.start + b.size, pool_start + pool_size) - pool_start
        if hi <= lo:
            continue
        for c in range(lo // cell, (hi - 1) // cell + 1):
            part = min(hi, (c + 1) * cell) - max(lo, c * cell)
            amount[b.state][c] += part
            amount[parent_state][c] -= part
            if b.owner is not None:
                owner[c] = b.owner
        stack.append(b)
    out: list[tuple[str, str | None]] = []
    for c in range(n):
        state = max(states, key=lambda s: amount[s][c])
        out.append((state, owner[c] if state in ("assigned", "allocated") else None))
    return out


def _pale(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#{:02x}{:02x}{:02x}".format(*(round(v + (255 - v) * 0.6) for v in (r, g, b)))


def hilbert_map(
    title: str,
    pool_start: int,
    pool_size: int,
    blocks: Sequence[Block],
    owners: Sequence[str],
    labels: dict[str, str],
    max_order: int = MAX_ORDER,
    pixels: int = 384,
    palette: Mapping[str, int] | None = None,
) -> str:
    """The pool's map with its legend: each owner in `owners` gets a colour
    (allocated: full, assigned but not yet allocated: pale); `labels` names the
    states in the reader's language (keys: allocated, assigned, reserved,
    quarantine, free, cell); `palette` fixes each owner's colour (by its index in
    PALETTE) so that several maps agree."""
    order = order_for(pool_size, max_order)
    grid = cells(pool_start, pool_size, blocks, order)
    index = dict(palette) if palette is not None else {o: i for i, o in enumerate(owners)}

    def fill(state: str, who: str | None) -> str:
        if state in ("assigned", "allocated") and who is not None:
            full = colour(index.get(who, len(owners)))
            return full if state == "allocated" else _pale(full)
        if state in ("assigned", "allocated"):
            return "#6b7280" if state == "allocated" else "#d1d5db"
        return STATE_COLOURS[state]

    side = 1 << order
    out_cells: list[str] = []

    def emit(d: int, k: int) -> None:
        """Cells d … d + 4**k − 1, a square of side 2**k: one rect if they agree."""
        span = 1 << (2 * k)
        first = fill(*grid[d])
        if k == 0 or all(fill(*grid[i]) == first for i in range(d, d + span)):
            x, y = hilbert_xy(order, d)
            x -= x % (1 << k)
            y -= y % (1 << k)
            if first != STATE_COLOURS["free"]:
                out_cells.append(
                    f'<rect class="cell" x="{x}" y="{y}" width="{1 << k}" height="{1 << k}"'
                    f' fill="{first}"/>'
                )
            return
        quarter = span // 4
        for q in range(4):
            emit(d + q * quarter, k - 1)

    emit(0, order)
    cell_size = pool_size >> (2 * order)
    legend_x = pixels + 20
    rows = [(colour(index.get(o, len(owners))), o) for o in owners]
    states = [
        ("#6b7280", labels["allocated"]),
        (_pale("#6b7280"), labels["assigned"]),
        (STATE_COLOURS["reserved"], labels["reserved"]),
        (STATE_COLOURS["quarantine"], labels["quarantine"]),
        (STATE_COLOURS["free"], labels["free"]),
    ]
    height = max(pixels + 40, 30 + 18 * (len(rows) + len(states) + 2))
    width = legend_x + 260
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart poolmap" role="img"'
        f' viewBox="0 0 {width} {height}" width="{width}" height="{height}">',
        f"<title>{text(title)}</title>",
        f'<svg x="0" y="0" width="{pixels}" height="{pixels}" viewBox="0 0 {side} {side}"'
        ' shape-rendering="crispEdges">',
        f'<rect x="0" y="0" width="{side}" height="{side}" fill="{STATE_COLOURS["free"]}"/>',
        *out_cells,
        "</svg>",
        f'<rect x="0" y="0" width="{pixels}" height="{pixels}" fill="none" stroke="#888"/>',
        f'<text x="0" y="{pixels + 18}" {FONT}>'
        f"{text(labels['cell'].format(side=side, size=cell_size))}</text>",
    ]
    y = 14
    for fill_colour, name in rows:
        out.append(
            f'<rect class="swatch" x="{legend_x}" y="{y - 11}" width="12" height="12"'
            f' fill="{fill_colour}"/>'
            f'<text x="{legend_x + 18}" y="{y}" {FONT}>{text(name)}</text>'
        )
        y += 18
    y += 8
    for fill_colour, name in states:
        out.append(
            f'<rect class="swatch" x="{legend_x}" y="{y - 11}" width="12" height="12"'
            f' fill="{fill_colour}" stroke="#888" stroke-width="0.5"/>'
            f'<text x="{legend_x + 18}" y="{y}" {FONT}>{text(name)}</text>'
        )
        y += 18
    out.append("</svg>")
    return "".join(out)
