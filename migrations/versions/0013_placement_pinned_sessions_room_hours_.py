"""placement assistant: agenda_sessions.pinned; rooms.interpretation_booths, opens_at, closes_at

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-08 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('agenda_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pinned', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('rooms', schema=None) as batch_op:
        batch_op.add_column(sa.Column('interpretation_booths', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
        batch_op.add_column(sa.Column('opens_at', sa.Time(), nullable=True))
        batch_op.add_column(sa.Column('closes_at', sa.Time(), nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_rooms_room_hours_ordered'), 'opens_at IS NULL OR closes_at IS NULL OR closes_at > opens_at')


def downgrade():
    with op.batch_alter_table('rooms', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_rooms_room_hours_ordered'), type_='check')
        batch_op.drop_column('closes_at')
        batch_op.drop_column('opens_at')
        batch_op.drop_column('interpretation_booths')

    with op.batch_alter_table('agenda_sessions', schema=None) as batch_op:
        batch_op.drop_column('pinned')
