"""The words of every email (invitation, reminder, notice, receipt), in its own language.

:func:`composer` returns the ``compose`` function ``services.mailing`` calls for each
outbox message: a subject, a plain text and an HTML alternative in which the member text
(the consultation's and the development's titles, the member's name) is escaped. The
personal link is built from the message's own token, so it appears only in its own
member's message. :data:`STATUS_WORDS` and :data:`KIND_WORDS` name a message's state and
kind for the facilitator.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from ..i18n import N_, format_datetime, translator
from ..links import endorse_link, member_link, results_link
from ..model import mail as mm
from ..store import Store

__all__ = ["SUBJECTS", "STATUS_WORDS", "KIND_WORDS", "composer", "compose", "link_for"]

#: Subject of each kind of message; ``{title}`` is the consultation's title.
SUBJECTS = {
    "invitation": N_("Your invitation: {title}"),
    "reminder": N_("Reminder: {title}"),
    "endorsement": N_("Our joint response, for your endorsement: {title}"),
    "results": N_("The results are published: {title}"),
    "receipt": N_("We received your position: {title}"),
}
_GREETING = N_("Hello {name},")
_OPENING = {
    "invitation": N_("Our community is preparing a joint response to \u201c{development}\u201d "
                     "and asks for your position: {title}"),
    "reminder": N_("We have not yet received your position on \u201c{title}\u201d. There is "
                   "still time to give it."),
    "endorsement": N_("A draft of our community's joint response to \u201c{development}\u201d "
                      "is ready. Please read it and say whether you endorse it: {title}"),
    "results": N_("The results of \u201c{title}\u201d are published: what the community "
                  "answered, and the range of its views."),
    "receipt": N_("Your position on \u201c{title}\u201d was received on {moment}. You can "
                  "change it while the consultation is open, with the personal link of your "
                  "invitation."),
}
_REPLACES = N_("This link replaces the one you received before, which no longer works.")
#: The line above the link, and the words of the HTML button, by kind (a receipt has none).
_LINK = {
    "invitation": N_("Your personal link (do not share it: it opens your own position card):"),
    "reminder": N_("Your personal link (do not share it: it opens your own position card):"),
    "endorsement": N_("Your personal link to the draft (do not share it):"),
    "results": N_("The results page:"),
}
_BUTTON = {
    "invitation": N_("Open my position card"),
    "reminder": N_("Open my position card"),
    "endorsement": N_("Read the draft and answer"),
    "results": N_("See the results"),
}
_DEADLINE = N_("Please answer before {deadline}.")
_THANKS = N_("Thank you.")

#: What each state of a message means to the facilitator (Roster tab).
STATUS_WORDS = {
    "pending": N_("waiting to be sent"),
    "sending": N_("being sent"),
    "sent": N_("sent"),
    "written": N_("written as an .eml file"),
    "failed": N_("failed"),
    "superseded": N_("replaced by a newer link"),
    "cancelled": N_("cancelled: no address"),
}
#: Each kind of message, as the Roster tab names it.
KIND_WORDS = {
    "invitation": N_("invitation"),
    "reminder": N_("reminder"),
    "endorsement": N_("draft for endorsement"),
    "results": N_("results published"),
    "receipt": N_("receipt"),
}


def link_for(message: mm.Message, base_url: str) -> str:
    """Return the link a message carries (empty for a receipt).

    A personal link is built from the message's own token, so it appears only in its own
    member's message; the results link is the same for everyone.
    """
    if message.kind in ("invitation", "reminder"):
        return member_link(base_url, message.consultation_id, message.token)
    if message.kind == "endorsement":
        return endorse_link(base_url, message.consultation_id, message.token)
    if message.kind == "results":
        return results_link(base_url, message.consultation_id)
    return ""


def compose(message: mm.Message, *, title: str, development: str, name: str,
            link: str, deadline: str = "") -> mm.MailContent:
    """Return one message's subject, text and HTML in ``message.language``.

    ``title``, ``development`` and ``name`` are member text: escaped in the HTML.
    """
    _ = translator(message.language)
    kind = message.kind
    moment = format_datetime(message.created_at, message.language) if kind == "receipt" \
        else ""
    greeting = _(_GREETING).format(name=name)
    opening = _(_OPENING[kind]).format(title=title, development=development, moment=moment)
    lines = [greeting, "", opening]
    if kind in ("reminder", "endorsement"):
        lines += ["", _(_REPLACES)]
    if kind in _LINK:
        lines += ["", _(_LINK[kind]), link]
    if deadline and kind in ("invitation", "reminder"):
        lines += ["", _(_DEADLINE).format(deadline=deadline)]
    lines += ["", _(_THANKS)]
    e = escape
    html_parts = [
        f"<p>{e(_(_GREETING)).format(name=e(name))}</p>",
        "<p>" + e(_(_OPENING[kind])).format(title=e(title), development=e(development),
                                            moment=e(moment)) + "</p>",
    ]
    if kind in ("reminder", "endorsement"):
        html_parts.append(f"<p>{e(_(_REPLACES))}</p>")
    if kind in _LINK:
        html_parts.append(f"<p>{e(_(_LINK[kind]))}<br><a href=\"{e(link)}\">"
                          f"{e(_(_BUTTON[kind]))}</a><br>"
                          f"<small style=\"word-break:break-all\">{e(link)}</small></p>")
    if deadline and kind in ("invitation", "reminder"):
        html_parts.append(f"<p>{e(_(_DEADLINE)).format(deadline=e(deadline))}</p>")
    html_parts.append(f"<p>{e(_(_THANKS))}</p>")
    head = (f"<!DOCTYPE html><html lang=\"{e(message.language)}\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width\"></head>")
    html = head + "<body>\n" + "\n".join(html_parts) + "\n</body></html>\n"
    subject = _(SUBJECTS[kind]).format(title=title)
    return mm.MailContent(subject=subject, text="\n".join(lines) + "\n", html=html)


def composer(store: Store, consultation_id: int,
             base_url: str) -> Callable[[mm.Message], mm.MailContent]:
    """Return the ``compose`` function for one consultation's messages.

    The consultation, its development and the roster's names are read once; each message's
    link comes from :func:`link_for`, with ``base_url`` (where members open their pages).
    """
    consultation = store.get_consultation(consultation_id)
    development = store.get_development(consultation.development_id)
    names = {mb.id: mb.name for mb in store.list_members(consultation_id)}

    def _compose(message: mm.Message) -> mm.MailContent:
        deadline = format_datetime(consultation.deadline, message.language) \
            if consultation.deadline else ""
        return compose(message, title=consultation.title, development=development.title,
                       name=names.get(message.member_id, ""),
                       link=link_for(message, base_url), deadline=deadline)

    return _compose
