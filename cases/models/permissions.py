"""django-guardian object permissions on cases, as direct foreign keys.

One row per (user, case): listing a participant's cases is one SQL query, and deleting a
case deletes its grants. Only `cases.seats` grants or revokes them.
"""

from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase


class CaseUserObjectPermission(UserObjectPermissionBase):
    cell_path = "content_object"  # row-level security: its case's cell
    # and a person's own grants (case ids only; the cases stay behind their own policy): the
    # participant's case list reads her grants case by case, without hashing the cell's cases first.
    person_path = "user"
    content_object = models.ForeignKey("cases.Case", on_delete=models.CASCADE)


class CaseGroupObjectPermission(GroupObjectPermissionBase):
    cell_path = "content_object"  # row-level security: its case's cell
    content_object = models.ForeignKey("cases.Case", on_delete=models.CASCADE)
