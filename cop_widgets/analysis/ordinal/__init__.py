"""Ordinal measures on a distribution of counts over the ordered levels of a scale.

Every function takes ``counts``: the number of stances on each level, **ordered from least
to most agreement** (ascending stored value; note that :attr:`Scale.levels` lists the
levels the other way round, as members see them; :func:`ordered_levels` gives the arrays in
the order used here). Passes are not levels and are never part of ``counts``; nor are the
levels that are categories of their own (Kaner's "Abstain" and "More discussion needed",
see :mod:`cop_widgets.scales`): a measure takes ``counts[..., levels.ordinal]`` with the
values ``levels.positions``.

``counts`` is either one distribution (1-D, shape ``(k,)``), and the function returns a
``float``, or many at once (2-D, shape ``(m, k)``, one row per statement), and the function
returns a float array of shape ``(m,)``. Rows are handled independently and the work is
vectorised over rows. A distribution with no stances gives ``nan``.

Counts need not be integers (shares work too), but must be finite and non-negative. Every
measure depends only on the shares ``counts / counts.sum()``, so multiplying all counts by
the same factor changes nothing.

Measures
--------
- :func:`percent_agreement`: share of stances on levels of one polarity.
- :func:`median`, :func:`iqr`, :func:`quantile`: on the level values, with the
  averaged-inverted-CDF quantile (see :func:`quantile`).
- :func:`tastle_wierman`: Tastle & Wierman (2007) consensus, 1 full consensus, 0 an even
  split between the two extreme levels.
- :func:`van_der_eijk`: van der Eijk (2001) agreement A, 1 full agreement, 0 uniform,
  -1 an even split between the extremes.
- :func:`leik`: Leik (1966) ordinal dispersion, 0 all on one level, 1 an even split between
  the extremes.
- :func:`mean_position`: the mean value rescaled to [-1, 1].

Modules: :mod:`.counts` (the levels in order and the checks every measure makes),
:mod:`.location` (shares, quantiles, mean position), :mod:`.dispersion` (Tastle & Wierman,
Leik) and :mod:`.agreement` (van der Eijk).

References
----------
.. [1] Tastle, W. J., & Wierman, M. J. (2007). Consensus and dissention: A measure of
   ordinal dispersion. International Journal of Approximate Reasoning, 45(3), 531-545.
.. [2] van der Eijk, C. (2001). Measuring agreement in ordered rating scales. Quality &
   Quantity, 35(3), 325-341.
.. [3] Leik, R. K. (1966). A measure of ordinal consensus. Pacific Sociological Review,
   9(2), 85-90.
.. [4] Hyndman, R. J., & Fan, Y. (1996). Sample quantiles in statistical packages. The
   American Statistician, 50(4), 361-365.
"""

from __future__ import annotations

from .agreement import pattern_agreement, van_der_eijk
from .counts import Measure, OrderedLevels, ordered_levels
from .dispersion import leik, tastle_wierman
from .location import iqr, mean_position, median, percent_agreement, quantile

__all__ = [
    "Measure",
    "OrderedLevels",
    "ordered_levels",
    "percent_agreement",
    "quantile",
    "median",
    "iqr",
    "tastle_wierman",
    "van_der_eijk",
    "pattern_agreement",
    "leik",
    "mean_position",
]
