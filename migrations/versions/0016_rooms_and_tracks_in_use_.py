"""rooms and tracks in use: the database refuses to delete a room or track that sessions or proposals still use

The foreign keys were ON DELETE SET NULL: had the check before a deletion been skipped, the sessions would have
silently left the grid. They are now the default (NO ACTION), checked at the end of the statement, so that deleting a
whole conference, which removes its sessions and rooms in one cascade, still works.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 10:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

FOREIGN_KEYS = (
    ("agenda_sessions", "room_id", "rooms"),
    ("agenda_sessions", "track_id", "tracks"),
    ("proposals", "track_id", "tracks"),
)


def _set_ondelete(ondelete):
    for table, column, referred in FOREIGN_KEYS:
        name = f"fk_{table}_{column}_{referred}"
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(name, type_="foreignkey")
            batch_op.create_foreign_key(name, referred, [column], ["id"], ondelete=ondelete)


def upgrade():
    _set_ondelete(None)


def downgrade():
    _set_ondelete("SET NULL")
