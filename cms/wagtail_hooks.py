"""Admin: the taxonomies (topics, projects, members) under one menu."""

from grapple.registry import registry
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Member, Project, Topic
from .task_leases import WorkerHeartbeat


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    list_display = ["name", "slug", "locale"]
    search_fields = ["name"]
    list_filter = ["locale"]
    ordering = ["name"]


class ProjectViewSet(SnippetViewSet):
    model = Project
    icon = "group"
    list_display = ["acronym", "name", "start_year", "end_year", "locale"]
    search_fields = ["acronym", "name"]
    list_filter = ["locale", "topics"]
    ordering = ["acronym", "name"]


class MemberViewSet(SnippetViewSet):
    model = Member
    icon = "site"
    list_display = ["name", "kind", "country", "locale"]
    search_fields = ["name"]
    list_filter = ["kind", "country", "locale"]
    ordering = ["name"]


class TaxonomyGroup(SnippetViewSetGroup):
    menu_label = "Taxonomies"
    menu_icon = "tag"
    menu_order = 200
    items = (TopicViewSet, ProjectViewSet, MemberViewSet)


register_snippet(TaxonomyGroup)


@hooks.register("register_schema_query", order=100)
def hide_worker_heartbeats(query_mixins: list) -> None:
    """Grapple makes a type of every model of the apps it reads; the task workers'
    heartbeats are the server's bookkeeping, not content, and stay out of the schema."""
    registry.django_models.pop(WorkerHeartbeat, None)


# The GraphQL root fields register themselves through grapple's schema hook.
import cms.api.schema  # noqa: E402, F401
