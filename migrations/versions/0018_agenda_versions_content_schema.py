"""agenda_versions.content_schema: the shape each published snapshot was written in (existing ones: 1)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-10 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    # The server default numbers every version published so far: they are all in the first shape.
    with op.batch_alter_table('agenda_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('content_schema', sa.Integer(), server_default=sa.text('1'), nullable=False))
        batch_op.create_check_constraint(op.f('ck_agenda_versions_content_schema_positive'), 'content_schema >= 1')


def downgrade():
    with op.batch_alter_table('agenda_versions', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_agenda_versions_content_schema_positive'), type_='check')
        batch_op.drop_column('content_schema')
