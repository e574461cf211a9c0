"""Factories for the shared pages and the taxonomies (tests and demo data build on them)."""

import factory
import wagtail_factories
from factory.django import DjangoModelFactory
from wagtail.models import Collection, Locale, Page, Site

from .models import HomePage, Member, MemberKind, Project, Topic


def wagtail_root() -> Page:
    """The tree's root (depth 1): the only parent a home page may have."""
    return Page.get_first_root_node()


def root_collection() -> Collection:
    """Files go to the root collection: wagtail-factories would add a second tree root."""
    return Collection.get_first_root_node()


class HomePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Home {n}")
    # Without a parent, wagtail-factories would make the page a new tree root.
    parent = factory.LazyFunction(wagtail_root)

    class Meta:
        model = HomePage


class TopicFactory(DjangoModelFactory):
    """A topic in the default locale; the slug is left for Taxonomy.save to derive."""

    name = factory.Sequence(lambda n: f"Topic {n}")

    class Meta:
        model = Topic


class ProjectFactory(DjangoModelFactory):
    acronym = factory.Sequence(lambda n: f"PRJ{n}")
    name = factory.LazyAttribute(lambda obj: f"Project {obj.acronym}")
    start_year = 2020
    end_year = 2023

    class Meta:
        model = Project


class MemberFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"City {n}")
    kind = MemberKind.CITY
    country = "FR"

    class Meta:
        model = Member


def make_home_page() -> HomePage:
    """The English HomePage as the default site's root, in place of Wagtail's welcome page.

    The welcome page holds the slug "home" until it is deleted, so the home page takes "efus".
    """
    site = Site.objects.get(is_default_site=True)
    placeholder = site.root_page
    home = HomePageFactory(
        parent=Page.get_first_root_node(),
        title="European Forum for Urban Security",
        slug="efus",
        locale=Locale.get_default(),
    )
    site.root_page = home
    site.save()
    placeholder.delete()
    return home
