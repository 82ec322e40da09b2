"""Platform administration of cells and municipalities. Case content is never registered here."""

from django.contrib import admin

from livc.cells.models import Cell, Membership, Municipality


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["nis_code", "name_nl", "name_fr", "name_de"]
    search_fields = ["nis_code", "name_nl", "name_fr", "name_de"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role", "is_active", "clearance_level", "clearance_expires_on"]


@admin.register(Cell)
class CellAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["municipalities"]
    inlines = [MembershipInline]
