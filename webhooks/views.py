"""The admin for endpoints: Wagtail's model viewset, plus the secret shown once (on creation
and rotation), the delivery log, "Send test event" and "Redeliver". Views are thin: the work
is in `events` and the models."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.views.generic import TemplateView, View
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy

from . import events, signing
from .forms import EndpointForm
from .models import Delivery, Endpoint

SECRET_TEMPLATE = "webhooks/secret.html"
DELIVERIES_PER_PAGE = 50


def secret_response(request, endpoint: Endpoint, secret: str, rotated: bool) -> TemplateResponse:
    """The only page that ever shows a secret: rendered once, in answer to the POST."""
    return TemplateResponse(
        request,
        SECRET_TEMPLATE,
        {
            "endpoint": endpoint,
            "secret": secret,
            "rotated": rotated,
            "page_title": f"Secret of {endpoint}",
            "header_title": f"Secret of {endpoint}",
            "edit_url": reverse("webhooks:edit", args=[endpoint.pk]),
        },
        headers={"Cache-Control": "no-store"},
    )


class EndpointCreateView(generic.CreateView):
    def save_instance(self) -> Endpoint:
        self.secret = self.form.instance.secret = signing.new_secret()
        return super().save_instance()

    def save_action(self):
        return secret_response(self.request, self.object, self.secret, rotated=False)


class EndpointEditView(generic.EditView):
    @cached_property
    def header_buttons(self) -> list:
        return [
            *super().header_buttons,
            HeaderButton(
                "Deliveries",
                url=reverse("webhooks:deliveries", args=[self.object.pk]),
                icon_name="list-ul",
            ),
        ]

    def save_instance(self) -> Endpoint:
        endpoint = super().save_instance()
        if endpoint.enabled:
            events.resume(endpoint)  # deliveries held while it was disabled go now, in order
        return endpoint


class EndpointActionMixin(generic.PermissionCheckedMixin):
    permission_policy = ModelPermissionPolicy(Endpoint)
    permission_required = "change"

    def endpoint(self) -> Endpoint:
        return get_object_or_404(Endpoint, pk=self.kwargs["pk"])


class DeliveriesView(EndpointActionMixin, generic.base.WagtailAdminTemplateMixin, TemplateView):
    """The delivery log of one endpoint, newest first."""

    permission_required = "view"
    template_name = "webhooks/deliveries.html"
    header_icon = "link-external"

    def get_page_title(self) -> str:
        return f"Deliveries to {self.object}"

    def dispatch(self, request, *args, **kwargs):
        self.object = get_object_or_404(Endpoint, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["endpoint"] = self.object
        context["deliveries"] = self.object.deliveries.order_by("-pk")[:DELIVERIES_PER_PAGE]
        context["can_send"] = self.user_has_permission("change")
        return context


class SendTestView(EndpointActionMixin, View):
    def post(self, request, pk: int):
        endpoint = self.endpoint()
        delivery = events.test_event(endpoint)
        messages.success(request, f"Test event {delivery.message_id} queued for {endpoint}.")
        return redirect("webhooks:deliveries", pk=endpoint.pk)


class RedeliverView(EndpointActionMixin, View):
    def post(self, request, pk: int, delivery_pk: int):
        original = get_object_or_404(Delivery, pk=delivery_pk, endpoint_id=pk)
        delivery = events.redeliver(original)
        messages.success(request, f"{delivery.event} {delivery.message_id} queued again.")
        return redirect("webhooks:deliveries", pk=pk)


class RotateSecretView(EndpointActionMixin, View):
    def post(self, request, pk: int):
        endpoint = self.endpoint()
        secret = signing.new_secret()
        endpoint.rotate_secret(secret)
        endpoint.save(update_fields=["secret", "previous_secret", "previous_secret_until"])
        return secret_response(request, endpoint, secret, rotated=True)


class StatusColumn(Column):
    """Flagged when a delivery was given up; cleared by the next success."""

    def get_value(self, instance: Endpoint) -> str:
        if instance.failing_since:
            return f"Failing: a delivery given up on {instance.failing_since:%Y-%m-%d %H:%M %Z}"
        return "OK" if instance.enabled else "Disabled"


class EndpointViewSet(ModelViewSet):
    model = Endpoint
    name = "webhooks"
    url_prefix = "webhooks"
    form_class = EndpointForm
    icon = "link-external"
    menu_label = "Webhooks"
    menu_order = 900
    add_to_settings_menu = True
    copy_view_enabled = False
    add_view_class = EndpointCreateView
    edit_view_class = EndpointEditView
    list_display = ["name", "url", BooleanColumn("enabled"), StatusColumn("status", label="Status")]
    search_fields = ["name", "url"]

    def get_form_class(self, for_update: bool = False):
        return EndpointForm

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("deliveries/<int:pk>/", DeliveriesView.as_view(), name="deliveries"),
            path("test/<int:pk>/", SendTestView.as_view(), name="send_test"),
            path("rotate/<int:pk>/", RotateSecretView.as_view(), name="rotate_secret"),
            path(
                "redeliver/<int:pk>/<int:delivery_pk>/",
                RedeliverView.as_view(),
                name="redeliver",
            ),
        ]
