"""The registry of tact kinds, by explicit import (no discovery): name -> kind instance."""
from ..services.errors import NotFound
from .brainstorm import BrainstormKind
from .clustering import ClusteringKind
from .deck import DeckKind
from .experts import ExpertsKind
from .ikigai import IkigaiKind
from .info import InfoKind
from .okr import OkrKind
from .presentation import PresentationKind
from .regrouping import RegroupingKind
from .requests import RequestsKind
from .resources import ResourcesKind
from .stages import StagesKind
from .stakeholders import StakeholdersKind
from .trends import TrendsKind
from .trust_round import TrustRoundKind

KINDS = {kind.name: kind for kind in (InfoKind(), TrendsKind(), BrainstormKind(), ClusteringKind(),
                                      StakeholdersKind(), ResourcesKind(), PresentationKind(),
                                      RegroupingKind(),
                                      RequestsKind(), OkrKind(), DeckKind(),
                                      ExpertsKind(),
                                      IkigaiKind(), StagesKind(), TrustRoundKind())}


def get_kind(name):
    """Return the kind registered under `name`; raise NotFound for an unknown one."""
    try:
        return KINDS[name]
    except KeyError:
        raise NotFound() from None
