"""The member page as a member sees it, on the demo consultation: JupyterLab's preview item.

The launcher item "Member page preview (Voila)" renders ``member-preview.ipynb`` with Voila
(see ``jupyter-config/jupyter_app_launcher/``). Such a render has no personal link, and the
member page without one only explains that it needs one. So the preview builds the demo
consultation in a throwaway SQLite file, adds one member to its roster and opens that
member's blank card through a real invitation token, exactly as a member's link would.
The facilitator's own database is never opened: a preview that made a link there would
revoke a member's.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

__all__ = ["member_preview"]

#: Kept alive for the kernel's lifetime; the folder is removed when the kernel exits.
_FOLDERS: list[tempfile.TemporaryDirectory] = []


def member_preview(language: str | None = None):
    """Return the member page of the demo consultation, under a "preview" notice.

    Parameters
    ----------
    language : str, optional
        The page's language (``en``, ``fr`` or ``es``); English by default.

    Returns
    -------
    ipywidgets.VBox
        The notice, then the blank card of a member just added to the demo.
    """
    import ipywidgets as w

    from ..demo import seed_demo
    from ..i18n import translator
    from ..model import Member
    from ..store import Store
    from ..widgets.common import Message
    from ..widgets.member import MemberPage

    _ = translator(language)
    folder = tempfile.TemporaryDirectory(prefix="cop-widgets-preview-")
    _FOLDERS.append(folder)
    store = Store(f"sqlite:///{Path(folder.name) / 'preview.db'}")
    demo = seed_demo(store)
    member = store.add_members([Member(demo.consultation_id, _("Preview member"),
                                       attributes={"role": "tutor", "region": "North"})])[0]
    token = store.add_invitation(member.id)[1]
    notice = Message()
    notice.show(_("Preview: the member page of the demo consultation, as a member who has "
                  "just been invited sees it. Nothing here touches your own consultations."),
                "info")
    notice.add_class("cop-preview-notice")
    page = MemberPage(store, demo.consultation_id, token, language)
    return w.VBox([notice, page])
