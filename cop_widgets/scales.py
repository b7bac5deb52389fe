"""Stance scales. Every level has a label in words and a polarity.

Values grow with agreement on every scale, so that ordinal measures read the same way
whatever the scale. ``None`` is a pass ("pass / unsure") on every scale; it is not a level.
"""

from __future__ import annotations

from dataclasses import dataclass

from .i18n import N_

__all__ = ["Level", "Scale", "SCALES", "get_scale", "PASS_LABEL"]

PASS_LABEL = N_("Pass / unsure")


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
        +1 counts as agreeing, -1 as disagreeing, 0 as neither.

    """

    value: int
    label: str
    polarity: int


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

KANER8 = _graded(
    "kaner8", N_("Gradients of agreement (Kaner)"),
    agree=(N_("Whole-hearted endorsement"), N_("Agreement with a minor point of contention"),
           N_("Support with reservations")),
    neither=(N_("Abstain"), N_("More discussion needed")),
    disagree=(N_("Don't like it, but will support it"), N_("Serious disagreement"),
              N_("Veto")),
)

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
