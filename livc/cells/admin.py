"""Platform administration of cells and municipalities. Case content is never registered here."""

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from livc.cells.models import Cell, Membership, Municipality
from livc.database.tenancy import enter_cell


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
    list_display = ["name", "slug", "legal_framework"]
    list_filter = ["legal_framework"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["municipalities"]
    inlines = [MembershipInline]

    # Row-level security (docs/adr/0011): the administrator works in the cell on screen, whose
    # memberships the inline lists and saves; the page shows no other cell's.
    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: Any = None,
    ) -> HttpResponse:
        if object_id is not None and object_id.isdigit():
            enter_cell(int(object_id))
        return super().changeform_view(request, object_id, form_url, extra_context)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        enter_cell(form.instance.pk)  # a new cell: its memberships are saved once it has its id
        super().save_related(request, form, formsets, change)
