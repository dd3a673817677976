"""door tokens: the scanner page's short-lived bearer tokens for its logged-in staff member

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 09:00:00.000000

"""
from alembic import op
import sqlalchemy as sa
import conference.types


# revision identifiers, used by Alembic.
revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('checkin_door_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conference_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('membership_id', sa.Integer(), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('session_id', sa.String(length=100), nullable=False),
    sa.Column('created_at', conference.types.UTCDateTime(), nullable=False),
    sa.Column('expires_at', conference.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['conference_id'], ['conferences.id'], name=op.f('fk_checkin_door_tokens_conference_id_conferences'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['membership_id'], ['memberships.id'], name=op.f('fk_checkin_door_tokens_membership_id_memberships'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_checkin_door_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checkin_door_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_checkin_door_tokens_token_hash'))
    )
    with op.batch_alter_table('checkin_door_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_checkin_door_tokens_conference_id'), ['conference_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_checkin_door_tokens_expires_at'), ['expires_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_checkin_door_tokens_membership_id'), ['membership_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_checkin_door_tokens_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('checkin_door_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checkin_door_tokens_user_id'))
        batch_op.drop_index(batch_op.f('ix_checkin_door_tokens_membership_id'))
        batch_op.drop_index(batch_op.f('ix_checkin_door_tokens_expires_at'))
        batch_op.drop_index(batch_op.f('ix_checkin_door_tokens_conference_id'))

    op.drop_table('checkin_door_tokens')
