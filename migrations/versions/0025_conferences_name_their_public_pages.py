"""conferences.agenda_version_id (the latest published version) and conferences.updated_at: what names the public
pages of the agenda, read from the conference's row alone

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07 19:23:54.583451

"""
from alembic import op
import sqlalchemy as sa
import conference.types


# revision identifiers, used by Alembic.
revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('conferences', schema=None) as batch_op:
        batch_op.add_column(sa.Column('agenda_version_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('updated_at', conference.types.UTCDateTime(), nullable=True))
    # Every conference as it stands: its latest version, and last changed when it was published (or created).
    op.execute("UPDATE conferences SET agenda_version_id = ("
               "SELECT v.id FROM agenda_versions v WHERE v.conference_id = conferences.id "
               "ORDER BY v.number DESC LIMIT 1), updated_at = COALESCE(("
               "SELECT max(v.published_at) FROM agenda_versions v WHERE v.conference_id = conferences.id), "
               "created_at)")
    with op.batch_alter_table('conferences', schema=None) as batch_op:
        batch_op.alter_column('updated_at', existing_type=conference.types.UTCDateTime(), nullable=False)


def downgrade():
    with op.batch_alter_table('conferences', schema=None) as batch_op:
        batch_op.drop_column('updated_at')
        batch_op.drop_column('agenda_version_id')
