"""Test data the demo lacks, for the browser tests: run with `manage.py shell < cms_setup.py`.

- a French translation of one publication (and of the pages above it), published, so the
  language switcher has somewhere to go;
- the admin's password set to E2E_ADMIN_PASSWORD, so a test can log in and press Preview.
"""

import os

from django.contrib.auth import get_user_model
from wagtail.models import Locale

from publications.models import PublicationPage

SLUG = "security-democracy-and-cities-co-producing-urban-security-policies"
french = Locale.objects.get(language_code="fr")
page = PublicationPage.objects.filter(locale__language_code="en").live().order_by("pk")
page = page.filter(slug=os.environ.get("E2E_TRANSLATED_SLUG", SLUG)).first() or page.first()
if not page.get_translations().filter(locale=french).exists():
    copy = page.copy_for_translation(french, copy_parents=True)
    for ancestor in copy.get_ancestors().filter(depth__gte=2).specific():
        if not ancestor.live:
            ancestor.save_revision().publish()
    copy.title = "Traduction : " + page.title
    copy.save_revision().publish()
user = get_user_model().objects.get(username="admin")
user.set_password(os.environ.get("E2E_ADMIN_PASSWORD", "e2e-admin-password"))
user.save()
print(f"Translated {page.slug} into French; admin password set.")
