"""A small anonymous consultation with a discussion of reasons, for issue 13's output tests.

Six members with distinctive names, emails and roster ids (none of which may appear next to
a reason, an endorsement, a reply or a change in any output), in two roster groups of three
(the smallest group an anonymous consultation shows, so no group is merged).

Statement 1 splits the community; Zephyrine's reason is marked across both groups, Osgood's
as often but by one group; after reading, Marisol moves from agree to disagree crediting
Zephyrine's reason, and Barnaby from agree to strongly agree. Statement 2 leans to agree;
Ottoline, on the disagreeing minority, marks Osgood's agreeing reason. Statement 3 has
answers but no reason.
"""

from __future__ import annotations

import types

from cop_widgets import model as m
from cop_widgets.model.discussion import GroupSource

NAMES = ("Zephyrine Quarterbuck", "Osgood Vantablack", "Marisol Threnody",
         "Isidore Paxwhistle", "Ottoline Grimsditch", "Barnaby Quillfeather")
EXTERNAL = ("ZQX-40417", "OVX-40418", "MTX-40419", "IPX-40420", "OGX-40421", "BQX-40422")
EMAILS = tuple(f"{name.split()[1].lower()}@roster.example" for name in NAMES)
ROLES = ("tutor", "tutor", "tutor", "coordinator", "coordinator", "coordinator")
STATEMENTS = ("AI feedback must be checked by a person.",
              "Tutors should get time to learn the tools.",
              "The guidance was clear.")
#: Stances on statements 1 and 2 (likert5: 2 disagree, 4 agree, 5 strongly agree).
STANCES = ((2, 2), (4, 4), (4, 4), (4, 4), (2, 2), (4, 4))
#: Reasons by (member index, statement index).
REASONS = {
    (0, 0): "Ask the learners first: they know what they need.",
    (1, 0): "Trust <matters> more than speed & cost.",
    (4, 0): "Nobody has time to check everything.",
    (0, 1): "Too costly for small centres.",
    (1, 1): "Saves everyone time in the long run.",
}
#: "Speaks for me too": (reader index, reason). Zephyrine's reason on statement 1 is marked
#: in both groups (a tutor, a coordinator), Osgood's by two coordinators only; on statement
#: 2, Isidore (agreeing) marks Zephyrine's disagreeing reason.
MARKS = ((2, (0, 0)), (4, (0, 0)), (3, (1, 0)), (5, (1, 0)), (4, (1, 1)), (2, (1, 1)),
         (3, (0, 1)))
REPLY_ACCEPTED = "What would you ask them first?"
REPLY_PENDING = "Which learners do you mean?"


def identities() -> list[str]:
    """Everything that identifies a member: names (and each part), emails, roster ids."""
    parts = [part for name in NAMES for part in name.split()]
    return [*NAMES, *parts, *EXTERNAL, *EMAILS]


def seed_discussion_consultation(store, clock=None, *, discussion: bool = True,
                                 pad: int = 0) -> types.SimpleNamespace:
    """Seed the consultation (module docstring); ``clock`` (a FakeClock) is advanced.

    ``pad``: first add that many members to another consultation, so that the seeded
    members' ids are above ``pad`` (distinct from any count or statement id, to look for).

    Returns a namespace: ``cid``, ``statements``, ``members`` (roster order), ``tokens``,
    ``key`` (reason key by (member index, statement index)).
    """
    def tick() -> None:
        if clock is not None:
            clock.advance(1)

    if pad:
        other = store.add_consultation(m.Consultation(store.add_development(m.Development(
            "policy", "Another development")).id, "Another consultation"))
        store.add_members([m.Member(other.id, f"Someone {i}") for i in range(pad)])

    development = store.add_development(m.Development(
        "policy", "AI in adult education", date="2026-01-10"))
    consultation = store.add_consultation(m.Consultation(
        development.id, "How do we respond?", scale="likert5", anonymous=True))
    statements = store.add_statements([m.Statement(consultation.id, t) for t in STATEMENTS])
    members = store.add_members([
        m.Member(consultation.id, name, email=email, external_id=external,
                 attributes={"role": role})
        for name, email, external, role in zip(NAMES, EMAILS, EXTERNAL, ROLES, strict=True)])
    tokens = {mb.id: store.add_invitation(mb.id)[1] for mb in members}
    cid = store.open_consultation(consultation.id).id
    for i, member in enumerate(members):
        responses = [m.StanceResponse(s.id, STANCES[i][j] if j < 2 else 4,
                                      REASONS.get((i, j), ""))
                     for j, s in enumerate(statements)]
        store.save_card(cid, tokens[member.id], responses)
    tick()
    key = {(i, j): (statements[j].id, members[i].id) for i, j in REASONS}
    seeded = types.SimpleNamespace(cid=cid, statements=statements, members=members,
                                   tokens=tokens, key=key)
    if not discussion:
        return seeded
    store.open_discussion(cid, {mb.id: role for mb, role in zip(members, ROLES, strict=True)},
                          GroupSource.ROSTER, attribute="role")
    tick()

    def act(i: int) -> str:
        return tokens[members[i].id]

    for reader in range(6):  # everyone is shown every reason but their own
        store.record_impressions(cid, act(reader), [k for (a, _), k in key.items()
                                                    if a != reader])
    tick()
    for reader, reason in MARKS:
        store.set_reason_endorsement(cid, act(reader), key[reason], True)
    accepted = store.add_reply(cid, act(2), key[(0, 0)], REPLY_ACCEPTED)
    store.moderate_reply(accepted.id, m.ModerationState.ACCEPTED)
    store.add_reply(cid, act(3), key[(0, 0)], REPLY_PENDING)
    tick()
    store.revise_stance(cid, act(2), statements[0].id, 2, credit=key[(0, 0)])
    store.revise_stance(cid, act(5), statements[0].id, 5)
    tick()
    return seeded
