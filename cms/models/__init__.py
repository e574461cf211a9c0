"""The shared models: pages, files, dates and taxonomies (one module each, re-exported here,
where Django and the migrations look for them)."""

# Defined beside the code that uses them; imported here, where Django looks for the app's models.
from ..api.persisted import PersistedQuery
from ..task_leases import WorkerHeartbeat
from .dates import DatePrecision, parse_partial_date
from .downloads import BaseDownload, absolute_url, document_path, mime_type
from .pages import (
    SUMMARY_FEATURES,
    BasePage,
    CatalogueManager,
    CatalogueQuerySet,
    DatedPage,
    HomePage,
)
from .taxonomies import Member, MemberKind, Project, Taxonomy, Topic

__all__ = [
    "SUMMARY_FEATURES",
    "BaseDownload",
    "BasePage",
    "CatalogueManager",
    "CatalogueQuerySet",
    "DatePrecision",
    "DatedPage",
    "HomePage",
    "Member",
    "MemberKind",
    "PersistedQuery",
    "Project",
    "Taxonomy",
    "Topic",
    "WorkerHeartbeat",
    "absolute_url",
    "document_path",
    "mime_type",
    "parse_partial_date",
]
