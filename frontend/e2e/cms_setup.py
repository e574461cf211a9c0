"""Test data the demo lacks, for the browser tests: run with `manage.py shell < cms_setup.py`.

- a French translation of one publication (and of the pages above it), published, so the
  language switcher has somewhere to go;
- a German, Spanish, Italian and Portuguese translation of another publication and of a
  position paper dated to the day (and of the pages above them: home, catalogues), published,
  so each language has a home, catalogues, an item and a date to write its own way;
- the admin's password set to E2E_ADMIN_PASSWORD, so a test can log in and press Preview.
"""

import os

from django.contrib.auth import get_user_model
from wagtail.models import Locale

from positions.models import PositionPaperPage
from publications.models import PublicationPage

SLUG = "security-democracy-and-cities-co-producing-urban-security-policies"
# Others than SLUG: its language switcher offers French only (site.spec.ts).
OTHER_LANGUAGES_PUBLICATION = "preventing-and-fighting-radicalisation-at-the-local-level"
OTHER_LANGUAGES_POSITION = (
    "creating-a-coalition-of-european-cities-and-regions-to-face-the-drugs-crisis"
)
TRANSLATION = {
    "fr": "Traduction : ",
    "de": "Übersetzung: ",
    "es": "Traducción: ",
    "it": "Traduzione: ",
    "pt": "Tradução: ",
}


def translate(page, language_code: str) -> None:
    """`page` copied into the language, its title marked, published with its parents."""
    locale = Locale.objects.get(language_code=language_code)
    if page.get_translations().filter(locale=locale).exists():
        return
    copy = page.copy_for_translation(locale, copy_parents=True)
    for ancestor in copy.get_ancestors().filter(depth__gte=2).specific():
        if not ancestor.live:
            ancestor.save_revision().publish()
    copy.title = TRANSLATION[language_code] + page.title
    copy.save_revision().publish()


english = PublicationPage.objects.filter(locale__language_code="en").live().order_by("pk")
page = english.filter(slug=os.environ.get("E2E_TRANSLATED_SLUG", SLUG)).first() or english.first()
translate(page, "fr")
others = [
    english.get(slug=OTHER_LANGUAGES_PUBLICATION),
    PositionPaperPage.objects.live().get(locale__language_code="en", slug=OTHER_LANGUAGES_POSITION),
]
for language_code in ("de", "es", "it", "pt"):
    for other in others:
        translate(other, language_code)
user = get_user_model().objects.get(username="admin")
user.set_password(os.environ.get("E2E_ADMIN_PASSWORD", "e2e-admin-password"))
user.save()
print(f"Translated {page.slug} into French, {len(others)} items into de, es, it, pt.")
print("Admin password set.")
