"""door: offline scans (the scan's own time and the verdict shown offline), admissions' recorded time

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 15:20:00.000000

"""
from alembic import op
import sqlalchemy as sa
import conference.types


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recorded_at', conference.types.UTCDateTime(), nullable=True))
    # Admissions so far were all live scans: recorded when they were scanned.
    op.execute("UPDATE checkins SET recorded_at = at")
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.alter_column('recorded_at', existing_type=conference.types.UTCDateTime(), nullable=False)

    with op.batch_alter_table('checkin_scans', schema=None) as batch_op:
        batch_op.add_column(sa.Column('scanned_at', conference.types.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('offline_verdict', sa.String(length=30), nullable=True))


def downgrade():
    with op.batch_alter_table('checkin_scans', schema=None) as batch_op:
        batch_op.drop_column('offline_verdict')
        batch_op.drop_column('scanned_at')

    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.drop_column('recorded_at')
