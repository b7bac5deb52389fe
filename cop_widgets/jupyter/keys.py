"""The facilitator key: printed once by ``cop-widgets serve``, held elsewhere only as a hash.

The server and every kernel it starts inherit its environment, and a kernel's environment
is readable by any code that runs in it. So the key itself never enters that environment:
``serve`` passes its SHA-256 (:data:`FACILITATOR_KEY_HASH_ENV`), and a link's ``k`` is
hashed and compared with it in constant time.
"""

from __future__ import annotations

import hashlib
import hmac

__all__ = ["FACILITATOR_KEY_HASH_ENV", "key_hash", "key_matches"]

#: The environment variable holding the SHA-256 (hex) of the facilitator key.
FACILITATOR_KEY_HASH_ENV = "COP_WIDGETS_FACILITATOR_KEY_SHA256"


def key_hash(key: str) -> str:
    """Return the SHA-256 hex digest of a facilitator key."""
    return hashlib.sha256(key.encode()).hexdigest()


def key_matches(given: str | None, expected_hash: str | None) -> bool:
    """Whether ``given`` is the key whose hash is ``expected_hash`` (constant time)."""
    if not expected_hash or not given:
        return False
    return hmac.compare_digest(key_hash(given).encode(), expected_hash.encode())
