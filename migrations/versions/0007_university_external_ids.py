"""university: the institution's own person id (imports, sync, single sign-on)

Revision ID: 0007_university
Revises: 0006_notifications
Create Date: 2026-11-24 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007_university'
down_revision = '0006_notifications'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('external_id', sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_users_external_id'), ['external_id'])


def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_users_external_id'), type_='unique')
        batch_op.drop_column('external_id')
