"""Chart builders, each returning a chart and a paragraph with the same numbers.

Each builder returns a :class:`Figure`: an altair chart and its text alternative, both in
the ``language`` given (English by default): titles, axis and legend titles, tooltips,
the words in the data (stance levels, groups, statuses), the numbers on the axes
(decimal sign, percent sign) and the text alternative. The builders read no global state:
the language is an argument, and the words come from the catalogues of
:mod:`cop_widgets.i18n` through :class:`~cop_widgets.i18n.Words`.

One module a family of charts:

* :mod:`~.stances`: where the community agrees and splits (:func:`divergence_chart`,
  :func:`describe_divergence`) and agreement by a member attribute (:func:`attribute_chart`);
* :mod:`~.opinion`: the opinion map (:func:`opinion_map`);
* :mod:`~.participation`: who has been heard (:func:`participation_chart`);
* :mod:`~.rounds`: consensus across Delphi rounds (:func:`rounds_chart`);

and what they share: :mod:`~.figure` (:class:`Figure`, written in a language) and
:mod:`~.labels` (statement labels, shares, group names).

Everything is aggregated in Python, so a chart's specification grows with the number of
statements and groups, never with the number of members.
"""

from .figure import Figure, make_figure
from .labels import short_label
from .opinion import opinion_map
from .participation import participation_chart
from .rounds import rounds_chart
from .stances import attribute_chart, describe_divergence, divergence_chart

__all__ = [
    "Figure",
    "make_figure",
    "divergence_chart",
    "describe_divergence",
    "attribute_chart",
    "opinion_map",
    "participation_chart",
    "rounds_chart",
    "short_label",
]
