"""The domain's tables, one module per part of the domain."""
from .agenda import Advance, AgendaItem
from .base import utcnow
from .board import (Flow, GroupBoard, Initiative, Selection, Stake, Stakeholder,
                    StakeholderValue)
from .cards import Idea, Trend
from .change import Change
from .day2 import Criterion, KeyResult, Objective, Request, Score, Solution
from .deck import Deck, Slide
from .program import ProgramTemplate
from .session import Group, Participant, Session, group_moderators
from .trust import (TrustNote, TrustPrompt, TrustProposal, TrustRound, TrustSpeaker, TrustSupport,
                    TrustTurn)
from .support import IkigaiEntry, IkigaiFocus, StagePlace, StageVote, SupportMeasure
from .user import Invitation, Membership, User

__all__ = ["Advance", "AgendaItem", "Change", "Criterion", "Deck", "Flow", "Group", "GroupBoard", "Idea", "IkigaiEntry", "IkigaiFocus", "Initiative",
           "Invitation", "KeyResult", "Membership", "Objective", "Participant", "ProgramTemplate", "Request",
           "Score", "Selection", "TrustNote", "TrustPrompt", "TrustProposal", "TrustRound",
           "TrustSpeaker", "TrustSupport", "TrustTurn", "Session", "Slide", "Solution", "Stake", "StagePlace", "StageVote", "Stakeholder", "StakeholderValue", "SupportMeasure", "Trend",
           "User", "group_moderators", "utcnow"]
