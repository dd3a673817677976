"""certificate_settings (how a conference's certificates read, who signs, when released) and certificates (each
issued certificate with its verification code; one live per delegate and kind, revoked ones kept, replaced_by)

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07 15:00:22.879100

"""
from alembic import op
import sqlalchemy as sa
import conference.types


# revision identifiers, used by Alembic.
revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('certificate_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conference_id', sa.Integer(), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=False),
    sa.Column('title_ar', sa.String(length=200), nullable=False),
    sa.Column('wording_en', sa.Text(), nullable=False),
    sa.Column('wording_ar', sa.Text(), nullable=False),
    sa.Column('organizer_en', sa.String(length=200), nullable=False),
    sa.Column('organizer_ar', sa.String(length=200), nullable=False),
    sa.Column('signatory_name', sa.String(length=200), nullable=False),
    sa.Column('signatory_title', sa.String(length=200), nullable=False),
    sa.Column('signature', sa.LargeBinary(), nullable=True),
    sa.Column('list_sessions', sa.Boolean(), nullable=False),
    sa.Column('release_on', sa.Date(), nullable=True),
    sa.Column('updated_at', conference.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['conference_id'], ['conferences.id'], name=op.f('fk_certificate_settings_conference_id_conferences'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_settings')),
    sa.UniqueConstraint('conference_id', name=op.f('uq_certificate_settings_conference_id'))
    )
    op.create_table('certificates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('conference_id', sa.Integer(), nullable=False),
    sa.Column('delegate_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('attendance', 'presentation', name='certificate_kind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('issued_at', conference.types.UTCDateTime(), nullable=False),
    sa.Column('revoked_at', conference.types.UTCDateTime(), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.Column('replaced_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['conference_id'], ['conferences.id'], name=op.f('fk_certificates_conference_id_conferences'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['delegate_id'], ['delegates.id'], name=op.f('fk_certificates_delegate_id_delegates'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['replaced_by_id'], ['certificates.id'], name=op.f('fk_certificates_replaced_by_id_certificates'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['users.id'], name=op.f('fk_certificates_revoked_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificates')),
    sa.UniqueConstraint('code', name=op.f('uq_certificates_code'))
    )
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificates_conference_id'), ['conference_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificates_delegate_id'), ['delegate_id'], unique=False)
        batch_op.create_index('uq_certificates_live', ['delegate_id', 'kind'], unique=True, sqlite_where=sa.text('revoked_at IS NULL'), postgresql_where=sa.text('revoked_at IS NULL'))



def downgrade():
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_index('uq_certificates_live', sqlite_where=sa.text('revoked_at IS NULL'), postgresql_where=sa.text('revoked_at IS NULL'))
        batch_op.drop_index(batch_op.f('ix_certificates_delegate_id'))
        batch_op.drop_index(batch_op.f('ix_certificates_conference_id'))

    op.drop_table('certificates')
    op.drop_table('certificate_settings')
