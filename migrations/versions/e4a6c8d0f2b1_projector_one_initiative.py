"""projector: one initiative of a group's board full size

One nullable column, sessions.projector_initiative_id (facilitation/models/session.py), with
no foreign key: the projector ignores an initiative that is gone.

Revision ID: e4a6c8d0f2b1
Revises: dfe7b872df9a
Create Date: 2026-11-26 11:05:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e4a6c8d0f2b1'
down_revision = 'dfe7b872df9a'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('sessions', sa.Column('projector_initiative_id', sa.Integer(), nullable=True))


def downgrade():
    op.execute("ALTER TABLE sessions DROP COLUMN projector_initiative_id")
