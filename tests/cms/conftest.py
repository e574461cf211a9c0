"""Users of each role the admin tests log in as."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import Group
from django.test import Client

User = get_user_model()


def user_in_group(username: str, group_name: str) -> AbstractBaseUser:
    """A staff-less, non-superuser account whose only rights come from one group."""
    user = User.objects.create_user(username, f"{username}@example.org", "password")
    user.groups.add(Group.objects.get(name=group_name))
    return user


def client_for(user: AbstractBaseUser) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def superuser(db) -> AbstractBaseUser:
    """A superuser: every right, for the checks that are about the model, not the role."""
    return User.objects.create_superuser("admin", "admin@example.org", "password")


@pytest.fixture
def editor(db) -> AbstractBaseUser:
    """A member of the "Editors" group that Wagtail's and the project's migrations set up."""
    return user_in_group("editor", "Editors")


@pytest.fixture
def moderator(db) -> AbstractBaseUser:
    """A member of the "Moderators" group."""
    return user_in_group("moderator", "Moderators")


@pytest.fixture
def superuser_client(superuser) -> Client:
    """A test client logged in as the superuser."""
    return client_for(superuser)


@pytest.fixture
def editor_client(editor) -> Client:
    """A test client logged in as the editor."""
    return client_for(editor)


@pytest.fixture
def moderator_client(moderator) -> Client:
    """A test client logged in as the moderator."""
    return client_for(moderator)
