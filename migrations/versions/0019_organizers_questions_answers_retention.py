"""organizers' questions: questions, their choices and answers, purge records, the passport fields' retention

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 11:15:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None

KINDS = ("text", "long_text", "number", "date", "datetime", "yes_no", "choice", "choices", "country")


def upgrade():
    with op.batch_alter_table("conferences", schema=None) as batch_op:
        batch_op.add_column(sa.Column("passport_retention_days", sa.Integer(), server_default="30", nullable=True))
    op.create_table(
        "questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conference_id", sa.Integer(), nullable=False),
        sa.Column("target", sa.Enum("registration", "proposal", name="question_target", native_enum=False,
                                    create_constraint=True, length=20), nullable=False),
        sa.Column("kind", sa.Enum(*KINDS, name="question_kind", native_enum=False, create_constraint=True, length=20),
                  nullable=False),
        sa.Column("label_en", sa.String(length=200), nullable=False),
        sa.Column("label_ar", sa.String(length=200), nullable=False),
        sa.Column("help_en", sa.String(length=500), nullable=False),
        sa.Column("help_ar", sa.String(length=500), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("categories", sa.String(length=200), nullable=False),
        sa.Column("proposal_type_ids", sa.String(length=500), nullable=False),
        sa.Column("about_speaker", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("condition_question_id", sa.Integer(), nullable=True),
        sa.Column("condition_values", sa.String(length=500), nullable=False),
        sa.Column("min_value", sa.Float(), nullable=True),
        sa.Column("max_value", sa.Float(), nullable=True),
        sa.Column("retention_days", sa.Integer(), nullable=True),
        sa.Column("retired_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("min_value IS NULL OR max_value IS NULL OR min_value <= max_value",
                           name=op.f("ck_questions_min_below_max")),
        sa.CheckConstraint("retention_days IS NULL OR retention_days BETWEEN 0 AND 3650",
                           name=op.f("ck_questions_retention_range")),
        sa.ForeignKeyConstraint(["conference_id"], ["conferences.id"], name=op.f("fk_questions_conference_id_conferences"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["condition_question_id"], ["questions.id"],
                                name=op.f("fk_questions_condition_question_id_questions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_questions")),
    )
    with op.batch_alter_table("questions", schema=None) as batch_op:
        batch_op.create_index("ix_questions_conference_target", ["conference_id", "target", "position"], unique=False)
        batch_op.create_index(batch_op.f("ix_questions_condition_question_id"), ["condition_question_id"],
                              unique=False)
    op.create_table(
        "question_choices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("label_en", sa.String(length=200), nullable=False),
        sa.Column("label_ar", sa.String(length=200), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("retired_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["question_id"], ["questions.id"], name=op.f("fk_question_choices_question_id_questions"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_question_choices")),
    )
    with op.batch_alter_table("question_choices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_question_choices_question_id"), ["question_id"], unique=False)
    op.create_table(
        "question_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("delegate_id", sa.Integer(), nullable=True),
        sa.Column("proposal_id", sa.Integer(), nullable=True),
        sa.Column("choice_id", sa.Integer(), nullable=True),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("(delegate_id IS NULL) <> (proposal_id IS NULL)", name=op.f("ck_question_answers_one_owner")),
        sa.ForeignKeyConstraint(["choice_id"], ["question_choices.id"],
                                name=op.f("fk_question_answers_choice_id_question_choices")),
        sa.ForeignKeyConstraint(["delegate_id"], ["delegates.id"], name=op.f("fk_question_answers_delegate_id_delegates"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["proposal_id"], ["proposals.id"], name=op.f("fk_question_answers_proposal_id_proposals"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["question_id"], ["questions.id"], name=op.f("fk_question_answers_question_id_questions")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_question_answers")),
    )
    with op.batch_alter_table("question_answers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_question_answers_delegate_id"), ["delegate_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_question_answers_proposal_id"), ["proposal_id"], unique=False)
        batch_op.create_index("ix_question_answers_question_choice", ["question_id", "choice_id"], unique=False)
    op.create_table(
        "personal_data_purges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conference_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("what", sa.String(length=250), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["conference_id"], ["conferences.id"],
                                name=op.f("fk_personal_data_purges_conference_id_conferences"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_personal_data_purges")),
    )
    with op.batch_alter_table("personal_data_purges", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_personal_data_purges_conference_id"), ["conference_id"], unique=False)


def downgrade():
    op.drop_table("personal_data_purges")
    op.drop_table("question_answers")
    op.drop_table("question_choices")
    op.drop_table("questions")
    with op.batch_alter_table("conferences", schema=None) as batch_op:
        batch_op.drop_column("passport_retention_days")
