"""Platform administration of cells and municipalities. Case content is never registered here."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from livc.cells.models import Cell, Membership, Municipality


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["nis_code", "name_nl", "name_fr", "name_de"]
    search_fields = ["nis_code", "name_nl", "name_fr", "name_de"]


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["user", "role", "is_active", "clearance_level", "clearance_expires_on"]

    def clean_user(self) -> object:
        """A platform administrator holds no role in a cell: the admin cannot make itself one."""
        user = self.cleaned_data.get("user")
        if user is not None and (user.is_staff or user.is_superuser):
            raise forms.ValidationError(
                _(
                    "A platform administrator holds no role in a cell. "
                    "Use a personal account without admin rights."
                )
            )
        return user


class MembershipInline(admin.TabularInline):
    model = Membership
    form = MembershipForm
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
