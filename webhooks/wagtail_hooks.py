from wagtail import hooks

from .views import EndpointViewSet


@hooks.register("register_admin_viewset")
def register_viewset() -> EndpointViewSet:
    return EndpointViewSet()
