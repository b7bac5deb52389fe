"""The words of the invitation and reminder emails, in the consultation's language.

:func:`composer` returns the ``compose`` function ``services.mailing`` calls for each
outbox message: a subject, a plain text and an HTML alternative in which the member text
(the consultation's and the development's titles, the member's name) is escaped. The
personal link is built from the message's own token, so it appears only in its own
member's message.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from ..i18n import N_, format_datetime, translator
from ..links import member_link
from ..model import mail as mm
from ..store import Store

__all__ = ["SUBJECTS", "composer", "compose"]

#: Subject of each kind of message; ``{title}`` is the consultation's title.
SUBJECTS = {
    "invitation": N_("Your invitation: {title}"),
    "reminder": N_("Reminder: {title}"),
}
_GREETING = N_("Hello {name},")
_OPENING = {
    "invitation": N_("Our community is preparing a joint response to \u201c{development}\u201d "
                     "and asks for your position: {title}"),
    "reminder": N_("We have not yet received your position on \u201c{title}\u201d. There is "
                   "still time to give it."),
}
_REPLACES = N_("This link replaces the one you received before, which no longer works.")
_LINK = N_("Your personal link (do not share it: it opens your own position card):")
_DEADLINE = N_("Please answer before {deadline}.")
_BUTTON = N_("Open my position card")
_THANKS = N_("Thank you.")


def compose(message: mm.Message, *, title: str, development: str, name: str,
            link: str, deadline: str = "") -> mm.MailContent:
    """Return one message's subject, text and HTML in ``message.language``.

    ``title``, ``development`` and ``name`` are member text: escaped in the HTML.
    """
    _ = translator(message.language)
    greeting = _(_GREETING).format(name=name)
    opening = _(_OPENING[message.kind]).format(title=title, development=development)
    lines = [greeting, "", opening]
    if message.kind == "reminder":
        lines += ["", _(_REPLACES)]
    lines += ["", _(_LINK), link]
    if deadline:
        lines += ["", _(_DEADLINE).format(deadline=deadline)]
    lines += ["", _(_THANKS)]
    e = escape
    html_parts = [
        f"<p>{e(_(_GREETING)).format(name=e(name))}</p>",
        f"<p>{e(_(_OPENING[message.kind])).format(title=e(title), development=e(development))}"
        "</p>",
    ]
    if message.kind == "reminder":
        html_parts.append(f"<p>{e(_(_REPLACES))}</p>")
    html_parts.append(f"<p>{e(_(_LINK))}<br><a href=\"{e(link)}\">{e(_(_BUTTON))}</a><br>"
                      f"<small style=\"word-break:break-all\">{e(link)}</small></p>")
    if deadline:
        html_parts.append(f"<p>{e(_(_DEADLINE)).format(deadline=e(deadline))}</p>")
    html_parts.append(f"<p>{e(_(_THANKS))}</p>")
    head = (f"<!DOCTYPE html><html lang=\"{e(message.language)}\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width\"></head>")
    html = head + "<body>\n" + "\n".join(html_parts) + "\n</body></html>\n"
    subject = _(SUBJECTS[message.kind]).format(title=title)
    return mm.MailContent(subject=subject, text="\n".join(lines) + "\n", html=html)


def composer(store: Store, consultation_id: int,
             base_url: str) -> Callable[[mm.Message], mm.MailContent]:
    """Return the ``compose`` function for one consultation's messages.

    The consultation, its development and the roster's names are read once; each message's
    link is built from its own token and ``base_url`` (where members open their pages).
    """
    consultation = store.get_consultation(consultation_id)
    development = store.get_development(consultation.development_id)
    names = {mb.id: mb.name for mb in store.list_members(consultation_id)}

    def _compose(message: mm.Message) -> mm.MailContent:
        deadline = format_datetime(consultation.deadline, message.language) \
            if consultation.deadline else ""
        return compose(message, title=consultation.title, development=development.title,
                       name=names.get(message.member_id, ""),
                       link=member_link(base_url, consultation_id, message.token),
                       deadline=deadline)

    return _compose
