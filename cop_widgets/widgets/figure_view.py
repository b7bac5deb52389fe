"""A figure the facilitator's browser draws: title, the drawing that fits, its words.

The live dashboard sends each chart to the page as its Vega-Lite specification, and the
page draws it with the Vega renderer that JupyterLab and Voila already carry (their
``application/vnd.vegalite.v5+json`` renderer; nothing is fetched from a CDN). Drawing in
the kernel with vl-convert took most of a refresh (0.9 s of 1.2 s at 2,000 members x 40
statements, ``benchmarks/divergence_refresh.py``): measuring every label's text there costs
milliseconds each, where a browser measures it in microseconds. Exports still draw offline
(:mod:`cop_widgets.charts.render`).

Both drawings of a figure (:attr:`Figure.chart` and :attr:`Figure.narrow`) are sent; a CSS
container query shows the wide one where its panel is at least
:data:`~cop_widgets.charts.figures.figure.WIDE` pixels wide and the narrow one elsewhere,
and either shrinks to its panel, so a drawing never overflows. The drawing is decorative
(Vega's own English descriptions are turned off): the figure's text alternative, written in
its language, follows it as a paragraph.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from .common import esc

if TYPE_CHECKING:
    from ..charts.figures import Figure

__all__ = ["FigureView", "VEGA_LITE", "EMBED_OPTIONS"]

#: The MIME type JupyterLab's and Voila's Vega renderer draws.
VEGA_LITE = "application/vnd.vegalite.v5+json"
#: How the page's renderer draws: as SVG (text a screen magnifier keeps sharp), and without
#: vega-embed's action menu (its "Open in Vega Editor" would leave the page for the web).
EMBED_OPTIONS = {"actions": False, "renderer": "svg"}


def _style() -> str:
    from ..charts.figures.figure import WIDE

    return ("<style>.cop-figure-chart{container-type:inline-size;width:100%;"
            "max-width:100%}"
            ".cop-figure-chart svg{display:block;max-width:100%;height:auto}"
            ".cop-figure-chart .jp-OutputArea-prompt{display:none}"
            ".cop-figure-chart .cop-chart-wide{display:none}"
            f"@container (min-width: {WIDE}px){{"
            ".cop-figure-chart .cop-chart-wide{display:block}"
            ".cop-figure-chart .cop-chart-narrow{display:none}}</style>")


def _lang(text_language: str | None, page_language: str | None) -> str:
    """``lang="..."`` for text in another language than the page's (none when they agree)."""
    from ..i18n import language_or_default

    text_language = language_or_default(text_language)
    return "" if text_language == language_or_default(page_language) \
        else f' lang="{text_language}"'


def vega_lite_output(chart: Any) -> dict:
    """Return ``chart`` as a display output the page's Vega renderer draws.

    Parameters
    ----------
    chart : altair.TopLevelMixin
        A figure's chart (already validated by the chart tests; not validated again here).

    Returns
    -------
    dict
        A ``display_data`` output: the specification, without Vega's ARIA descriptions
        (the figure's text alternative is on the page), and the renderer's options.
    """
    spec = chart.to_dict(validate=False)
    config = copy.deepcopy(spec.get("config", {}))
    # Guides and marks out of the accessibility tree (Vega sets aria-hidden on them).
    config["aria"] = False
    config["mark"] = {**config.get("mark", {}), "aria": False}
    spec = {**spec, "config": config}
    return {"output_type": "display_data",
            "data": {VEGA_LITE: spec, "text/plain": "<chart>"},
            "metadata": {VEGA_LITE: {"embed_options": dict(EMBED_OPTIONS)}}}


class FigureView(w.VBox):
    """A dashboard section: a heading, a figure drawn by the page, and words after it.

    Attributes
    ----------
    value : str
        The section's words as HTML (heading, the figure's text alternative, what
        follows); assigning HTML shows it alone, without a figure.
    specs : tuple of dict
        The Vega-Lite specifications shown (wide, narrow); empty without a figure.
    shown : str
        Everything the section sends to the page: its words and its drawings'
        specifications (as JSON), for checking what a reader could find in it.
    """

    def __init__(self) -> None:
        super().__init__()
        self._heading = w.HTML()
        self._wide, self._narrow = w.Output(), w.Output()
        self._wide.add_class("cop-chart-wide")
        self._narrow.add_class("cop-chart-narrow")
        self._chart = w.VBox([w.HTML(_style()), self._wide, self._narrow])
        self._chart.add_class("cop-figure-chart")
        self._words = w.HTML()
        self.children = [self._heading, self._chart, self._words]
        self.add_class("cop-figure")

    @property
    def value(self) -> str:
        """The section's words as HTML (see the class' attributes)."""
        return self._heading.value + self._words.value

    @value.setter
    def value(self, html: str) -> None:
        self.show(None, heading=html)

    @property
    def specs(self) -> tuple[dict, ...]:
        """The Vega-Lite specifications shown, wide then narrow."""
        return tuple(o.outputs[0]["data"][VEGA_LITE]
                     for o in (self._wide, self._narrow) if o.outputs)

    @property
    def shown(self) -> str:
        """The section's words and its drawings' specifications, as one text."""
        import json

        return self.value + "".join(json.dumps(spec, ensure_ascii=False)
                                    for spec in self.specs)

    def show(self, figure: Figure | None, title: str = "", after: str = "", *,
             heading: str = "", language: str | None = None) -> None:
        """Show ``figure`` under ``title``, its text alternative and ``after`` under it.

        Parameters
        ----------
        figure : Figure or None
            The figure (:mod:`cop_widgets.charts.figures`); ``None`` shows words only.
        title : str
            The figure's title, plain text in the page's language (escaped here).
        after : str
            HTML shown under the text alternative.
        heading : str
            HTML shown first, instead of a title (``value``'s setter).
        language : str, optional
            The page's language; a figure built in another one is marked with its own
            ``lang`` so that screen readers read it in it.
        """
        if figure is None:
            self._wide.outputs = self._narrow.outputs = ()
            self._chart.layout.display = "none"
            self._heading.value, self._words.value = heading, after
            return
        mark = _lang(getattr(figure, "language", None), language)
        narrow = figure.narrow if figure.narrow is not None else figure.chart
        self._wide.outputs = (vega_lite_output(figure.chart),)
        self._narrow.outputs = (vega_lite_output(narrow),)
        self._chart.layout.display = None
        self._heading.value = heading or (f"<h4>{esc(title)}</h4>" if title else "")
        self._words.value = f'<p class="cop-figcaption"{mark}>{esc(figure.text)}</p>' + after
