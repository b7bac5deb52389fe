"""A preheated member kernel pays its first-use costs before its visitor arrives (issue 15).

A kernel of ``serve --preheat`` runs the member workbook up to the point where it waits for
its link (:func:`~cop_widgets.jupyter.request_info.wait_for_request_info`). Whatever the page
costs only the first time in a process is better paid then than while a workshop waits:
ipywidgets' traits (each widget class's defaults, validators and state keys are worked out
on its first instance), SQLAlchemy's compilation of the store's statements (cached per
engine) and the first connection, the translations, loaded on first use. :func:`warm_up`
pays them (in a kernel, 0.02-0.03 CPU-s of a 0.05-0.06 s first build, for 0.7 MB):

- it reads the store as the page does, for a consultation no database reaches (the
  largest id the model allows) and a token made up on the spot, which no invitation
  matches: nothing of any member is read, and what is found is dropped unseen;
- it loads the words of every language and builds a statement row and the other kinds
  of widgets the page shows, with comms that send nothing (``comm.create_comm`` is the
  comm package's ``DummyComm`` while it runs), then closes them: no message about them
  leaves the kernel, and the widget state the visitor's browser asks for holds none of
  them;
- it shows nothing and never fails the page: an error is logged to the kernel's own
  stderr (the server's log, not the page) and the page is built as it would be without.
"""

from __future__ import annotations

import logging
import secrets
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING

from ..model.fields import MAX_ID

if TYPE_CHECKING:
    import ipywidgets as w

    from ..store import Store

__all__ = ["warm_up", "quiet_widgets"]

#: The largest id the model accepts (ids count up from 1): a consultation no one reaches.
NO_CONSULTATION = MAX_ID

log = logging.getLogger(__name__)
if not log.handlers:
    # In a kernel, sys.stderr is shown on the page; the process's own stderr goes to the
    # server's log.
    _handler = logging.StreamHandler(sys.__stderr__)
    _handler.setFormatter(logging.Formatter("[cop-widgets warm-up] %(levelname)s %(message)s"))
    log.addHandler(_handler)
    log.setLevel(logging.INFO)
    log.propagate = False


@contextmanager
def quiet_widgets() -> Iterator[list[w.Widget]]:
    """Within the block, widgets open comms that send nothing; on leaving, they are closed.

    Yields the list of the widgets made within the block (filled on leaving). The kernel's
    own comms are back as soon as the block ends, even on an error.
    """
    import comm
    from ipywidgets.widgets import widget as widget_module

    made: list[w.Widget] = []
    before = set(widget_module._instances)  # ipywidgets' registry of open widgets
    create = comm.create_comm
    comm.create_comm = comm.DummyComm  # the comm package's own comm that publishes nothing
    try:
        yield made
    finally:
        comm.create_comm = create
        made.extend(widget for key, widget in list(widget_module._instances.items())
                    if key not in before)
        for widget in made:
            widget.close()


def _read_nothing(store: Store) -> None:
    """Run the page's reads for a consultation that does not exist and an unknown token."""
    from ..errors import CopWidgetsError

    token = secrets.token_urlsafe(32)  # matches no invitation
    reads = (
        lambda: store.get_consultation(NO_CONSULTATION),
        lambda: store.get_member_for_token(NO_CONSULTATION, token),
        lambda: store.get_development(NO_CONSULTATION),
        lambda: store.list_statements(NO_CONSULTATION),
        lambda: store.get_draft(NO_CONSULTATION),
        lambda: store.get_round(NO_CONSULTATION),
        lambda: store.get_card(NO_CONSULTATION, token),
    )
    for read in reads:
        with suppress(CopWidgetsError):  # NotFound, InvalidToken: what we expect
            read()


def _build_widgets() -> None:
    """Build a statement row and the other kinds of widgets of a member page; load the words.

    Babel's locale data is not loaded here: 5 MB per kernel for 12 ms, and a first visit
    without a saved card formats no number or date.
    """
    import ipywidgets as w

    from .. import model as m
    from ..i18n import LANGUAGES, plural_translator, translator
    from ..scales import PASS_LABEL, get_scale
    from ..widgets.card_row import PASS, StatementRow
    from ..widgets.common import FIT_WIDTH, FULL_WIDTH, Message, SharedLooks

    for language in LANGUAGES:  # the link's language is not known yet
        translator(language)
        plural_translator(language)
    _ = translator()
    scale = get_scale("likert5")
    statement = m.Statement(consultation_id=NO_CONSULTATION, text="-", id=NO_CONSULTATION)
    looks = SharedLooks()
    options = [(_(level.label), level.value) for level in scale.levels]
    row = StatementRow(1, statement, [*options, (_(PASS_LABEL), PASS)], _, "en", looks)
    row.flag_unanswered(True)
    row.fill(m.StanceResponse(NO_CONSULTATION, None, ""))
    row.flag_unanswered(False)
    message = Message(**looks.of(w.HTML))
    button = w.Button(description=_("Save draft"), icon="save", **looks.of(w.Button, FIT_WIDTH))
    field = w.Textarea(**looks.of(w.Textarea, FULL_WIDTH))
    w.VBox([row, field, message.beside(button, looks=looks)], **looks.of(w.VBox),
           _dom_classes=["cop-card"])
    message.show(_("Draft saved. It is not submitted yet."), "ok")


def warm_up(store: Store) -> bool:
    """Pay the member page's first-use costs now; return whether all of it went well.

    Parameters
    ----------
    store : Store
        The store the page will read (its engine compiles and caches the statements).

    Returns
    -------
    bool
        ``False`` if a step failed: logged (code ``warm-up-failed``) and otherwise harmless,
        the page is then built as without warm-up.
    """
    started = time.perf_counter()
    try:
        _read_nothing(store)
        with quiet_widgets():
            _build_widgets()
    except Exception:  # the page itself reports what goes wrong for its visitor
        log.warning("warm-up-failed: the member page is built without warm-up",
                    exc_info=True)
        return False
    log.info("member kernel warmed up in %.2f s", time.perf_counter() - started)
    return True
