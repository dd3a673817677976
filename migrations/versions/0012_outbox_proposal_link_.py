"""outbox: proposal_id, the proposal a message is about (decision letters reach the speakers when released)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01 16:45:00.000000

"""
import re

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

# Before this revision a letter named its proposal only through the proposal's page, on a line of its own:
# .../<slug>/me/proposals/<id>
PROPOSAL_PAGE = re.compile(r"/([^/\s]+)/me/proposals/(\d+)$", re.MULTILINE)


def upgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('proposal_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_outbox_messages_proposal_id'), ['proposal_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_outbox_messages_proposal_id_proposals'), 'proposals',
                                    ['proposal_id'], ['id'], ondelete='SET NULL')

    # Link the proposals' letters already in the outbox, so that a decision letter still waiting as a draft
    # keeps its decision from the speakers after the upgrade too. A link counts only when the proposal is of
    # the message's own conference and the page's slug is that conference's.
    connection = op.get_bind()
    proposals = {row.id: (row.conference_id, row.slug) for row in connection.execute(sa.text(
        "SELECT proposals.id, proposals.conference_id, conferences.slug FROM proposals "
        "JOIN conferences ON conferences.id = proposals.conference_id"))}
    messages = connection.execute(sa.text(
        "SELECT id, conference_id, body_text FROM outbox_messages WHERE template LIKE 'proposal_%'")).all()
    for message in messages:
        for slug, proposal_id in PROPOSAL_PAGE.findall(message.body_text or ""):
            if proposals.get(int(proposal_id)) == (message.conference_id, slug):
                connection.execute(sa.text("UPDATE outbox_messages SET proposal_id = :proposal WHERE id = :id"),
                                   {"proposal": int(proposal_id), "id": message.id})
                break


def downgrade():
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_outbox_messages_proposal_id_proposals'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_outbox_messages_proposal_id'))
        batch_op.drop_column('proposal_id')
