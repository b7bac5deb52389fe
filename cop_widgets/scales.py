"""Stance scales. Every level has a label in words, a polarity, and says whether it is ordinal.

Values grow with agreement on every scale. ``None`` is a pass ("pass / unsure") on every
scale; it is not a level.

Ordinal levels and categories
-----------------------------
Most levels are *ordinal*: they sit on one line from least to most agreement, and the
ordinal measures (median, IQR, Tastle & Wierman, van der Eijk, Leik, the shares agreeing and
disagreeing) are computed on them alone, at their :meth:`Scale.position` (1 for the least
agreement, then 2, 3...). A level that is not a degree of agreement is a *category* of its
own (:attr:`Level.category`): Kaner's "Abstain" (``abstain``) and "More discussion needed"
(``more_discussion``) say nothing about how far a member agrees, so they are counted apart,
as shares of all answers, like the pass (:data:`PASS_CATEGORY`) on every scale.

A level may also be *reported apart* (:attr:`Level.apart`) while counting on its side:
Kaner's "Don't like it, but will support it" is a member who will support the decision while
disliking it, so it counts as support (polarity +1, the lowest supporting position) and its
share is also given on its own (``reluctant_support``).
"""

from __future__ import annotations

from dataclasses import dataclass

from .i18n import N_

__all__ = ["Level", "Scale", "SCALES", "get_scale", "PASS_LABEL", "PASS_CATEGORY",
           "CATEGORIES", "APART"]

PASS_LABEL = N_("Pass / unsure")
#: The category code of the pass, which every scale offers.
PASS_CATEGORY = "pass"
#: Every category code a level may have, in the order they are reported (the pass apart).
CATEGORIES = ("abstain", "more_discussion")
#: Every code of a share reported apart (:attr:`Level.apart`).
APART = ("reluctant_support",)


@dataclass(frozen=True)
class Level:
    """One level of a scale.

    Attributes
    ----------
    value : int
        The stored value; higher means more agreement.
    label : str
        The level in words, as members see it.
    polarity : int
        +1 counts as agreeing, -1 as disagreeing, 0 as neither. A category is 0.
    category : str or None
        ``None`` for an ordinal level; otherwise the code (one of :data:`CATEGORIES`) of the
        category it is counted in, out of every ordinal measure.
    apart : str or None
        The code (one of :data:`APART`) of a share reported on its own as well, for an
        ordinal level that counts on its side but means something more.

    """

    value: int
    label: str
    polarity: int
    category: str | None = None
    apart: str | None = None

    def __post_init__(self) -> None:
        if self.category is not None:
            if self.category not in CATEGORIES:
                raise ValueError(f"unknown category {self.category!r}")
            if self.polarity != 0 or self.apart is not None:
                raise ValueError("a category has polarity 0 and is not reported apart")
        if self.apart is not None and self.apart not in APART:
            raise ValueError(f"unknown share reported apart {self.apart!r}")

    @property
    def ordinal(self) -> bool:
        """Whether the level is a degree of agreement, counted in the ordinal measures."""
        return self.category is None


@dataclass(frozen=True)
class Scale:
    """An ordered set of stance levels.

    Attributes
    ----------
    key : str
        Stable identifier stored with a consultation.
    name : str
        Name in words.
    levels : tuple of Level
        Ordered from most agreement to least, as shown to members.

    """

    key: str
    name: str
    levels: tuple[Level, ...]

    @property
    def values(self) -> tuple[int, ...]:
        """Stored values, most agreement first."""
        return tuple(level.value for level in self.levels)

    @property
    def minimum(self) -> int:
        """Lowest value (least agreement)."""
        return min(self.values)

    @property
    def maximum(self) -> int:
        """Highest value (most agreement)."""
        return max(self.values)

    @property
    def ordinal_levels(self) -> tuple[Level, ...]:
        """The ordinal levels, most agreement first (the categories left out)."""
        return tuple(level for level in self.levels if level.ordinal)

    @property
    def category_levels(self) -> tuple[Level, ...]:
        """The levels counted as categories of their own, as shown to members."""
        return tuple(level for level in self.levels if not level.ordinal)

    def position(self, value: int) -> int | None:
        """Return the ordinal position of a stored value: 1 for the least agreement.

        The ordinal measures read the ordinal levels at these evenly spaced positions
        (their stored values need not be: Kaner's skip the two categories). ``None`` for a
        category.

        Raises
        ------
        KeyError
            If ``value`` is not a level of the scale.

        """
        ordered = sorted(level.value for level in self.ordinal_levels)
        if value in ordered:
            return ordered.index(value) + 1
        if value in self.values:
            return None
        raise KeyError(value)

    def label(self, value: int | None) -> str:
        """Return the words for a stored value, ``PASS_LABEL`` for ``None``."""
        if value is None:
            return PASS_LABEL
        for level in self.levels:
            if level.value == value:
                return level.label
        raise KeyError(value)

    def __contains__(self, value: object) -> bool:
        return value in self.values


def _graded(key: str, name: str, agree: tuple[str, ...], neither: tuple[str, ...],
            disagree: tuple[str, ...]) -> Scale:
    """Return a scale whose levels count down to 1, agreeing ones first."""
    labels = ([(label, 1) for label in agree] + [(label, 0) for label in neither]
              + [(label, -1) for label in disagree])
    return Scale(key, name, tuple(Level(len(labels) - i, label, polarity)
                                  for i, (label, polarity) in enumerate(labels)))


LIKERT5 = _graded(
    "likert5", N_("Five-point agreement"),
    agree=(N_("Strongly agree"), N_("Agree")),
    neither=(N_("Neither agree nor disagree"),),
    disagree=(N_("Disagree"), N_("Strongly disagree")),
)

#: Pol.is's votes: agree is 1 and disagree -1, as in its exports.
AGREE_DISAGREE = Scale("agree_disagree", N_("Agree / disagree (Pol.is)"),
                       (Level(1, N_("Agree"), 1), Level(-1, N_("Disagree"), -1)))

#: Kaner's gradients of agreement, stored 8 (whole-hearted endorsement) to 1 (veto) as
#: members see them. "Abstain" and "More discussion needed" are categories of their own;
#: "Don't like it, but will support it" is support, reported apart. Its ordinal levels are
#: six: veto, serious disagreement, will support while disliking it, support with
#: reservations, agreement with a minor point of contention, whole-hearted endorsement.
KANER8 = Scale("kaner8", N_("Gradients of agreement (Kaner)"), (
    Level(8, N_("Whole-hearted endorsement"), 1),
    Level(7, N_("Agreement with a minor point of contention"), 1),
    Level(6, N_("Support with reservations"), 1),
    Level(5, N_("Abstain"), 0, category="abstain"),
    Level(4, N_("More discussion needed"), 0, category="more_discussion"),
    Level(3, N_("Don't like it, but will support it"), 1, apart="reluctant_support"),
    Level(2, N_("Serious disagreement"), -1),
    Level(1, N_("Veto"), -1),
))

SCALES: dict[str, Scale] = {s.key: s for s in (LIKERT5, AGREE_DISAGREE, KANER8)}


def get_scale(key: str) -> Scale:
    """Return the scale stored under ``key``.

    Raises
    ------
    ValidationError
        If no scale has that key.

    """
    from .errors import ValidationError

    try:
        return SCALES[key]
    except KeyError:
        raise ValidationError("scale", "not-one-of", key, allowed=", ".join(SCALES)) from None
