"""agenda: sessions, their people, published versions, stars, calendar feeds; the change-over buffer

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 14:52:00.000000

"""
from alembic import op
import sqlalchemy as sa
import conference.types


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('conferences', schema=None) as batch_op:
        batch_op.add_column(sa.Column('changeover_minutes', sa.Integer(), server_default='0', nullable=False))

    op.create_table('agenda_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conference_id', sa.Integer(), nullable=False),
    sa.Column('uid', sa.String(length=36), nullable=False),
    sa.Column('title_en', sa.String(length=250), nullable=False),
    sa.Column('title_ar', sa.String(length=250), nullable=False),
    sa.Column('description_en', sa.Text(), nullable=False),
    sa.Column('description_ar', sa.Text(), nullable=False),
    sa.Column('kind', sa.Enum('plenary', 'panel', 'workshop', 'talk', 'break', 'ceremony', name='session_kind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('starts_at', conference.types.UTCDateTime(), nullable=True),
    sa.Column('ends_at', conference.types.UTCDateTime(), nullable=True),
    sa.Column('duration_minutes', sa.Integer(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=True),
    sa.Column('track_id', sa.Integer(), nullable=True),
    sa.Column('chair_id', sa.Integer(), nullable=True),
    sa.Column('language', sa.String(length=4), nullable=False),
    sa.Column('interpretation', sa.String(length=4), nullable=False),
    sa.Column('expected_audience', sa.Integer(), nullable=True),
    sa.Column('proposal_id', sa.Integer(), nullable=True),
    sa.Column('created_at', conference.types.UTCDateTime(), nullable=False),
    sa.Column('updated_at', conference.types.UTCDateTime(), nullable=False),
    sa.CheckConstraint('(starts_at IS NULL) = (ends_at IS NULL)', name=op.f('ck_agenda_sessions_times_together')),
    sa.CheckConstraint('ends_at IS NULL OR ends_at > starts_at', name=op.f('ck_agenda_sessions_ends_after_start')),
    sa.CheckConstraint('duration_minutes >= 5', name=op.f('ck_agenda_sessions_duration_at_least_five')),
    sa.CheckConstraint("language IN ('ar', 'en', 'both')", name=op.f('ck_agenda_sessions_session_language')),
    sa.CheckConstraint("interpretation IN ('', 'ar', 'en', 'both')", name=op.f('ck_agenda_sessions_session_interpretation')),
    sa.CheckConstraint('expected_audience IS NULL OR expected_audience >= 0', name=op.f('ck_agenda_sessions_audience_positive')),
    sa.ForeignKeyConstraint(['conference_id'], ['conferences.id'], name=op.f('fk_agenda_sessions_conference_id_conferences'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['room_id'], ['rooms.id'], name=op.f('fk_agenda_sessions_room_id_rooms'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['track_id'], ['tracks.id'], name=op.f('fk_agenda_sessions_track_id_tracks'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['chair_id'], ['delegates.id'], name=op.f('fk_agenda_sessions_chair_id_delegates'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposals.id'], name=op.f('fk_agenda_sessions_proposal_id_proposals'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_sessions')),
    sa.UniqueConstraint('uid', name=op.f('uq_agenda_sessions_uid')),
    sa.UniqueConstraint('proposal_id', name=op.f('uq_agenda_sessions_proposal_id')),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('agenda_sessions', schema=None) as batch_op:
        batch_op.create_index('ix_agenda_sessions_conference_start', ['conference_id', 'starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_agenda_sessions_room_id'), ['room_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agenda_sessions_track_id'), ['track_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agenda_sessions_chair_id'), ['chair_id'], unique=False)

    op.create_table('agenda_session_people',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('delegate_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint("role IN ('speaker', 'moderator')", name=op.f('ck_agenda_session_people_session_person_role')),
    sa.ForeignKeyConstraint(['session_id'], ['agenda_sessions.id'], name=op.f('fk_agenda_session_people_session_id_agenda_sessions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['delegate_id'], ['delegates.id'], name=op.f('fk_agenda_session_people_delegate_id_delegates'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_session_people')),
    sa.UniqueConstraint('session_id', 'delegate_id', name=op.f('uq_agenda_session_people_session_id_delegate_id'))
    )
    with op.batch_alter_table('agenda_session_people', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_session_people_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agenda_session_people_delegate_id'), ['delegate_id'], unique=False)

    op.create_table('agenda_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conference_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('published_at', conference.types.UTCDateTime(), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.CheckConstraint('number >= 1', name=op.f('ck_agenda_versions_version_number_positive')),
    sa.ForeignKeyConstraint(['conference_id'], ['conferences.id'], name=op.f('fk_agenda_versions_conference_id_conferences'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_agenda_versions_published_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_versions')),
    sa.UniqueConstraint('conference_id', 'number', name=op.f('uq_agenda_versions_conference_id_number'))
    )
    with op.batch_alter_table('agenda_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_versions_conference_id'), ['conference_id'], unique=False)

    op.create_table('agenda_stars',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conference_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('created_at', conference.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['conference_id'], ['conferences.id'], name=op.f('fk_agenda_stars_conference_id_conferences'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_agenda_stars_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_stars')),
    sa.UniqueConstraint('user_id', 'session_id', name=op.f('uq_agenda_stars_user_id_session_id'))
    )
    with op.batch_alter_table('agenda_stars', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_stars_conference_id'), ['conference_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agenda_stars_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agenda_stars_session_id'), ['session_id'], unique=False)

    op.create_table('agenda_feeds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conference_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('created_at', conference.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['conference_id'], ['conferences.id'], name=op.f('fk_agenda_feeds_conference_id_conferences'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_agenda_feeds_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_feeds')),
    sa.UniqueConstraint('conference_id', 'user_id', name=op.f('uq_agenda_feeds_conference_id_user_id')),
    sa.UniqueConstraint('token', name=op.f('uq_agenda_feeds_token'))
    )
    with op.batch_alter_table('agenda_feeds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_feeds_user_id'), ['user_id'], unique=False)


def downgrade():
    op.drop_table('agenda_feeds')
    op.drop_table('agenda_stars')
    op.drop_table('agenda_versions')
    op.drop_table('agenda_session_people')
    op.drop_table('agenda_sessions')
    with op.batch_alter_table('conferences', schema=None) as batch_op:
        batch_op.drop_column('changeover_minutes')
