"""day-two teams: group stage, initiative team, teams opened

Reviewed: `sessions` and `groups` get their columns with plain ALTER TABLE, never a batch copy:
copying a table means dropping it, and with foreign keys on, SQLite cascades that drop into
every row that hangs off it. `initiatives` needs a named foreign key, which SQLite can only
have in a copied table, so on SQLite the copy runs with foreign keys off (checked to be off)
and `PRAGMA foreign_key_check` must come back empty before they are turned on again.

Revision ID: 1f2bc2d96fad
Revises: c32c6b33b143
Create Date: 2026-11-25 17:10:46.074119

"""
from contextlib import contextmanager

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1f2bc2d96fad'
down_revision = 'c32c6b33b143'
branch_labels = None
depends_on = None

FK = 'fk_initiatives_team_group_id_groups'


@contextmanager
def _foreign_keys_off(bind):
    bind.exec_driver_sql('PRAGMA foreign_keys=OFF')
    if bind.exec_driver_sql('PRAGMA foreign_keys').scalar():
        raise RuntimeError('SQLite kept foreign keys on (a transaction is open): copying '
                           '`initiatives` would cascade into its stakeholders; nothing changed')
    try:
        yield
        broken = bind.exec_driver_sql('PRAGMA foreign_key_check').fetchall()
        if broken:
            raise RuntimeError(f'foreign keys broken by the copy: {broken[:5]}')
    finally:
        bind.exec_driver_sql('PRAGMA foreign_keys=ON')


def upgrade():
    bind = op.get_bind()
    op.add_column('groups', sa.Column('stage', sa.Integer(), server_default='1', nullable=False))
    op.add_column('sessions', sa.Column('teams_opened_at', sa.DateTime(), nullable=True))
    if bind.dialect.name == 'sqlite':
        with _foreign_keys_off(bind), op.batch_alter_table('initiatives',
                                                           recreate='always') as batch_op:
            batch_op.add_column(sa.Column('team_group_id', sa.Integer(), nullable=True))
            batch_op.create_foreign_key(FK, 'groups', ['team_group_id'], ['id'],
                                        ondelete='SET NULL')
    else:
        op.add_column('initiatives', sa.Column('team_group_id', sa.Integer(), nullable=True))
        op.create_foreign_key(FK, 'initiatives', 'groups', ['team_group_id'], ['id'],
                              ondelete='SET NULL')
    op.create_index('ix_initiatives_team_group_id', 'initiatives', ['team_group_id'], unique=False)


def downgrade():
    bind = op.get_bind()
    op.drop_index('ix_initiatives_team_group_id', table_name='initiatives')
    if bind.dialect.name == 'sqlite':
        with _foreign_keys_off(bind), op.batch_alter_table('initiatives',
                                                           recreate='always') as batch_op:
            batch_op.drop_constraint(FK, type_='foreignkey')
            batch_op.drop_column('team_group_id')
    else:
        op.drop_constraint(FK, 'initiatives', type_='foreignkey')
        op.drop_column('initiatives', 'team_group_id')
    op.drop_column('sessions', 'teams_opened_at')
    op.drop_column('groups', 'stage')
