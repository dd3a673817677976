"""agenda_sessions.for_everyone (a session that holds every room) and agenda_programme_days (a day's hours)

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 11:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('agenda_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('for_everyone', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.create_table('agenda_programme_days',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conference_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('starts', sa.Time(), nullable=False),
    sa.Column('ends', sa.Time(), nullable=False),
    sa.CheckConstraint('ends > starts', name=op.f('ck_agenda_programme_days_programme_ends_after_start')),
    sa.ForeignKeyConstraint(['conference_id'], ['conferences.id'], name=op.f('fk_agenda_programme_days_conference_id_conferences'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_programme_days')),
    sa.UniqueConstraint('conference_id', 'day', name=op.f('uq_agenda_programme_days_conference_id_day'))
    )
    with op.batch_alter_table('agenda_programme_days', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_programme_days_conference_id'), ['conference_id'], unique=False)


def downgrade():
    with op.batch_alter_table('agenda_programme_days', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agenda_programme_days_conference_id'))
    op.drop_table('agenda_programme_days')
    with op.batch_alter_table('agenda_sessions', schema=None) as batch_op:
        batch_op.drop_column('for_everyone')
