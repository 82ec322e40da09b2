"""Seal the entries written before the hash chain existed into their cells' chains."""

from django.db import migrations


def seal(apps, schema_editor):
    from livc.audit.chain import seal_unsealed

    seal_unsealed(apps.get_model("audit", "LogEntry"), apps.get_model("audit", "ChainHead"))


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_chain_events_breaches"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(seal, migrations.RunPython.noop),
    ]
