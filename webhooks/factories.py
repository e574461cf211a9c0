"""Factories for webhook endpoints."""

import factory
from factory.django import DjangoModelFactory

from .models import Endpoint, all_events
from .signing import new_secret


class EndpointFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Receiver {n}")
    url = "http://127.0.0.1:9/hooks"
    events = factory.LazyFunction(all_events)
    secret = factory.LazyFunction(new_secret)

    class Meta:
        model = Endpoint
