"""`{% submission_token %}`: the one-time token of a form (`livc/submissions/decorators.py`).

Put it next to `{% csrf_token %}` in every form whose view is `@once_per_submission`. On a page
shown by a GET it is a fresh token. On a page shown again after a POST (the form with its
errors) the form that was sent keeps the token it was sent with, so that the corrected form can
be sent with it: name that form, `{% submission_token form %}`, and it keeps the token only if
it is bound. Without a form, the posted token is kept on any page shown after a POST; a button
form on a page that also shows another form says `{% submission_token fresh=True %}`.
"""

import uuid
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from livc.submissions.services import FIELD, parse_token

register = template.Library()

_NO_FORM = object()


@register.simple_tag(takes_context=True)
def submission_token(context: template.Context, form: Any = _NO_FORM, *, fresh: bool = False) -> SafeString:
    request = context.get("request")
    token: uuid.UUID | None = None
    sent_again = form is _NO_FORM or bool(getattr(form, "is_bound", False))
    if not fresh and sent_again and request is not None and request.method == "POST":
        token = parse_token(request.POST.get(FIELD))
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, token or uuid.uuid4())
