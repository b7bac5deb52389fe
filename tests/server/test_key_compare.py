"""The facilitator key is compared in constant time (issue 11, "What held up").

:func:`~cop_widgets.jupyter.keys.key_matches` is what the gate (before a kernel starts) and
the facilitator and analysis pages (inside it) ask. It must refuse a missing, empty or wrong
key, including one that differs only in its last character (what a timing attack, guessing
character by character, would try last), and it must compare with
:func:`hmac.compare_digest`, whose time does not depend on where the first difference is.
"""

from __future__ import annotations

import hmac

import pytest

from cop_widgets.jupyter import keys
from cop_widgets.jupyter.keys import key_hash, key_matches

KEY = "S3cret-facilitator-key_0123456789abcdef"


def last_character_changed(key: str) -> str:
    return key[:-1] + ("g" if key[-1] != "g" else "h")


@pytest.mark.parametrize("given", [None, "", "wrong", KEY[:-1], last_character_changed(KEY),
                                   KEY + "x", " " + KEY, KEY.upper(), key_hash(KEY)])
def test_anything_but_the_key_is_refused(given):
    assert key_matches(given, key_hash(KEY)) is False


def test_the_key_is_accepted_and_nothing_opens_without_a_hash():
    assert key_matches(KEY, key_hash(KEY)) is True
    # a server started without a key hash opens no facilitator page, whatever is given
    for expected in (None, ""):
        assert key_matches(KEY, expected) is False
        assert key_matches("", expected) is False


def test_the_comparison_is_hmac_compare_digest_on_the_hashes(monkeypatch):
    calls: list[tuple[bytes, bytes]] = []
    real = hmac.compare_digest

    def recording(a, b):
        calls.append((a, b))
        return real(a, b)

    # keys.py calls ``hmac.compare_digest`` through the module it imported (or, were it
    # imported by name, under that name in keys.py: both are replaced)
    monkeypatch.setattr(keys.hmac, "compare_digest", recording)
    monkeypatch.setattr(keys, "compare_digest", recording, raising=False)
    expected = key_hash(KEY)
    assert key_matches(KEY, expected) is True
    assert key_matches(last_character_changed(KEY), expected) is False
    # both comparisons went through it, and compared digests of one length (the given
    # key's own length is not what is compared)
    assert len(calls) == 2
    assert calls[0] == (expected.encode(), expected.encode())
    given, stored = calls[1]
    assert stored == expected.encode() and len(given) == len(stored) == 64
    # an empty or missing key is refused before any comparison (nothing to time)
    assert key_matches(None, expected) is False and key_matches("", expected) is False
    assert len(calls) == 2
