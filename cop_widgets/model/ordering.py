"""The order in which members' texts are shown: stable, and saying nothing about who or when.

Reasons listed in the order they were saved link one member's reasons across statements
(the k-th reason under every statement is the same person's). Here a list is put in an
order drawn from a secret that only the server holds, one per consultation: the order is
the same on every reading, but is a different, unpredictable permutation for each
statement (each ``scope``), and a member cannot word a reason to come first.

The secret is kept in the database beside the consultation; it is never put on the
:class:`~cop_widgets.model.Consultation` that pages hold, and never exported.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable, Iterable
from typing import TypeVar

__all__ = ["SECRET_BYTES", "new_secret", "order_key", "seeded_order", "reasons_scope",
           "endorsements_scope"]

#: Length of a consultation's order secret.
SECRET_BYTES = 32

T = TypeVar("T")


def new_secret() -> bytes:
    """Return a new random order secret (:data:`SECRET_BYTES` bytes)."""
    return secrets.token_bytes(SECRET_BYTES)


def reasons_scope(statement_id: int) -> str:
    """Return the scope of the reasons given under statement ``statement_id``."""
    return f"reasons:{int(statement_id)}"


def endorsements_scope(draft_id: int) -> str:
    """Return the scope of the answers given to draft ``draft_id``."""
    return f"endorsements:{int(draft_id)}"


def order_key(secret: bytes, scope: str, item: str) -> bytes:
    """Return the sort key of ``item`` in ``scope``: HMAC-SHA256 under ``secret``.

    Parameters
    ----------
    secret : bytes
        The consultation's order secret.
    scope : str
        What is ordered (:func:`reasons_scope`, :func:`endorsements_scope`): each scope
        has its own permutation.
    item : str
        What identifies the item in its scope (a reason's text, a member's id).

    Returns
    -------
    bytes
        32 bytes; without the secret, nothing can be told from them.

    """
    if not secret:
        raise ValueError("an order secret must not be empty")
    message = f"{scope}\x1f{item}".encode("utf-8", "surrogatepass")
    return hmac.new(secret, message, hashlib.sha256).digest()


def seeded_order(items: Iterable[T], secret: bytes, scope: str,
                 key: Callable[[T], str] = str) -> list[T]:
    """Return ``items`` in the order ``secret`` draws for ``scope``.

    The order depends only on the secret, the scope and each item's ``key``: not on the
    order ``items`` come in. Items with the same key keep no order of their own (they are
    sorted by key, so equal keys stand together, in the order given).

    Parameters
    ----------
    items : iterable
        What to order.
    secret : bytes
        The consultation's order secret.
    scope : str
        What is ordered; see :func:`order_key`.
    key : callable, optional
        The text identifying an item (default: ``str``).

    Returns
    -------
    list

    Examples
    --------
    >>> secret = bytes(32)
    >>> seeded_order(["b", "a", "c"], secret, "s") == seeded_order(["c", "b", "a"], secret, "s")
    True

    """
    keyed = [(order_key(secret, scope, key(item)), key(item), item) for item in items]
    keyed.sort(key=lambda entry: (entry[0], entry[1]))
    return [item for _, _, item in keyed]
