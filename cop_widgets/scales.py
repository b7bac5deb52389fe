"""Stance scales. Every level has a label in words and a polarity.

Values grow with agreement on every scale, so that ordinal measures read the same way
whatever the scale. ``None`` is a pass ("pass / unsure") on every scale; it is not a level.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Level", "Scale", "SCALES", "get_scale", "PASS_LABEL"]

PASS_LABEL = "Pass / unsure"


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


LIKERT5 = Scale(
    "likert5",
    "Five-point agreement",
    (
        Level(5, "Strongly agree", 1),
        Level(4, "Agree", 1),
        Level(3, "Neither agree nor disagree", 0),
        Level(2, "Disagree", -1),
        Level(1, "Strongly disagree", -1),
    ),
)

AGREE_DISAGREE = Scale(
    "agree_disagree",
    "Agree / disagree (Pol.is)",
    (
        Level(1, "Agree", 1),
        Level(-1, "Disagree", -1),
    ),
)

KANER8 = Scale(
    "kaner8",
    "Gradients of agreement (Kaner)",
    (
        Level(8, "Whole-hearted endorsement", 1),
        Level(7, "Agreement with a minor point of contention", 1),
        Level(6, "Support with reservations", 1),
        Level(5, "Abstain", 0),
        Level(4, "More discussion needed", 0),
        Level(3, "Don't like it, but will support it", -1),
        Level(2, "Serious disagreement", -1),
        Level(1, "Veto", -1),
    ),
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
