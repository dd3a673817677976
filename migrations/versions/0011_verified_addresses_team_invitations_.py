"""verified addresses: users.email_verified_at, and team roles offered by invitation (team_invitations)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 15:30:00.000000

"""
from alembic import op
import sqlalchemy as sa
import conference.types


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_verified_at', conference.types.UTCDateTime(), nullable=True))

    # Accounts that exist now: site administrators and holders of a conference role count as confirmed (as of
    # their creation), because someone vouched for them by hand (the create-user command, or an organizer who
    # typed the address on the Team page) and their roles already work; marking them unconfirmed would only
    # add a banner. Every other account starts unconfirmed: nothing ever proved its address, so an account made
    # in someone else's name before this release is no more trusted than one made after it. Its approved
    # registrations stay approved; pending and waiting ones wait until the owner confirms (the banner on every
    # page of theirs sends the link, and `flask send-confirmation-links` mails it to all of them at once).
    op.execute(
        "UPDATE users SET email_verified_at = created_at "
        "WHERE is_admin OR id IN (SELECT user_id FROM memberships)"
    )

    op.create_table('team_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conference_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('role', sa.Enum('organizer', 'reviewer', 'staff', name='invitation_role', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('locale', sa.String(length=5), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('sent_at', conference.types.UTCDateTime(), nullable=False),
    sa.Column('expires_at', conference.types.UTCDateTime(), nullable=False),
    sa.Column('accepted_at', conference.types.UTCDateTime(), nullable=True),
    sa.Column('accepted_by_id', sa.Integer(), nullable=True),
    sa.Column('cancelled_at', conference.types.UTCDateTime(), nullable=True),
    sa.CheckConstraint('email = lower(email)', name=op.f('ck_team_invitations_invitation_email_lowercase')),
    sa.ForeignKeyConstraint(['accepted_by_id'], ['users.id'], name=op.f('fk_team_invitations_accepted_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['conference_id'], ['conferences.id'], name=op.f('fk_team_invitations_conference_id_conferences'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_team_invitations_invited_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team_invitations'))
    )
    with op.batch_alter_table('team_invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_team_invitations_conference_id'), ['conference_id'], unique=False)
        batch_op.create_index('uq_team_invitations_open', ['conference_id', 'email', 'role'], unique=True,
                              sqlite_where=sa.text('accepted_at IS NULL AND cancelled_at IS NULL'),
                              postgresql_where=sa.text('accepted_at IS NULL AND cancelled_at IS NULL'))


def downgrade():
    with op.batch_alter_table('team_invitations', schema=None) as batch_op:
        batch_op.drop_index('uq_team_invitations_open')
        batch_op.drop_index(batch_op.f('ix_team_invitations_conference_id'))

    op.drop_table('team_invitations')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('email_verified_at')
