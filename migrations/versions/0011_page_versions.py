"""pages: the version of what pages show, for pages a worker keeps (portal/pagecache.py)

Revision ID: 0011_page_versions
Revises: 0010_grades_seen_at
Create Date: 2026-12-02 01:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011_page_versions'
down_revision = '0010_grades_seen_at'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        'page_versions',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('version', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('id'))
    op.bulk_insert(table, [{'id': 1, 'version': 0}])


def downgrade():
    op.drop_table('page_versions')
