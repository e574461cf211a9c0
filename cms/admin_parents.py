""" "Add publication" (and position, press release) from a flat listing: the catalogues the
editor may add to, offered as a list, instead of Wagtail's page chooser browsing from the
tree's root. One catalogue: straight to the new page's form (Wagtail's own shortcut)."""

from __future__ import annotations

from django import forms
from wagtail.admin.forms.pages import ParentChooserForm
from wagtail.admin.views.pages.choose_parent import ChooseParentView


class CatalogueParentForm(ParentChooserForm):
    """Wagtail's parent form (its permission and page-type checks kept) with the allowed
    parents as radio buttons, each named with its site."""

    def __init__(self, child_page_type, user, parents, *args, **kwargs):
        super().__init__(child_page_type, user, *args, **kwargs)
        field = forms.ModelChoiceField(
            queryset=parents.order_by("path"),
            widget=forms.RadioSelect,
            empty_label=None,
            label="Catalogue",
            help_text=f"The new {child_page_type._meta.verbose_name} is added to this catalogue.",
        )
        field.label_from_instance = _catalogue_label
        self.fields["parent_page"] = field


def _catalogue_label(page) -> str:
    site = page.get_site()
    return f"{page.title} ({site.site_name or site.hostname})" if site else page.title


class CatalogueChooseParentView(ChooseParentView):
    def get_form(self):
        parents = self.get_valid_parent_pages(self.request.user)
        data = self.request.POST if self.request.method == "POST" else None
        return CatalogueParentForm(self.model, self.request.user, parents, data)
