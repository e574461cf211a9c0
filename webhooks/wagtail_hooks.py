from wagtail import hooks

from .monitoring import metrics_collectors
from .views import EndpointViewSet

# /metrics: deliveries waiting and endpoints failing (cms/metrics.py).
hooks.register("register_metrics_collectors", metrics_collectors)


@hooks.register("register_admin_viewset")
def register_viewset() -> EndpointViewSet:
    return EndpointViewSet()
