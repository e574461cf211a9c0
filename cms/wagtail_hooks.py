"""Admin: the taxonomies (topics, projects, members) under one menu."""

from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Member, Project, Topic


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

# The GraphQL root fields register themselves through grapple's schema hook.
import cms.api.schema  # noqa: E402, F401
