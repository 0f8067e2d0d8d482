"""pdfplumber pages whose characters carry their text render mode.

pdfminer (under pdfplumber) reads the render mode (``Tr``) but does not keep it on
the characters it makes, and text drawn in mode 3 (invisible, an OCR layer) or 7
(clip only) must never reach the released text layer. A device that notes the
mode of each string it is given, and a page that reads layouts with it and copies
the mode into each character's dictionary as ``render_mode``, are all it takes.
Each object also gets ``drawn``, its place in painting order, so that text painted
over by a later shape or image can be told from text drawn on top of one.
"""

from __future__ import annotations

from typing import Any

from pdfminer.pdfinterp import PDFPageInterpreter
from pdfplumber.page import Page, PDFPageAggregatorWithMarkedContent
from pdfplumber.utils.exceptions import PdfminerException


class _ModeDevice(PDFPageAggregatorWithMarkedContent):
    """A pdfplumber layout device that stamps each character with the render mode it was drawn in."""

    _mode = 0

    def render_string(self, textstate: Any, seq: Any, ncs: Any, graphicstate: Any) -> None:
        self._mode = textstate.render
        super().render_string(textstate, seq, ncs, graphicstate)

    def render_char(self, *args: Any, **kwargs: Any) -> float:
        advance: float = super().render_char(*args, **kwargs)
        if self.cur_item._objs:
            self.cur_item._objs[-1].render_mode = self._mode  # type: ignore[attr-defined]
        return advance


class _ModePage(Page):
    """A pdfplumber page laid out by :class:`_ModeDevice`; its chars have ``render_mode``."""

    @property
    def layout(self) -> Any:
        if hasattr(self, "_layout"):
            return self._layout
        device = _ModeDevice(self.pdf.rsrcmgr, pageno=self.page_number, laparams=self.pdf.laparams)
        interpreter = PDFPageInterpreter(self.pdf.rsrcmgr, device)
        try:
            interpreter.process_page(self.page_obj)
        except Exception as exc:
            raise PdfminerException(exc) from exc
        self._layout = device.get_result()
        return self._layout

    _drawn = 0

    def process_object(self, obj: Any) -> Any:
        attr = super().process_object(obj)
        if attr.get("object_type") == "char":
            attr["render_mode"] = getattr(obj, "render_mode", 0)
        # Layout objects come in the order they are painted (no layout analysis is asked for).
        attr["drawn"] = self._drawn
        self._drawn += 1
        return attr


def page_with_render_modes(plumber: Any, index: int) -> Any:
    """Page ``index`` (from 0) of an open pdfplumber PDF, its chars carrying ``render_mode``."""
    page = plumber.pages[index]
    return _ModePage(plumber, page.page_obj, page_number=page.page_number, initial_doctop=page.initial_doctop)


__all__ = ["page_with_render_modes"]
