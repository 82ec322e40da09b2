"""The append-only trigger on PostgreSQL (after existing entries were sealed into the chain)."""

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0004_seal_existing_entries"),
    ]

    operations = [
        pgtrigger.migrations.AddTrigger(
            model_name='logentry',
            trigger=pgtrigger.compiler.Trigger(name='audit_append_only', sql=pgtrigger.compiler.UpsertTriggerSql(func="\nIF TG_OP = 'UPDATE'\n   AND current_setting('livc.audit_scrub', true) = 'on'\n   AND OLD.scrubbed_at IS NULL AND NEW.scrubbed_at IS NOT NULL\n   AND NEW.id IS NOT DISTINCT FROM OLD.id AND NEW.content_type_id IS NOT DISTINCT FROM OLD.content_type_id AND NEW.object_pk IS NOT DISTINCT FROM OLD.object_pk AND NEW.object_id IS NOT DISTINCT FROM OLD.object_id AND NEW.action IS NOT DISTINCT FROM OLD.action AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id AND NEW.actor_email IS NOT DISTINCT FROM OLD.actor_email AND NEW.cid IS NOT DISTINCT FROM OLD.cid AND NEW.remote_addr IS NOT DISTINCT FROM OLD.remote_addr AND NEW.remote_port IS NOT DISTINCT FROM OLD.remote_port AND NEW.timestamp IS NOT DISTINCT FROM OLD.timestamp AND NEW.cell_id IS NOT DISTINCT FROM OLD.cell_id AND NEW.access_kind IS NOT DISTINCT FROM OLD.access_kind AND NEW.event IS NOT DISTINCT FROM OLD.event AND NEW.chain_seq IS NOT DISTINCT FROM OLD.chain_seq AND NEW.prev_hash IS NOT DISTINCT FROM OLD.prev_hash AND NEW.entry_hash IS NOT DISTINCT FROM OLD.entry_hash AND NEW.content_digest IS NOT DISTINCT FROM OLD.content_digest\nTHEN\n    RETURN NEW;\nEND IF;\nRAISE EXCEPTION 'audit entries are append-only: % refused on %', TG_OP, TG_TABLE_NAME\n    USING ERRCODE = 'insufficient_privilege';\n", hash='6456c4af3fe0c8e4f544713e7ddec53131e28730', operation='UPDATE OR DELETE', pgid='pgtrigger_audit_append_only_b77c2', table='audit_logentry', when='BEFORE')),
        ),
    ]
