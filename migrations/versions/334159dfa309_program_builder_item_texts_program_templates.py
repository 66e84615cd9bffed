"""program builder: agenda items' texts in other languages, organizers' program templates

Reviewed by hand: `agenda_items` gets one nullable JSON column by plain ALTER TABLE (never a
batch copy: dropping the copied table would cascade into every card, board and advance that
hangs off the items); `program_templates` is a new table owned by a user. Nothing else.

Revision ID: 334159dfa309
Revises: d9f14964ba09
Create Date: 2026-11-25 20:40:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '334159dfa309'
down_revision = 'd9f14964ba09'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column('agenda_items', sa.Column('texts', sa.JSON(), nullable=True))
    op.create_table(
        'program_templates',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('owner_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['owner_id'], ['users.id'],
                                name=op.f('fk_program_templates_owner_id_users'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_program_templates')),
        sa.UniqueConstraint('owner_id', 'name', name='uq_program_templates_owner_name'))
    op.create_index(op.f('ix_program_templates_owner_id'), 'program_templates', ['owner_id'],
                    unique=False)


def downgrade():
    op.drop_index(op.f('ix_program_templates_owner_id'), table_name='program_templates')
    op.drop_table('program_templates')
    op.drop_column('agenda_items', 'texts')
