"""A realistic demo consultation: 40 members, 3 roles, 4 regions, 8 statements.

Positions are drawn from a seeded random generator so that some statements reach
consensus, some split by role or region, one polarises, and a few members stay silent.
Every card is saved through the member's own invitation token, as a real member would.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from . import model as m
from .links import member_link, results_link
from .model.discussion import REASONS_PER_SIDE, Reason, Side, side_of
from .scales import get_scale
from .store import Store

__all__ = ["DemoConsultation", "seed_demo"]

ROLES = ("tutor", "coordinator", "volunteer")
REGIONS = ("North", "South", "East", "West")
FIRST = ("Amina", "Ben", "Chloé", "Dmitri", "Esi", "Farid", "Grace", "Hugo", "Ines", "Jonas",
         "Kemi", "Luis", "Mei", "Nadia", "Omar", "Priya", "Quentin", "Rosa", "Sami", "Tara")
LAST = ("Okafor", "Martin", "Nowak", "Silva", "Haddad", "Lindqvist", "Mensah", "Dubois",
        "Kaur", "Moreno")

# text, base lean (-2..2), role effects, region effects, polarised?
STATEMENTS: tuple[tuple[str, float, dict[str, float], dict[str, float], bool], ...] = (
    ("Learners should be told whenever an AI tool helped prepare their materials.",
     1.6, {}, {}, False),
    ("AI writing assistants will save tutors meaningful preparation time.",
     0.0, {"coordinator": 1.4, "tutor": -0.6, "volunteer": 0.2}, {}, False),
    ("A person must check every piece of AI-generated feedback before a learner sees it.",
     1.5, {}, {}, False),
    ("Our community should ask the ministry to delay the start date by one year.",
     0.0, {}, {}, True),
    ("Learners' work must never be uploaded to tools hosted outside the country.",
     0.9, {}, {"East": 0.6}, False),
    ("Volunteers need paid training before they use these tools with learners.",
     0.3, {"volunteer": 1.5, "coordinator": -1.2}, {}, False),
    ("These tools will widen the gap between learners with and without devices at home.",
     0.2, {}, {"North": 1.3, "South": 1.1, "East": -1.2, "West": -1.1}, False),
    ("The ministry consulted practitioners adequately before issuing the guidance.",
     -1.6, {}, {}, False),
)

RATIONALES = {
    1: ("It matters to me that my learners trust what I give them.",
        "I have seen this work well in my own classes.",
        "Our learners deserve to know how their materials are made."),
    -1: ("In my practice this would add work without helping anyone.",
         "I do not think this reflects what happens in real classrooms.",
         "The risks outweigh the benefits for the learners I work with."),
    0: ("I am not sure yet; I would like to see it tried first.",),
}


#: Reasons members on either side find fair: marked "Speaks for me too" across groups.
FAIR = frozenset({RATIONALES[1][0], RATIONALES[-1][2], RATIONALES[0][0]})
#: Replies members write in the demo's discussion, with the facilitator's decision (None:
#: still waiting for it).
REPLIES: tuple[tuple[str, m.ModerationState | None], ...] = (
    ("Which classes were these? I would like to hear more.", m.ModerationState.ACCEPTED),
    ("I see the risk, but a checked trial would tell us more than guessing.",
     m.ModerationState.ACCEPTED),
    ("Could we agree on what counts as helping prepare the materials?",
     m.ModerationState.ACCEPTED),
    ("This is exactly the kind of extra work we cannot afford this term.", None),
)
#: How many members who answered take part in the demo's discussion, and revise a stance.
DISCUSSANTS, REVISERS = 16, 5


@dataclass
class DemoDiscussion:
    """What the demo's discussion did: counts only (who did it stays in the store)."""

    endorsements: int = 0
    replies: int = 0
    pending: int = 0
    revised: int = 0


