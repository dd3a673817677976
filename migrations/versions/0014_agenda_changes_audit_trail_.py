"""agenda history: agenda_changes, one row per change of the working copy and per publication

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-09 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa
import conference.types


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('agenda_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conference_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('session_uid', sa.String(length=36), nullable=True),
    sa.Column('session_title', sa.String(length=250), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('at', conference.types.UTCDateTime(), nullable=False),
    sa.Column('action', sa.Enum('created', 'edited', 'placed', 'moved', 'unplaced', 'deleted', 'scheduled',
                                'assistant', 'published', name='agenda_change_action', native_enum=False,
                                create_constraint=True, length=20), nullable=False),
    sa.Column('summary', sa.String(length=500), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_agenda_changes_actor_id_users'),
                            ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['conference_id'], ['conferences.id'],
                            name=op.f('fk_agenda_changes_conference_id_conferences'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['agenda_sessions.id'],
                            name=op.f('fk_agenda_changes_session_id_agenda_sessions'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_changes'))
    )
    with op.batch_alter_table('agenda_changes', schema=None) as batch_op:
        batch_op.create_index('ix_agenda_changes_conference_at', ['conference_id', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_agenda_changes_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agenda_changes_actor_id'), ['actor_id'], unique=False)


def downgrade():
    op.drop_table('agenda_changes')
