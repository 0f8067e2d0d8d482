"""Building a rebuilt page: the burned-in render and its invisible released-text layer.

The text layer is written by hand as a content stream over one shared font: a
Type0 font with Identity-H encoding whose codes are numbered per document and
mapped back to their text by a ToUnicode CMap, with no font program (the text is
drawn in render mode 3, invisible, so no glyph is ever painted). This carries any
Unicode text, macrons and ligatures included, places every character where it
was in the original, and adds no font file for text nobody sees; the PDF standard
fonts (WinAnsi) could not hold a macron.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass, field
from typing import Any

GLYPH_WIDTH = 500
"""Advance of every glyph of the text-layer font, in 1/1000 em (TJ adjustments place each one)."""

LABEL_MIN_PX = 6
"""Smallest label drawn in a box, in pixels; a box too small for it carries no label."""


@dataclass(frozen=True)
class Char:
    """A character of a page, in PDF points from the page's bottom-left corner."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    matrix: tuple[float, float, float, float, float, float]
    size: float
    visible: bool
    covered: bool = False
    """Painted over in the original by a later filled shape or image: not seen, so never released."""

    def advance(self) -> int:
        """The glyph's advance in 1/1000 em, from its box along its line (for the text-layer font)."""
        a, b = self.matrix[0], self.matrix[1]
        if abs(b) <= abs(a) * 1e-3:
            length = (self.x1 - self.x0) / abs(a)
        elif abs(a) <= abs(b) * 1e-3:
            length = (self.y1 - self.y0) / abs(b)
        else:
            return GLYPH_WIDTH
        return max(0, min(3000, round(length / self.size * 1000)))


@dataclass(frozen=True)
class Box:
    """An area burned in as a redaction, in PDF points from the bottom-left corner, with its label."""

    x0: float
    y0: float
    x1: float
    y1: float
    label: str
    short: str


def overlaps(char: Char, box: Box) -> bool:
    """Whether a character's box and a redaction box share any area."""
    return char.x0 < box.x1 and box.x0 < char.x1 and char.y0 < box.y1 and box.y0 < char.y1


@dataclass
class TextFont:
    """The shared text-layer font: one code per distinct character text and advance, in order of first use."""

    codes: dict[tuple[str, int], int] = field(default_factory=dict)

    def code(self, text: str, advance: int = GLYPH_WIDTH) -> int:
        """The 2-byte code for a character's text drawn with this advance (a new one on first use)."""
        key = (text, advance)
        found = self.codes.get(key)
        if found is None:
            found = len(self.codes) + 1
            if found > 0xFFFF:
                raise ValueError("more than 65535 distinct characters in the released text")
            self.codes[key] = found
        return found

    def cmap(self) -> bytes:
        """The ToUnicode CMap mapping each code to its text."""
        lines = [
            "/CIDInit /ProcSet findresource begin",
            "12 dict begin",
            "begincmap",
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
            "/CMapName /Adobe-Identity-UCS def",
            "/CMapType 2 def",
            "1 begincodespacerange",
            "<0000> <FFFF>",
            "endcodespacerange",
        ]
        items = list(self.codes.items())
        for start in range(0, len(items), 100):
            chunk = items[start : start + 100]
            lines.append(f"{len(chunk)} beginbfchar")
            lines += [f"<{code:04X}> <{text.encode('utf-16-be').hex().upper()}>" for (text, _), code in chunk]
            lines.append("endbfchar")
        lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
        return ("\n".join(lines) + "\n").encode("ascii")

    def font(self, pdf: Any) -> Any:
        """The font as an indirect object of ``pdf`` (build it after every page has used its codes)."""
        import pikepdf

        name = pikepdf.Name
        descriptor = pikepdf.Dictionary(
            Type=name.FontDescriptor,
            FontName=name("/GlyphLessFont"),
            Flags=5,
            FontBBox=[0, 0, GLYPH_WIDTH, 1000],
            ItalicAngle=0,
            Ascent=1000,
            Descent=0,
            CapHeight=1000,
            StemV=80,
        )
        descendant = pikepdf.Dictionary(
            Type=name.Font,
            Subtype=name.CIDFontType2,
            BaseFont=name("/GlyphLessFont"),
            CIDSystemInfo=pikepdf.Dictionary(
                Registry=pikepdf.String("Adobe"), Ordering=pikepdf.String("Identity"), Supplement=0
            ),
            FontDescriptor=pdf.make_indirect(descriptor),
            DW=GLYPH_WIDTH,
            W=pikepdf.Array([v for (_, advance), code in self.codes.items() for v in (code, [advance])]),
            CIDToGIDMap=name.Identity,
        )
        font = pikepdf.Dictionary(
            Type=name.Font,
            Subtype=name.Type0,
            BaseFont=name("/GlyphLessFont"),
            Encoding=name("/Identity-H"),
            DescendantFonts=[pdf.make_indirect(descendant)],
            ToUnicode=pdf.make_indirect(pikepdf.Stream(pdf, self.cmap())),
        )
        return pdf.make_indirect(font)