@dataclass
class DemoConsultation:
    """What :func:`seed_demo` created: ids and each member's secret token."""

    development_id: int
    consultation_id: int
    tokens: dict[int, str] = field(default_factory=dict)
    names: dict[int, str] = field(default_factory=dict)
    responded: set[int] = field(default_factory=set)
    discussion: DemoDiscussion | None = None

    def links(self, base_url: str) -> dict[int, str]:
        """Return each member's Voila link, keyed by member id."""
        return {mid: member_link(base_url, self.consultation_id, tok)
                for mid, tok in self.tokens.items()}

    def results_link(self, base_url: str) -> str:
        """Return the link to the results page."""
        return results_link(base_url, self.consultation_id)


def seed_demo(store: Store, *, seed: int = 7, members: int = 40, silent: int = 6,
              anonymous: bool = True, discussion: bool = False) -> DemoConsultation:
    """Create the demo development and consultation, invite everyone and fill their cards.

    Parameters
    ----------
    store : Store
        Where to write.
    seed : int
        Seed of the random generator: the same seed gives the same positions.
    members : int
        Number of members on the roster.
    silent : int
        How many members never submit (two of them leave a saved draft).
    anonymous : bool
        Whether the consultation is anonymous.
    discussion : bool
        Also open a discussion of reasons (:func:`seed_discussion`): members are shown
        each other's reasons, mark some "Speaks for me too" across groups, reply (three
        replies accepted, one waiting for the facilitator) and a few change a stance,
        crediting the reason that changed their mind. ``cop-widgets demo`` does.
    """
    rng = random.Random(seed)
    today = store.now().date()
    development = store.add_development(m.Development(
        m.DevelopmentKind.POLICY,
        "Ministry guidance: AI writing assistants in adult-education classrooms",
        "The ministry has issued guidance allowing tutors to use AI writing assistants to "
        "prepare materials and give feedback to adult learners from next term. Providers "
        "must publish a local policy within three months.",
        "https://example.org/ministry/ai-guidance",
        today - dt.timedelta(days=10),
    ))
    consultation = store.add_consultation(m.Consultation(
        development.id,
        "How should our network respond to the AI guidance?",
        scale="likert5", anonymous=anonymous,
        visibility=m.Visibility.AFTER_SUBMISSION,
        deadline=store.now() + dt.timedelta(days=14),
    ))
    statements = store.add_statements(
        [m.Statement(consultation.id, text) for text, *_ in STATEMENTS]
    )
    roster = store.add_members([
        m.Member(consultation.id, _name(i), _email(_name(i)),
                 attributes={"role": ROLES[i % 3] if i % 5 else "tutor",
                             "region": REGIONS[(i // 3) % 4]})
        for i in range(members)
    ])
    store.open_consultation(consultation.id)
    demo = DemoConsultation(development.id, consultation.id)
    for member in roster:
        demo.tokens[member.id] = store.add_invitation(member.id)[1]
        demo.names[member.id] = member.name
    silent_ids = set(rng.sample([mb.id for mb in roster], silent))
    for member in roster:
        responses = _positions(rng, member, statements)
        status = m.CardStatus.SUBMITTED
        if member.id in silent_ids:
            if len(demo.responded) % 3:  # most silent members never opened the card
                continue
            status = m.CardStatus.DRAFT
        store.save_card(consultation.id, demo.tokens[member.id], responses,
                        concerns=rng.choice(("", "Workload is my main worry.",
                                             "Privacy of learners' work.")),
                        impact=rng.choice(("", "I would change how I prepare sessions.")),
                        status=status)
        if status is m.CardStatus.SUBMITTED:
            demo.responded.add(member.id)
    if discussion:
        demo.discussion = seed_discussion(store, demo, rng)
    return demo


def seed_discussion(store: Store, demo: DemoConsultation,
                    rng: random.Random) -> DemoDiscussion:
    """Open the demo's discussion of reasons and take part in it as its members would.

    The first :data:`DISCUSSANTS` members who answered (in roster order) are each shown
    up to :data:`~cop_widgets.model.discussion.REASONS_PER_SIDE` other members' reasons of
    each side under each statement (recorded as shown), mark some "Speaks for me too" (a
    reason of their own side more often, one of :data:`FAIR` from either side as often);
    the first few write the :data:`REPLIES`, which the facilitator accepts or leaves
    waiting; and :data:`REVISERS` of them move one step toward a reason they marked on the
    other side, crediting it.

    Deterministic for a given ``rng`` state: the reasons are taken in the order of their
    statement and author (the demo's own choice, made here on the server), not in the
    order the consultation's random secret draws for members' pages.
    """
    import pandas as pd

    from .services.deliberation import open_discussion

    cid = demo.consultation_id
    scale = get_scale(store.get_consultation(cid).scale)
    open_discussion(store, cid)
    reasons = sorted(store.list_reasons(cid), key=lambda r: r.key)
    frame = store.responses_frame(cid, rationales=False)
    stances = {(int(mb), int(st)): None if pd.isna(value) else int(value)
               for mb, st, value in zip(frame["member_id"], frame["statement_id"],
                                        frame["stance"], strict=True)}
    done = DemoDiscussion()
    replies = list(REPLIES)
    for member_id in sorted(demo.responded)[:DISCUSSANTS]:
        token = demo.tokens[member_id]
        own_stance = {st: value for (mb, st), value in stances.items() if mb == member_id}
        shown = _shown(reasons, member_id, rng)
        store.record_impressions(cid, token, [r.key for r in shown])
        crossed = None
        for reason in shown:
            own = side_of(scale, own_stance.get(reason.statement_id))
            chance = 0.45 if reason.text in FAIR else 0.3 if reason.side is own else 0.08
            if rng.random() < chance:
                store.set_reason_endorsement(cid, token, reason.key, True)
                done.endorsements += 1
                if crossed is None and {reason.side, own} == {Side.AGREE, Side.DISAGREE}:
                    crossed = reason
        if replies and shown:
            text, decision = replies.pop(0)
            reply = store.add_reply(cid, token, shown[0].key, text)
            done.replies += 1
            if decision is None:
                done.pending += 1
            else:
                store.moderate_reply(reply.id, decision)
        if crossed is not None and done.revised < REVISERS:
            stance = own_stance.get(crossed.statement_id)
            step = 1 if crossed.side is Side.AGREE else -1  # 1..5: the scale's positions
            if stance is not None and 1 <= stance + step <= 5:
                store.revise_stance(cid, token, crossed.statement_id, stance + step,
                                    credit=crossed.key)
                done.revised += 1
    return done


def _shown(reasons: list[Reason], member_id: int, rng: random.Random) -> list[Reason]:
    """Draw the reasons a member is shown: up to three of each side per statement."""
    by_side: dict[tuple[int, Side], list[Reason]] = {}
    for reason in reasons:
        if reason.author_id != member_id:
            by_side.setdefault((reason.statement_id, reason.side), []).append(reason)
    shown = []
    for group in by_side.values():
        picked = set(rng.sample(range(len(group)), min(REASONS_PER_SIDE, len(group))))
        shown += [reason for i, reason in enumerate(group) if i in picked]
    return shown


def _name(i: int) -> str:
    """Return a distinct name for each of the first 200 members."""
    return f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST) + 3 * i) % len(LAST)]}"


def _email(name: str) -> str:
    """Return a demo member's address: ``firstname.lastname@example.org``, in ASCII."""
    import unicodedata

    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return plain.lower().replace(" ", ".") + "@example.org"


def _positions(rng: random.Random, member: m.Member,
               statements: list[m.Statement]) -> list[m.StanceResponse]:
    role, region = member.attributes["role"], member.attributes["region"]
    sceptic = rng.random() < 0.5
    responses = []
    for statement, spec in zip(statements, STATEMENTS, strict=True):
        _text, base, by_role, by_region, polarised = spec
        if rng.random() < 0.06:
            responses.append(m.StanceResponse(statement.id, None))
            continue
        if polarised:
            lean = 1.8 if sceptic else -1.8
        else:
            lean = base + by_role.get(role, 0.0) + by_region.get(region, 0.0)
        stance = int(round(min(2.0, max(-2.0, lean + rng.gauss(0, 0.7))))) + 3
        rationale = ""
        if rng.random() < 0.35:
            rationale = rng.choice(RATIONALES[(stance > 3) - (stance < 3)])
        responses.append(m.StanceResponse(statement.id, stance, rationale))
    return responses
