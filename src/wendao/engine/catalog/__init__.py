"""The knowledge base: schema (``schema``) and loader (``loader``)."""

from wendao.engine.catalog.loader import (
    CatalogError,
    LoadedCatalog,
    catalog_summary,
    default_catalog,
    load_catalog,
    unsourced_numbers,
)

__all__ = ["CatalogError", "LoadedCatalog", "catalog_summary", "default_catalog", "load_catalog", "unsourced_numbers"]
