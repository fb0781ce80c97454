"""security: which single sign-on session a sign-in belongs to (back-channel logout)

Revision ID: 0008_sso_logout
Revises: 0007_university
Create Date: 2026-12-01 16:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0008_sso_logout'
down_revision = '0007_university'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sso_session', sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column('sso_subject', sa.String(length=80), nullable=True))
        batch_op.create_index(batch_op.f('ix_user_sessions_sso_session'), ['sso_session'], unique=False)
        batch_op.create_index(batch_op.f('ix_user_sessions_sso_subject'), ['sso_subject'], unique=False)


def downgrade():
    with op.batch_alter_table('user_sessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_sessions_sso_subject'))
        batch_op.drop_index(batch_op.f('ix_user_sessions_sso_session'))
        batch_op.drop_column('sso_subject')
        batch_op.drop_column('sso_session')
