"""Drop the table django-auditlog creates for its own LogEntry, which we swap out.

With AUDITLOG_LOGENTRY_MODEL set, auditlog's migrations still create `auditlog_logentry`
(jazzband/django-auditlog#804); nothing writes to it, and its foreign key to the user
table breaks `flush` (and so PostgreSQL transactional tests). django-auditlog is pinned;
review this when upgrading it.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS auditlog_logentry", reverse_sql=migrations.RunSQL.noop),
    ]
