"""people: when a student last looked at their grades (the "new" marks, per person, not per cookie)

Revision ID: 0010_grades_seen_at
Revises: 0009_sqlite_ids
Create Date: 2026-12-01 23:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010_grades_seen_at'
down_revision = '0009_sqlite_ids'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('grades_seen_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('grades_seen_at')
