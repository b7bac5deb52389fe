"""The store's side of :mod:`cop_widgets.model.ordering`: reading a consultation's secret.

The secret is drawn when a consultation row is inserted (the column's default in
:mod:`.schema`, so every way of creating one draws it: the facilitator's form, a Pol.is
import, the demo). Only the store reads it, to put reasons and answers in their order.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from ..errors import NotFound
from . import schema as t

__all__ = ["order_secret"]


def order_secret(conn: Connection, consultation_id: int) -> bytes:
    """Return the order secret of a consultation.

    Raises
    ------
    NotFound
        No such consultation.
    RuntimeError
        The consultation has no secret (an empty value would order nothing unpredictably).

    """
    secret = conn.execute(sa.select(t.consultations.c.order_secret)
                          .where(t.consultations.c.id == consultation_id)).first()
    if secret is None:
        raise NotFound("consultation", consultation_id)
    if not secret[0]:
        raise RuntimeError(f"consultation {consultation_id} has no order secret")
    return bytes(secret[0])
