"""Charts: pure functions returning altair charts, each with a text alternative.

Import :mod:`cop_widgets.charts.figures` for the builders (it imports altair) and
:mod:`cop_widgets.charts.render` to turn a chart into SVG or PNG offline (vl-convert).
:mod:`cop_widgets.charts.palette` is light and safe for member pages.
"""
