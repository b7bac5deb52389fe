"""A dashboard figure is sent to the page as its specification, and drawn there."""

from __future__ import annotations

import pandas as pd

from cop_widgets.charts.figures import participation_chart
from cop_widgets.charts.figures.figure import WIDE
from cop_widgets.widgets.figure_view import EMBED_OPTIONS, VEGA_LITE, FigureView


def heard(language: str | None = None):
    members = pd.DataFrame({"member_id": range(5), "invited": [True] * 5,
                            "responded": [True, True, True, False, False],
                            "region": ["North", "South", "North", "<b>East</b>", "South"]})
    return participation_chart(members, "region", language=language)


def test_both_drawings_go_to_the_page_as_specifications():
    figure = heard()
    view = FigureView()
    view.show(figure, "Who has been heard", "<p>after</p>")
    wide, narrow = view.specs
    # The page's Vega renderer draws them: no drawing is made in the kernel.
    assert wide["data"] == figure.chart.to_dict()["data"]
    assert narrow["data"] == figure.narrow.to_dict()["data"]
    for output in (view._wide.outputs[0], view._narrow.outputs[0]):
        assert output["output_type"] == "display_data"
        assert set(output["data"]) == {VEGA_LITE, "text/plain"}
        # No action menu: its "Open in Vega Editor" would leave the page for the web.
        assert output["metadata"][VEGA_LITE]["embed_options"] == EMBED_OPTIONS
        assert EMBED_OPTIONS["actions"] is False
        # Vega's English descriptions are off: the text alternative below is the page's.
        config = output["data"][VEGA_LITE]["config"]
        assert config["aria"] is False and config["mark"]["aria"] is False
    assert "<svg" not in view.shown


def test_words_under_the_drawing_are_escaped_and_in_order():
    view = FigureView()
    view.show(heard(), "Who <has> been heard", "<p>after</p>")
    assert view.value.startswith("<h4>Who &lt;has&gt; been heard</h4>")
    assert '<p class="cop-figcaption">' in view.value
    assert "<b>East</b>" not in view.value and "&lt;b&gt;East&lt;/b&gt;" in view.value
    assert view.value.endswith("<p>after</p>")
    assert "<b>East</b>" in view.shown  # in the data, which Vega draws as text


def test_the_page_shows_the_drawing_that_fits_its_panel():
    view = FigureView()
    view.show(heard(), "Who has been heard")
    style = view._chart.children[0].value
    assert f"@container (min-width: {WIDE}px)" in style
    assert "container-type:inline-size" in style
    assert ".cop-figure-chart svg{display:block;max-width:100%;height:auto}" in style
    assert "cop-chart-wide" in view._wide._dom_classes
    assert "cop-chart-narrow" in view._narrow._dom_classes


def test_words_alone_clear_the_drawing():
    view = FigureView()
    view.show(heard(), "Who has been heard")
    view.value = "<p>No positions yet.</p>"
    assert view.specs == () and view.value == "<p>No positions yet.</p>"
    assert view._chart.layout.display == "none"
    view.show(heard(), "Again")
    assert len(view.specs) == 2 and view._chart.layout.display is None


def test_a_figure_in_another_language_is_marked_with_it():
    view = FigureView()
    view.show(heard("fr"), "Who has been heard", language="en")
    assert '<p class="cop-figcaption" lang="fr">' in view.value
    view.show(heard("fr"), "Qui a été entendu", language="fr")
    assert 'lang="fr"' not in view.value
