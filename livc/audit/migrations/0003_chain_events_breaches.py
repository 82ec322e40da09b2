"""Events, the hash chain, per-cell signal thresholds and the breach register."""

import django.db.models.deletion
import livc.crypto.fields
import uuid
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_drop_swapped_auditlog_table'),
        ('cells', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AuditSettings',
            fields=[
                ('cell', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, primary_key=True, related_name='+', serialize=False, to='cells.cell')),
                ('burst_objects', models.PositiveIntegerField(default=20, help_text='Signal a user who opens more than this many different objects within the window.', verbose_name='distinct objects')),
                ('burst_minutes', models.PositiveIntegerField(default=10, verbose_name='window (minutes)')),
                ('office_hours_start', models.PositiveSmallIntegerField(default=7, verbose_name='office hours start (hour)')),
                ('office_hours_end', models.PositiveSmallIntegerField(default=19, verbose_name='office hours end (hour)')),
                ('weekends_are_off_hours', models.BooleanField(default=True, verbose_name='weekends count as outside office hours')),
                ('exports_per_day', models.PositiveIntegerField(default=10, help_text='Signal a user who exports or downloads more than this many times in one day.', verbose_name='exports and downloads per day')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='changed')),
            ],
            options={
                'verbose_name': 'audit settings',
                'verbose_name_plural': 'audit settings',
            },
        ),
        migrations.CreateModel(
            name='Breach',
            fields=[
                ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ('number', models.PositiveIntegerField(verbose_name='number')),
                ('discovered_at', models.DateTimeField(verbose_name='discovered at')),
                ('description', livc.crypto.fields.EncryptedTextField(verbose_name='what happened')),
                ('data_concerned', livc.crypto.fields.EncryptedTextField(verbose_name='data concerned')),
                ('cases_concerned', livc.crypto.fields.EncryptedTextField(blank=True, verbose_name='cases concerned')),
                ('measures', livc.crypto.fields.EncryptedTextField(blank=True, verbose_name='measures taken')),
                ('authority', models.CharField(blank=True, choices=[('gba_apd', 'Data Protection Authority (GBA/APD)'), ('vtc', 'Flemish Supervisory Commission (Vlaamse Toezichtcommissie)')], max_length=16, verbose_name='supervisory authority')),
                ('authority_informed_at', models.DateTimeField(blank=True, null=True, verbose_name='authority informed at')),
                ('authority_not_informed_reason', livc.crypto.fields.EncryptedTextField(blank=True, verbose_name='why the authority is not informed')),
                ('subjects_informed_at', models.DateTimeField(blank=True, null=True, verbose_name='people concerned informed at')),
                ('subjects_not_informed_reason', livc.crypto.fields.EncryptedTextField(blank=True, verbose_name='why the people concerned are not informed')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='recorded at')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='changed at')),
                ('version', models.PositiveIntegerField(default=1, editable=False)),
            ],
            options={
                'verbose_name': 'breach',
                'verbose_name_plural': 'breaches',
                'ordering': ['-discovered_at'],
            },
        ),
        migrations.CreateModel(
            name='ChainHead',
            fields=[
                ('key', models.BigIntegerField(primary_key=True, serialize=False)),
                ('seq', models.PositiveBigIntegerField(default=0)),
                ('entry_hash', models.CharField(blank=True, max_length=64)),
            ],
            options={
                'verbose_name': 'audit chain head',
                'verbose_name_plural': 'audit chain heads',
            },
        ),
        migrations.AlterModelOptions(
            name='logentry',
            options={'get_latest_by': 'timestamp', 'ordering': ['-timestamp', '-id'], 'verbose_name': 'audit entry', 'verbose_name_plural': 'audit entries'},
        ),
        migrations.RemoveIndex(
            model_name='logentry',
            name='audit_cell_time',
        ),
        migrations.AddField(
            model_name='logentry',
            name='chain_seq',
            field=models.PositiveBigIntegerField(editable=False, null=True, verbose_name='position in the chain'),
        ),
        migrations.AddField(
            model_name='logentry',
            name='content_digest',
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name='content digest'),
        ),
        migrations.AddField(
            model_name='logentry',
            name='entry_hash',
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name='hash'),
        ),
        migrations.AddField(
            model_name='logentry',
            name='event',
            field=models.CharField(blank=True, max_length=40, verbose_name='event'),
        ),
        migrations.AddField(
            model_name='logentry',
            name='prev_hash',
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name='previous hash'),
        ),
        migrations.AddField(
            model_name='logentry',
            name='scrubbed_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='scrubbed'),
        ),
        migrations.AlterField(
            model_name='logentry',
            name='action',
            field=models.PositiveSmallIntegerField(choices=[(0, 'create'), (1, 'update'), (2, 'delete'), (3, 'access'), (100, 'event')], db_index=True, verbose_name='action'),
        ),
        migrations.AddIndex(
            model_name='logentry',
            index=models.Index(fields=['cell', '-timestamp', '-id'], name='audit_cell_time_id'),
        ),
        migrations.AddIndex(
            model_name='logentry',
            index=models.Index(fields=['cell', 'actor', '-timestamp'], name='audit_cell_actor_time'),
        ),
        migrations.AddIndex(
            model_name='logentry',
            index=models.Index(fields=['cell', 'content_type', 'object_pk', '-timestamp'], name='audit_cell_obj_time'),
        ),
        migrations.AddConstraint(
            model_name='logentry',
            constraint=models.UniqueConstraint(fields=('cell', 'chain_seq'), name='audit_chain_seq_per_cell'),
        ),
        migrations.AddConstraint(
            model_name='logentry',
            constraint=models.UniqueConstraint(condition=models.Q(('cell__isnull', True)), fields=('chain_seq',), name='audit_chain_seq_no_cell'),
        ),
        migrations.AddConstraint(
            model_name='auditsettings',
            constraint=models.CheckConstraint(condition=models.Q(('office_hours_end__lte', 24), ('office_hours_start__lt', models.F('office_hours_end'))), name='audit_settings_office_hours_in_order'),
        ),
        migrations.AddConstraint(
            model_name='auditsettings',
            constraint=models.CheckConstraint(condition=models.Q(('burst_minutes__gte', 1)), name='audit_settings_window_positive'),
        ),
        migrations.AddField(
            model_name='breach',
            name='cell',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='cells.cell'),
        ),
        migrations.AddField(
            model_name='breach',
            name='recorded_by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddConstraint(
            model_name='breach',
            constraint=models.UniqueConstraint(fields=('cell', 'number'), name='breach_number_per_cell'),
        ),
    ]
