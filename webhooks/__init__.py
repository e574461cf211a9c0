"""Signed webhooks: endpoints configured by moderators hear of publishes, unpublishes,
deletions, scheduled go-lives and expiries, signed as the Standard Webhooks spec says."""
