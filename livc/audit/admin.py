"""The audit log is not in the admin: who read which case, from which address, is the DPO's to
read, in the DPO console of each cell (`dpo/`). django-auditlog registers an admin for the log
entry model; it is taken away here, so that a platform administrator reads no cell's log."""

from django.contrib import admin

from livc.audit.models import LogEntry

if admin.site.is_registered(LogEntry):
    admin.site.unregister(LogEntry)
