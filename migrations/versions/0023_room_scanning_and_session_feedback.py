"""room scanning and session feedback: devices bound to a room, room-only scanning, the room and session of a scan,
session_feedback (one rating 1-5 per delegate and session)

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 15:05:00

"""
from alembic import op
import sqlalchemy as sa
import conference.types


# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('conferences', schema=None) as batch_op:
        batch_op.add_column(sa.Column('allow_room_only_scanning', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
    with op.batch_alter_table('checkin_devices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('room_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_checkin_devices_room_id'), ['room_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_checkin_devices_room_id_rooms'), 'rooms', ['room_id'], ['id'],
                                    ondelete='SET NULL')
    with op.batch_alter_table('checkin_scans', schema=None) as batch_op:
        batch_op.add_column(sa.Column('room_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('session_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_checkin_scans_room_id_rooms'), 'rooms', ['room_id'], ['id'],
                                    ondelete='SET NULL')
        batch_op.create_foreign_key(batch_op.f('fk_checkin_scans_session_id_agenda_sessions'), 'agenda_sessions',
                                    ['session_id'], ['id'], ondelete='SET NULL')
    op.create_table('session_feedback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conference_id', sa.Integer(), nullable=False),
    sa.Column('delegate_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('rating', sa.SmallInteger(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('created_at', conference.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', conference.types.UTCDateTime(), nullable=False),
    sa.CheckConstraint('rating BETWEEN 1 AND 5', name=op.f('ck_session_feedback_rating_one_to_five')),
    sa.ForeignKeyConstraint(['conference_id'], ['conferences.id'], name=op.f('fk_session_feedback_conference_id_conferences'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['delegate_id'], ['delegates.id'], name=op.f('fk_session_feedback_delegate_id_delegates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['session_id'], ['agenda_sessions.id'], name=op.f('fk_session_feedback_session_id_agenda_sessions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_feedback')),
    sa.UniqueConstraint('delegate_id', 'session_id', name=op.f('uq_session_feedback_delegate_id_session_id'))
    )
    with op.batch_alter_table('session_feedback', schema=None) as batch_op:
        batch_op.create_index('ix_session_feedback_conference_session', ['conference_id', 'session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_session_feedback_delegate_id'), ['delegate_id'], unique=False)


def downgrade():
    with op.batch_alter_table('session_feedback', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_feedback_delegate_id'))
        batch_op.drop_index('ix_session_feedback_conference_session')
    op.drop_table('session_feedback')
    with op.batch_alter_table('checkin_scans', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_checkin_scans_session_id_agenda_sessions'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_checkin_scans_room_id_rooms'), type_='foreignkey')
        batch_op.drop_column('session_id')
        batch_op.drop_column('room_id')
    with op.batch_alter_table('checkin_devices', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_checkin_devices_room_id_rooms'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_checkin_devices_room_id'))
        batch_op.drop_column('room_id')
    with op.batch_alter_table('conferences', schema=None) as batch_op:
        batch_op.drop_column('allow_room_only_scanning')
