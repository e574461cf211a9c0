"""Settings of the editors' side: previews, time zones, autosave, email, the admin's look.

Imported by base.py; every value from the environment where a deployment may change it.
"""

from cms.env import env_str

# A preview frames the page's front end only if it answers within this many seconds; else the
# CMS renders the draft from templates/ (cms/frontend_preview.py). The answer is kept this long.
PREVIEW_FRONTEND_TIMEOUT_SECONDS = float(env_str("PREVIEW_FRONTEND_TIMEOUT_SECONDS", "1"))
PREVIEW_FRONTEND_CHECK_SECONDS = int(env_str("PREVIEW_FRONTEND_CHECK_SECONDS", "10"))

# Page slugs in ASCII ("audits-de-securite", not "%C3%A9" in every URL): the admin transliterates
# the title as it is typed, and a slug left empty is made from the title the same way.
WAGTAIL_ALLOW_UNICODE_SLUGS = False

# Autosave off: editors save with "Save draft" (Wagtail warns before leaving unsaved changes).
# On, an abandoned "Add publication" left a draft page behind, one editing session piled up a
# dozen "Draft saved" revisions for moderators to wade through, and a half-filled download row
# stopped it with a bare 400 "There are validation errors". README, "Editors".
WAGTAIL_AUTOSAVE_INTERVAL = 0
