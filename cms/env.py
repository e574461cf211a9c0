"""Readers for settings from the environment: one place, so every setting parses alike."""

import os

from django.core.exceptions import ImproperlyConfigured

MIN_KEY_LENGTH = 32


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_mapping(name: str, default: dict[str, str]) -> dict[str, str]:
    """Parse "key=value,key=value" (e.g. hostname=front-end URL)."""
    value = os.environ.get(name)
    if not value:
        return default
    pairs = (item.split("=", 1) for item in value.split(",") if "=" in item)
    return {key.strip(): val.strip().rstrip("/") for key, val in pairs}


def env_keys(name: str) -> dict[str, str]:
    """Parse "name=key,name=key": secrets by name, each at least MIN_KEY_LENGTH characters.

    Refuses to start on a malformed entry, a short key or a name given twice: a typo in a
    secret must not be discovered by a front end refused in production.
    """
    keys: dict[str, str] = {}
    for item in env_list(name, []):
        label, separator, key = (part.strip() for part in item.partition("="))
        if not separator or not label:
            raise ImproperlyConfigured(f"{name}: {item[:12]!r}... is not name=key.")
        if label in keys:
            raise ImproperlyConfigured(f"{name}: {label!r} is given twice.")
        if key in keys.values():
            raise ImproperlyConfigured(f"{name}: {label!r} has another front end's key.")
        if len(key) < MIN_KEY_LENGTH:
            raise ImproperlyConfigured(
                f"{name}: the key of {label!r} is shorter than {MIN_KEY_LENGTH} characters; "
                "make one with: python -c 'import secrets; print(secrets.token_urlsafe(32))'"
            )
        keys[label] = key
    return keys
