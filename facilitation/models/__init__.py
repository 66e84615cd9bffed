"""The domain's tables, one module per part of the domain."""
from .agenda import Advance, AgendaItem
from .base import utcnow
from .board import (Flow, GroupBoard, Initiative, Selection, Stake, Stakeholder,
                    StakeholderValue)
from .cards import Idea, Trend
from .change import Change
from .day2 import Criterion, KeyResult, Objective, Request, Score, Solution
from .deck import Deck, Slide
from .session import Group, Participant, Session, group_moderators
from .user import Invitation, Membership, User

__all__ = ["Advance", "AgendaItem", "Change", "Criterion", "Deck", "Flow", "Group", "GroupBoard", "Idea", "Initiative",
           "Invitation", "KeyResult", "Membership", "Objective", "Participant", "Request",
           "Score", "Selection", "Session", "Slide", "Solution", "Stake", "Stakeholder", "StakeholderValue", "Trend",
           "User", "group_moderators", "utcnow"]
