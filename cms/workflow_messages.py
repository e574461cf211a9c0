"""What a moderator is told after approving or rejecting from the dashboard.

Wagtail's workflow action view (the dashboard's "Approve" / "Request changes") redirects back
with no message: the task just leaves the list, and a moderator cannot tell an approval from
a click that did nothing. The project's page viewset uses this view, which adds the message.
"""

from __future__ import annotations

from django.utils import timezone
from wagtail.admin import messages
from wagtail.admin.views.pages.workflow import WorkflowActionView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.models import Page, TaskState


class ConfirmingWorkflowActionView(WorkflowActionView):
    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        state = TaskState.objects.get(pk=self.task_state.pk)
        title = self.object.get_admin_display_title()
        if state.status == TaskState.STATUS_APPROVED:
            messages.success(request, f"'{title}' approved: {_outcome(self.object)}.")
        elif state.status == TaskState.STATUS_REJECTED:
            messages.warning(
                request, f"Changes requested on '{title}': it is back with its editor."
            )
        return response


def _outcome(page) -> str:
    page.refresh_from_db()
    revision = page.scheduled_revision
    if revision is not None:
        when = timezone.localtime(revision.approved_go_live_at)
        return f"it goes live on {when:%Y-%m-%d %H:%M} ({timezone.get_current_timezone_name()})"
    if page.live and not page.has_unpublished_changes:
        return "it is now live"
    return "it goes on to the next step of its workflow"


class ProjectPageViewSet(PageViewSet):
    """Wagtail's default views for pages, with a confirmed workflow action. Registered after
    Wagtail's own viewset for `Page`, it takes its place for every page type."""

    model = Page
    name = "project_pages"
    workflow_action_view_class = ConfirmingWorkflowActionView
