import pytest
from hypothesis import given
from hypothesis import strategies as st

from cop_widgets.errors import ValidationError
from cop_widgets.scales import PASS_LABEL, SCALES, Level, Scale, get_scale

ALL = sorted(SCALES)


def test_known_scales():
    assert set(SCALES) == {"likert5", "agree_disagree", "kaner8"}
    for key, scale in SCALES.items():
        assert scale.key == key
        assert scale.name.strip()


@pytest.mark.parametrize("key", ALL)
def test_every_level_has_a_label_and_valid_polarity(key):
    scale = SCALES[key]
    assert len(scale.levels) >= 2
    for level in scale.levels:
        assert isinstance(level, Level)
        assert isinstance(level.label, str) and level.label.strip() == level.label != ""
        assert level.polarity in (-1, 0, 1)
        assert isinstance(level.value, int) and not isinstance(level.value, bool)


@pytest.mark.parametrize("key", ALL)
def test_values_and_labels_unique(key):
    scale = SCALES[key]
    assert len(set(scale.values)) == len(scale.values)
    labels = [level.label for level in scale.levels]
    assert len(set(labels)) == len(labels)
    assert PASS_LABEL not in labels


@pytest.mark.parametrize("key", ALL)
def test_levels_ordered_from_most_agreement(key):
    scale = SCALES[key]
    assert list(scale.values) == sorted(scale.values, reverse=True)
    assert scale.maximum == scale.values[0] == max(scale.values)
    assert scale.minimum == scale.values[-1] == min(scale.values)
    polarities = [level.polarity for level in scale.ordinal_levels]
    # agreement grows with the value on the ordinal levels: polarity never increases as
    # values go down (a category of its own is not on that line)
    assert polarities == sorted(polarities, reverse=True)
    assert polarities[0] == 1 and polarities[-1] == -1


@pytest.mark.parametrize("key", ALL)
def test_label_lookup(key):
    scale = SCALES[key]
    for level in scale.levels:
        assert scale.label(level.value) == level.label
        assert level.value in scale
    assert scale.label(None) == PASS_LABEL
    assert None not in scale
    with pytest.raises(KeyError):
        scale.label(max(scale.values) + 1)


def test_pass_label_is_words():
    assert PASS_LABEL == "Pass / unsure"


def test_specific_levels():
    likert = SCALES["likert5"]
    assert likert.values == (5, 4, 3, 2, 1)
    assert likert.label(5) == "Strongly agree"
    assert likert.label(1) == "Strongly disagree"
    assert SCALES["agree_disagree"].values == (1, -1)
    kaner = SCALES["kaner8"]
    assert kaner.values == tuple(range(8, 0, -1))
    assert kaner.label(1) == "Veto"


@pytest.mark.parametrize("key", ALL)
def test_get_scale(key):
    assert get_scale(key) is SCALES[key]


@pytest.mark.parametrize("bad", ["likert7", "", "LIKERT5"])
def test_get_scale_unknown(bad):
    with pytest.raises(ValidationError) as info:
        get_scale(bad)
    assert info.value.field == "scale"
    assert "must be one of" in info.value.rule
    for key in ALL:
        assert key in str(info.value)
    assert str(info.value).startswith("scale: must be one of")


def test_scale_is_frozen():
    scale = SCALES["likert5"]
    with pytest.raises(AttributeError):
        scale.key = "other"  # type: ignore[misc]
    assert isinstance(scale, Scale)


@given(st.sampled_from(ALL), st.integers())
def test_membership_matches_values(key, value):
    scale = SCALES[key]
    assert (value in scale) == (value in scale.values)
    if value in scale:
        assert scale.label(value)
    else:
        with pytest.raises(KeyError):
            scale.label(value)
