"""checkin_session_attendance: a delegate recorded at a room's door during a session (one per delegate and session)

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 14:51:26.066160

"""
from alembic import op
import sqlalchemy as sa
import conference.types


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('checkin_session_attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conference_id', sa.Integer(), nullable=False),
    sa.Column('delegate_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=True),
    sa.Column('at', conference.types.UTCDateTime(), nullable=False),
    sa.Column('recorded_at', conference.types.UTCDateTime(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('device_id', sa.Integer(), nullable=True),
    sa.Column('nonce', sa.String(length=64), nullable=True),
    sa.ForeignKeyConstraint(['conference_id'], ['conferences.id'], name=op.f('fk_checkin_session_attendance_conference_id_conferences'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['delegate_id'], ['delegates.id'], name=op.f('fk_checkin_session_attendance_delegate_id_delegates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['device_id'], ['checkin_devices.id'], name=op.f('fk_checkin_session_attendance_device_id_checkin_devices'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['room_id'], ['rooms.id'], name=op.f('fk_checkin_session_attendance_room_id_rooms'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['agenda_sessions.id'], name=op.f('fk_checkin_session_attendance_session_id_agenda_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_id'], ['users.id'], name=op.f('fk_checkin_session_attendance_staff_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checkin_session_attendance')),
    sa.UniqueConstraint('delegate_id', 'session_id', name=op.f('uq_checkin_session_attendance_delegate_id_session_id'))
    )
    with op.batch_alter_table('checkin_session_attendance', schema=None) as batch_op:
        batch_op.create_index('ix_checkin_session_attendance_conference_session', ['conference_id', 'session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_checkin_session_attendance_delegate_id'), ['delegate_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_checkin_session_attendance_room_id'), ['room_id'], unique=False)



def downgrade():
    with op.batch_alter_table('checkin_session_attendance', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checkin_session_attendance_room_id'))
        batch_op.drop_index(batch_op.f('ix_checkin_session_attendance_delegate_id'))
        batch_op.drop_index('ix_checkin_session_attendance_conference_session')

    op.drop_table('checkin_session_attendance')
