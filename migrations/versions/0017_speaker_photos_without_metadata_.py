"""speaker photos without metadata: photos stored before the re-encoding kept JPEG comments (COM) are cleaned

Each stored photo goes through the upload's own cleaning (submissions.profiles.process_photo): an sRGB JPEG with
no metadata segment but the JFIF header. A stored photo that cannot be read again is removed rather than served
with whatever it carries; its speaker can upload it again.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 10:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None

profiles = sa.table("speaker_profiles", sa.column("id", sa.Integer), sa.column("photo", sa.LargeBinary))


def upgrade():
    from conference.submissions.profiles import PhotoError, process_photo

    connection = op.get_bind()
    ids = connection.execute(sa.select(profiles.c.id).where(profiles.c.photo.is_not(None))).scalars().all()
    for profile_id in ids:  # one photo in memory at a time
        photo = connection.execute(sa.select(profiles.c.photo).where(profiles.c.id == profile_id)).scalar_one()
        try:
            cleaned = process_photo(bytes(photo))
        except PhotoError:
            cleaned = None
        connection.execute(profiles.update().where(profiles.c.id == profile_id).values(photo=cleaned))


def downgrade():
    pass  # the metadata is gone for good, as intended
