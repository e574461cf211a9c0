"""Signals the ground layer declares for the apps above it to send, so that `cms` hears about
their work without importing them."""

from django.dispatch import Signal

# Sent by the search app once it has written to the public search index (sender: the
# engine's class): cached API answers may hold the search results from before.
search_index_changed = Signal()
