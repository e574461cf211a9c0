"""Settings of the editors' side: previews, time zones, autosave, email, the admin's look.

Imported by base.py; every value from the environment where a deployment may change it.
"""

from cms.env import env_bool, env_str

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

# --- Email: moderation notifications (submitted, approved, changes requested) -------------------
# SMTP when EMAIL_HOST is set; without it, emails are written to the log (stderr) rather than
# lost silently to a localhost SMTP server that is not there. dev.py prints them to the console.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = int(env_str("EMAIL_PORT", "587"))
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)  # STARTTLS on 587
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)  # TLS from the start, usually on 465
EMAIL_TIMEOUT = int(env_str("EMAIL_TIMEOUT", "10"))
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "cms@localhost")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL

# No Gravatar: the admin would send a hash of every editor's email address to a third party
# (and the CSP blocks it over http). Wagtail shows its default avatar, or one uploaded under
# Account.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Files uploaded from the admin go to this collection by default (where the catalogue's files
# live, catalogue.importer.COLLECTION_NAME), when it exists and the editor may add to it.
UPLOAD_COLLECTION_NAME = env_str("UPLOAD_COLLECTION_NAME", "Catalogue")
WAGTAILIMAGES_IMAGE_FORM_BASE = "cms.upload_forms.CatalogueImageForm"
WAGTAILDOCS_DOCUMENT_FORM_BASE = "cms.upload_forms.CatalogueDocumentForm"
