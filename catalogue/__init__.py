"""The catalogue importer: read a JSON or CSV file, check every record, write it to Wagtail."""

from .importer import ImportReport, import_catalogue
from .records import Catalogue, CatalogueError, read_catalogue

__all__ = ["Catalogue", "CatalogueError", "ImportReport", "import_catalogue", "read_catalogue"]