def _num(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _along(char: Char, origin: Char) -> tuple[float, float]:
    """Where ``char`` sits relative to ``origin`` in the run's text space: (along the line, across it)."""
    a, b, c, d, _, _ = origin.matrix
    dx, dy = char.matrix[4] - origin.matrix[4], char.matrix[5] - origin.matrix[5]
    along = (dx * a + dy * b) / (a * a + b * b)
    across = (dx * c + dy * d) / (c * c + d * d) if (c or d) else 0.0
    return along, across


def _same_line(char: Char, origin: Char, cursor: float) -> bool:
    if char.size != origin.size or any(
        abs(p - q) > 1e-3 for p, q in zip(char.matrix[:4], origin.matrix[:4], strict=True)
    ):
        return False
    along, across = _along(char, origin)
    return abs(across) * origin.size < origin.size * 0.3 and along >= cursor - origin.size * 1.5


def text_operators(chars: list[Char], font: TextFont) -> str:
    """The invisible text layer for ``chars`` (in content order) as content stream operators.

    Characters on one line go in one TJ with adjustments putting each at its place; a
    gap wider than a quarter em becomes a space, so extracted text keeps its words.
    """
    usable = [
        ch
        for ch in chars
        if ch.text
        and ch.size > 0
        and (ch.matrix[0] or ch.matrix[1])
        and all(math.isfinite(v) for v in ch.matrix)
        and not any(0xD800 <= ord(c) <= 0xDFFF for c in ch.text)
    ]
    if not usable:
        return ""
    out = ["BT", "3 Tr"]
    index = 0
    space = font.code(" ")
    while index < len(usable):
        origin = usable[index]
        size = origin.size
        a, b, c, d, e, f = origin.matrix
        out.append(f"/F0 {_num(size)} Tf {_num(a)} {_num(b)} {_num(c)} {_num(d)} {_num(e)} {_num(f)} Tm")
        parts: list[str] = []
        cursor = 0.0  # text-space position after the last glyph shown
        previous = ""
        while index < len(usable) and (usable[index] is origin or _same_line(usable[index], origin, cursor)):
            ch = usable[index]
            along, _ = _along(ch, origin)
            gap = along - cursor
            if parts and gap > size * 0.25 and not previous.isspace() and not ch.text.isspace():
                parts.append(f"<{space:04X}>")
                cursor += size * GLYPH_WIDTH / 1000
                gap = along - cursor
            if parts and abs(gap) > 0.01:
                parts.append(_num(-gap * 1000 / size))
            advance = ch.advance()
            parts.append(f"<{font.code(ch.text, advance):04X}>")
            cursor = along + size * advance / 1000
            previous = ch.text
            index += 1
        out.append("[" + " ".join(parts) + "] TJ")
    out.append("ET")
    return "\n".join(out) + "\n"


def _label_font(size: int) -> Any:
    from PIL import ImageFont

    return ImageFont.load_default(size=size)


def burn(image: Any, boxes: list[Box], height: float, scale: float) -> None:
    """Paint each box black on the page render, with its citation in white where it fits."""
    from PIL import ImageDraw

    draw = ImageDraw.Draw(image)
    for box in boxes:
        left = math.floor(box.x0 * scale)
        top = math.floor((height - box.y1) * scale)
        right = math.ceil(box.x1 * scale)
        bottom = math.ceil((height - box.y0) * scale)
        draw.rectangle((left, top, right, bottom), fill=(0, 0, 0))
    for box in boxes:
        left = math.floor(box.x0 * scale)
        top = math.floor((height - box.y1) * scale)
        width = math.ceil(box.x1 * scale) - left
        tall = math.ceil((height - box.y0) * scale) - top
        size = min(int(tall * 0.7), int(10 * scale))
        placed = False
        while size >= LABEL_MIN_PX and not placed:
            font = _label_font(size)
            for label in (box.label, box.short):
                w = draw.textlength(label, font=font)
                if w + 4 <= width:
                    draw.text((left + 2, top + tall / 2), label, fill=(255, 255, 255), font=font, anchor="lm")
                    placed = True
                    break
            size -= 1


def jpeg(image: Any, quality: int = 85) -> bytes:
    """The render as baseline JPEG bytes, with no metadata."""
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality)
    return buffer.getvalue()


def rebuilt_page(pdf: Any, width: float, height: float, image: Any, operators: str, font: Any) -> Any:
    """A new page of ``pdf``: the image over the whole page, then the invisible text."""
    import pikepdf

    name = pikepdf.Name
    picture = pikepdf.Stream(pdf, jpeg(image))
    picture.Type = name.XObject
    picture.Subtype = name.Image
    picture.Width, picture.Height = image.size
    picture.ColorSpace = name.DeviceRGB
    picture.BitsPerComponent = 8
    picture.Filter = name.DCTDecode
    content = f"q {_num(width)} 0 0 {_num(height)} 0 0 cm /Im0 Do Q\n{operators}"
    page = pikepdf.Dictionary(
        Type=name.Page,
        MediaBox=[0, 0, width, height],
        Resources=pikepdf.Dictionary(
            XObject=pikepdf.Dictionary(Im0=pdf.make_indirect(picture)),
            Font=pikepdf.Dictionary(F0=font),
        ),
        Contents=pdf.make_indirect(pikepdf.Stream(pdf, content.encode("ascii"))),
    )
    return pikepdf.Page(pdf.make_indirect(page))


__all__ = ["Box", "Char", "TextFont", "burn", "overlaps", "rebuilt_page", "text_operators"]
