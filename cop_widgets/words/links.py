"""Why a link opens no page, in words: one copy for the pages and for the server's gate.

The member and endorsement pages (inside a kernel) and the gate in front of every page (in
the server, before any kernel starts) refuse the same links; both read their sentences
here, by the code of the refusal, so that a member reads the same words wherever the link
is refused.
"""

from __future__ import annotations

from ..i18n import N_

__all__ = ["LINK_OPENS_NO_CARD", "ASK_FOR_A_NEW_LINK", "link_refusal_reason",
           "GATE_WORDS"]

#: The first sentence of a refused member link.
LINK_OPENS_NO_CARD = N_("This link does not open a position card.")
#: The last sentence of a refused member link: what to do.
ASK_FOR_A_NEW_LINK = N_("Please use the link the facilitator sent you, or ask them for a new "
                        "one.")

#: Why a link opens no card, by the code of the refusal (see ``error_codes``).
_LINK_REFUSALS = {
    "token-revoked": N_("This invitation has been revoked."),
    "token-missing": N_("The link has no invitation code."),
    "link-incomplete": N_("The link has no invitation code."),
    "not-found": N_("The consultation in the link does not exist."),
}


def link_refusal_reason(code: str) -> str:
    """Return why a link opens no card, as an msgid (translated where it is shown).

    Parameters
    ----------
    code : str
        The refusal's code: an :class:`~cop_widgets.errors.InvalidToken` code, or
        ``not-found`` for a consultation that does not exist.
    """
    return _LINK_REFUSALS.get(code,
                              N_("The invitation code is not valid for this consultation."))


#: The gate's pages, by the code of its decision: (title, explanation), as msgids.
GATE_WORDS = {
    "member-link": (LINK_OPENS_NO_CARD, ASK_FOR_A_NEW_LINK),
    "results-not-public": (
        N_("There are no published results at this link."),
        N_("If you are a member of this consultation, open the results with the link the "
           "facilitator sent you."),
    ),
    "facilitator-key": (
        N_("This page is for the facilitator."),
        N_("The facilitator page needs the facilitator link printed by `cop-widgets serve` "
           "(or open the workbook in JupyterLab)."),
    ),
    "no-such-page": (
        N_("There is no such page here."),
        N_("Please check the link you were given."),
    ),
    "link-pages": (
        N_("This link already has several pages open."),
        N_("Close a page you opened with it, on this or another device, or wait a minute; "
           "then reload this page. Anything you saved before is kept."),
    ),
    "server-busy": (
        N_("Many people are opening their pages right now."),
        N_("Please wait a minute, then reload this page. Anything you saved before is kept."),
    ),
}
