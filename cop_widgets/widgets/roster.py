"""Roster and invitations: who is asked, and the private link each member receives."""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as w

from .. import model as m
from ..errors import ValidationError
from ..i18n import format_datetime, format_number
from ..io import links_csv, members_from_csv, parse_attributes, uploaded_text
from ..links import member_link
from .common import esc, fit_width, full_width, labelled, tagged
from .editor import ConsultationEditor

if TYPE_CHECKING:
    from ..store import Store

__all__ = ["RosterEditor"]

DEFAULT_BASE_URL = "http://127.0.0.1:8866"


class RosterEditor(ConsultationEditor):
    """Edit a consultation's roster and hand out invitation links.

    Parameters
    ----------
    store : Store
        Where the roster lives.
    consultation_id : int
        The consultation whose roster is edited.
    base_url : str
        Address of the Voila server members open (used to build their links).
    on_change : callable, optional
        Called with no argument after every action.
    language : str, optional
        Language of the editor (``en``, ``fr``, ``es``); English by default. The CSV of
        links keeps its ``name,email,link`` header in every language (a file format, ready
        for a mail merge).
    links_made : dict, optional
        Links made earlier in this session, by consultation id, then member id to
        ``(name, email, link)``: shown again and added to, so that opening another consultation
        (in this editor or in a new one given the same dict) loses no link shown once.

    Attributes
    ----------
    name, email, attributes, add_button : ipywidgets.Widget
        Add one member (attributes written as ``role=nurse; region=North``).
    upload, import_button : ipywidgets.Widget
        Add every member of a CSV file (all of them, or none).
    table : ipywidgets.HTML
        The roster with attributes and the state of each member's link.
    base_url : ipywidgets.Text
        The Voila address the links point to.
    invite_all_button : ipywidgets.Button
        Creates links for every member never invited.
    member_picker, new_link_button, revoke_button : ipywidgets.Widget
        Give one member a new link, or revoke their link.
    links : ipywidgets.Textarea
        The links created in this session, as ``name,email,link`` lines, to copy.
    download : ipywidgets.HTML
        The same lines as a CSV file to download.
    message : Message
        What happened, or which field broke which rule.

    """

    def __init__(self, store: Store, consultation_id: int, base_url: str = DEFAULT_BASE_URL,
                 on_change: Callable[[], None] | None = None, *,
                 language: str | None = None,
                 links_made: dict[int, dict[int, tuple[str, str, str]]] | None = None,
                 **kwargs: Any):
        super().__init__(store, consultation_id, on_change, language=language, **kwargs)
        _ = self._
        # consultation id -> member id -> (name, email, link): links made in this session,
        # never stored
        self._links_made: dict[int, dict[int, tuple[str, str, str]]] = (
            {} if links_made is None else links_made)

        self.name = w.Text(layout=full_width())
        self.email = w.Text(placeholder=_("name@example.org"), layout=full_width())
        self.attributes = w.Text(placeholder=_("role=nurse; region=North"), layout=full_width())
        self.add_button = w.Button(description=_("Add member"), icon="user-plus",
                                   button_style="primary", layout=fit_width())
        self.upload = w.FileUpload(accept=".csv,text/csv", multiple=False,
                                   description=_("Choose CSV file"), layout=fit_width())
        self.import_button = w.Button(description=_("Add members from CSV"), icon="upload",
                                      layout=fit_width())
        self.table = w.HTML()
        self.base_url = w.Text(value=base_url, layout=full_width())
        self.invite_all_button = w.Button(
            description=_("Create links for everyone not yet invited"),
            icon="link", button_style="primary", layout=fit_width())
        self.member_picker = w.Dropdown(options=[], layout=full_width())
        self.new_link_button = w.Button(description=_("New link"), icon="refresh",
                                        layout=fit_width(),
                                        tooltip=_("Create a new link for the chosen member; "
                                                  "their old link stops working"))
        self.revoke_button = w.Button(description=_("Revoke"), icon="ban",
                                      button_style="danger", layout=fit_width(),
                                      tooltip=_("Stop the chosen member's link from working"))
        self.links = w.Textarea(layout=full_width(height="10em"),
                                placeholder=_("New links appear here."))
        self.download = w.HTML()

        self.children = (
            w.HTML(tagged("h3", _("Roster"))),
            self.table,
            w.HTML(tagged("h4", _("Add a member"))),
            labelled(_("Name"), self.name),
            labelled(_("Email (optional)"), self.email),
            labelled(_("Attributes (optional)"), self.attributes,
                     _("Write each as name=value, separated by ;  for example "
                       "role=nurse; region=North")),
            self.message.beside(self.add_button),
            w.HTML(tagged("h4", _("Add members from a CSV file"))),
            labelled(_("CSV file of members"), self.upload,
                     _("First line: the column names. A column called name is required, "
                       "email is optional, every other column is an attribute (role, "
                       "region...). If one row is refused, no member is added.")),
            self.message.beside(self.import_button),
            w.HTML(tagged("h3", _("Invitation links"))
                   # The <b>...</b> tags are kept in the translations.
                   + "<p>" + _("<b>Each link is shown only once</b>: copy or download it now, "
                             "the store keeps no readable copy. Creating a new link for a "
                             "member <b>revokes their old link</b>.") + "</p>"),
            labelled(_("Address of the Voila server in the links"), self.base_url),
            self.message.beside(self.invite_all_button),
            w.HTML("<small>" + esc(_("Members whose link was revoked are left out: give them "
                                     "a new link one by one below.")) + "</small>"),
            labelled(_("Member"), self.member_picker),
            self.message.beside(self.new_link_button, self.revoke_button),
            labelled(_("Links created now (name,email,link), to copy"), self.links),
            self.download,
        )
        self.connect({self.add_button: self.add_one, self.import_button: self.import_csv,
                      self.invite_all_button: self.invite_all,
                      self.new_link_button: self.new_link, self.revoke_button: self.revoke})
        self.consultation_id = consultation_id  # draws it

    # -- helpers ----------------------------------------------------------------------

    @property
    def _fresh(self) -> dict[int, tuple[str, str, str]]:
        """The links made in this session for the consultation shown, by member id."""
        return self._links_made.setdefault(self.consultation_id, {})

    def refresh(self) -> None:
        """Reload the roster and the state of every link from the store.

        The links made in this session are shown again too (the store keeps none).
        """
        _ = self._
        self._show_links()
        members = self.store.list_members(self.consultation_id)
        state: dict[int, str] = {}
        for invitation in self.store.list_invitations(self.consultation_id):
            if invitation.revoked:
                state.setdefault(invitation.member_id, _("link revoked"))
            else:
                created = invitation.created_at
                state[invitation.member_id] = (
                    _("link active since {moment}").format(
                        moment=format_datetime(created, self.language)) if created
                    else _("link active"))
        self._state = state
        not_invited = _("not invited")
        keys = sorted({k for mb in members for k in mb.attributes})
        head = "".join(f"<th scope='col'>{esc(h)}</th>"
                       for h in [_("Name"), _("Email"), *keys, _("Invitation")])
        body = "".join(
            "<tr>" + "".join(f"<td>{esc(v)}</td>" for v in [
                mb.name, mb.email, *(mb.attributes.get(k, "") for k in keys),
                state.get(mb.id, not_invited)]) + "</tr>"
            for mb in members
        )
        on_roster = self.ngettext(
            "{count} member on the roster.", "{count} members on the roster.",
            len(members)).format(count=format_number(len(members), self.language))
        self.table.value = (
            f"<p>{esc(on_roster)}</p>"
            f"<table class='cop-table' style='border-collapse:collapse'>"
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
            if members else
            tagged("p", _("No member yet: add them one by one or from a CSV file."))
        )
        current = self.member_picker.value
        self.member_picker.options = [
            (f"{mb.name} \u2014 {state.get(mb.id, not_invited)}", mb.id) for mb in members
        ]
        ids = [mb.id for mb in members]
        self.member_picker.value = current if current in ids else (ids[0] if ids else None)
        for button in (self.new_link_button, self.revoke_button, self.invite_all_button):
            button.disabled = not members

    def _show_links(self) -> None:
        links = list(self._fresh.values())
        self.links.value = links_csv(links) if links else ""
        if links:
            data = urllib.parse.quote(links_csv(links))
            words = self.ngettext(
                "Download this {count} link as a CSV file",
                "Download these {count} links as a CSV file",
                len(links)).format(count=format_number(len(links), self.language))
            self.download.value = (
                f"<a download='invitation-links.csv' href='data:text/csv;charset=utf-8,{data}'>"
                f"{esc(words)}</a>"
            )
        else:
            self.download.value = ""

    def link_base(self) -> str:
        """Return the Voila address the links start with, as typed in :attr:`base_url`.

        Raises
        ------
        ValidationError
            It does not start with ``http://`` or ``https://``, or holds a space.

        """
        base = self.base_url.value.strip()
        if not base.lower().startswith(("http://", "https://")) or any(c.isspace()
                                                                       for c in base):
            raise ValidationError("base_url", "not-a-base-url", base)
        return base

    def _link(self, member: m.Member, base: str) -> None:
        _invitation, token = self.store.add_invitation(member.id)
        self._fresh[member.id] = (member.name, member.email,
                                  member_link(base, self.consultation_id, token))

    def _chosen(self) -> m.Member:
        if self.member_picker.value is None:
            raise ValidationError("member", "choose-member")
        return self.store.get_member(self.member_picker.value)

    # -- actions ----------------------------------------------------------------------

    def add_one(self) -> str:
        """Add the member described in the form."""
        member = self.store.add_member(m.Member(
            self.consultation_id, self.name.value, email=self.email.value,
            attributes=parse_attributes(self.attributes.value),
        ))
        self.name.value = self.email.value = self.attributes.value = ""
        return self._("Added {name}. Create their link below when you are ready.").format(
            name=member.name)

    def import_csv(self) -> str:
        """Add every member of the uploaded CSV file (all of them, or none)."""
        name, text = uploaded_text(self.upload.value)
        members = self.store.add_members(members_from_csv(self.consultation_id, text))
        self.upload.value = ()
        return self.ngettext(
            "Added {count} member from {file}.", "Added {count} members from {file}.",
            len(members)).format(count=format_number(len(members), self.language), file=name)

    def invite_all(self) -> str:
        """Create a link for every member who was never invited."""
        ever = {i.member_id for i in self.store.list_invitations(self.consultation_id)}
        todo = [mb for mb in self.store.list_members(self.consultation_id) if mb.id not in ever]
        if not todo:
            return self._("Everyone already has a link (or had one revoked): nothing to "
                          "create.")
        base = self.link_base()
        issued = self.store.add_invitations([mb.id for mb in todo])  # all or none
        for member, (_invitation, token) in zip(todo, issued, strict=True):
            self._fresh[member.id] = (member.name, member.email,
                                      member_link(base, self.consultation_id, token))
        done = len(issued)
        return self.ngettext(
            "Created {count} link. Copy or download it now: it is shown only once.",
            "Created {count} links. Copy or download them now: they are shown only once.",
            done).format(count=format_number(done, self.language))

    def new_link(self) -> str:
        """Create a new link for the chosen member; their old link stops working."""
        member = self._chosen()
        self._link(member, self.link_base())
        return self._("New link for {name} below; their old link no longer works. Copy it "
                      "now: it is shown only once.").format(name=member.name)

    def revoke(self) -> str:
        """Revoke the chosen member's link."""
        member = self._chosen()
        count = self.store.revoke_invitation(member.id)
        self._fresh.pop(member.id, None)
        if not count:
            return self._("{name} had no working link; nothing to revoke.").format(
                name=member.name)
        return self._("Revoked the link of {name}: it no longer opens their card.").format(
            name=member.name)
