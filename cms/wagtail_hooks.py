"""Admin: the taxonomies (topics, projects, members) under one menu. GraphQL: the shared root
fields, in place of grapple's own."""

from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Member, Project, Topic
from .schema import replace_grapples_root_fields
from .workflow_messages import ProjectPageViewSet


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


@hooks.register("register_admin_viewset")
def register_project_page_viewset():
    """Wagtail's page views for every page of the project, with a message after a workflow
    action taken from the dashboard (cms/workflow_messages.py)."""
    return ProjectPageViewSet()


# Grapple's own hook has the default order (0): this one runs after it.
@hooks.register("register_schema_query", order=100)
def register_shared_root_fields(query_mixins: list) -> None:
    """The shared root fields (taxonomies, `page`) in place of grapple's own."""
    replace_grapples_root_fields(query_mixins)
