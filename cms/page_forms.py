"""The admin's form for every page of the project: the publishing schedule says its time zone
and refuses a go-live time already past."""

from __future__ import annotations

import datetime

from django.utils import timezone
from wagtail.admin.forms import WagtailAdminPageForm

SCHEDULE_HELP = (
    "In {zone}, your time zone (Account, Preferences, to change it). Takes effect within a "
    "few minutes of that time, when publish_scheduled runs; server logs are in UTC."
)


class CmsPageForm(WagtailAdminPageForm):
    """Wagtail's page form, with the schedule's time zone shown and checked."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The admin renders each view in the editor's chosen time zone (Wagtail's
        # get_localized_response): the one the times below are typed and shown in.
        zone = timezone.get_current_timezone_name()
        for name in ("go_live_at", "expire_at"):
            if name in self.fields:
                self.fields[name].help_text = SCHEDULE_HELP.format(zone=zone)

    def clean(self):
        cleaned_data = super().clean()
        go_live_at = cleaned_data.get("go_live_at")
        if go_live_at and self._go_live_changed(go_live_at) and go_live_at <= timezone.now():
            local = timezone.localtime(go_live_at)
            self.add_error(
                "go_live_at",
                f"{local:%Y-%m-%d %H:%M} ({timezone.get_current_timezone_name()}) has already "
                "passed. Clear the go-live date to publish now, or choose a later time.",
            )
        return cleaned_data

    def _go_live_changed(self, go_live_at) -> bool:
        """Only a newly set time is checked: a page that went live as scheduled keeps its past
        go-live time on later edits. The form shows minutes, the page keeps seconds."""
        before = self.instance.go_live_at
        return before is None or abs(go_live_at - before) >= datetime.timedelta(minutes=1)
