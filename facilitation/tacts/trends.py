"""`trends` (tact 1, problematization): each group collects trends and directions."""
from flask_babel import lazy_gettext as _l

from ..models import Trend
from .base import CardTact


class TrendsKind(CardTact):
    name = "trends"
    label = _l("Trends")
    card_model = Trend
    post_scope = "group"
    post_label = _l("Your trend or direction of development")
    post_example = _l("For example: young people choose eco-tourism")

    def summary(self, cards):
        """Count of trends per group."""
        per_group = {}
        for card in cards:
            per_group[card.group_id] = per_group.get(card.group_id, 0) + 1
        return {"count": len(cards), "per_group": per_group}
