from wagtail import hooks

# The GraphQL fields register themselves with grapple through a Wagtail hook.
from . import schema  # noqa: F401
from .monitoring import health_checks, metrics_collectors
from .similar import similar_page_ids

# /readyz: the engine and the index queue; /metrics: the queue's depth and age (cms/health.py,
# cms/metrics.py).
hooks.register("register_health_checks", health_checks)
hooks.register("register_metrics_collectors", metrics_collectors)
# similarPublications on every catalogue page (cms/similar.py): the nearest pages by vector.
hooks.register("find_similar_pages", similar_page_ids)
