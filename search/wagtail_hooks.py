# The GraphQL fields register themselves with grapple through a Wagtail hook.
from . import schema  # noqa: F401
