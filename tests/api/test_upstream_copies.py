"""The upstream functions that cms/api/fast_leaves.py and cms/api/fast_renditions.py mirror,
and the Django internals cms/compiled_queries.py runs a compiled query through, are still the
ones they were written against.

Each copy is only right while its original is unchanged: a changed source fails here with
the function's name and what to re-check, before a subtle difference reaches clients.
"""

import hashlib
import importlib
import inspect

import pytest

# (upstream function, the copy that mirrors it and what to re-check) -> sha256 of its source,
# for graphql-core 3.2.14, graphene 3.4.3, wagtail-grapple 0.31.0 and Django 5.2.19.
PINNED = {
    (
        "graphql.execution.execute:ExecutionContext.execute_field",
        "fast_leaves.CodedExecutionContext.execute_field: its short path must still resolve, "
        "locate and handle errors as graphql-core does",
    ): "249c0f575f3060e97a739d67a5dfc10190570812e8d74a285c63e414f7b49d89",
    (
        "graphql.execution.execute:ExecutionContext.complete_value",
        "fast_leaves.CodedExecutionContext.execute_field: null checks and leaf completion "
        "(the non-null message, Exception values)",
    ): "d5c824cacf1f796ba67075c3c41df5b6616f49613f276b7249ee94a0df8e00e7",
    (
        "graphql.execution.execute:ExecutionContext.build",
        "fast_leaves.CodedExecutionContext.build: the errors it returns must still be "
        "variable coercion errors only (coded BAD_USER_INPUT)",
    ): "4bbcc4f7b5f3640593e117612de341861a7cb162411bf9bb168413429598e1ae",
    (
        "graphene.types.resolver:attr_resolver",
        "fast_leaves.plain_leaf: a default resolver must read nothing but the source",
    ): "a45f474d69f1a83cc8ec594ac467d5103ab01d273ef9cf911bcc1d61ffe1a6f9",
    (
        "graphene.types.resolver:dict_resolver",
        "fast_leaves.plain_leaf: a default resolver must read nothing but the source",
    ): "72e8de27d259c1d830317aacf9f78e0b373940989b1fcbaebab1cbfc3aac1663",
    (
        "graphene.types.resolver:dict_or_attr_resolver",
        "fast_leaves.plain_leaf: a default resolver must read nothing but the source",
    ): "6317963af168652aa0c1961947ade173585e8f7163a6a305cde2f1a1ef4c51b1",
    (
        "grapple.types.images:ImageObjectType.resolve_rendition",
        "fast_renditions.rendition_specs and answer_from: the spec built from the arguments, "
        "the SVG handling, the value returned",
    ): "1e2dc266b7125f508d233ac28d67af56febe143a696f7992eda08f6b23a8d482",
    (
        "grapple.types.images:ImageObjectType.resolve_src_set",
        "fast_renditions.rendition_specs and answer_from: the specs of the sizes, the format "
        "suffix, the string returned",
    ): "8e7d67b47b95e5325244fb56139519c9287bb0bc579f35d2616781d8ecbb4480",
    (
        "grapple.utils:get_media_item_url",
        "fast_renditions.media_url: the base URL prefixed to relative URLs",
    ): "c9dab1d6fa257196b79b8e8758b5b0963adb1c5340ec691881602ed3ce6ea898",
    (
        "django.db.models.query:ModelIterable.__iter__",
        "../compiled_queries.py Pinned.queryset: the compiler must still come from "
        "`queryset.query.get_compiler()` and its select, klass_info and annotation_col_map "
        "be read after `execute_sql`",
    ): "c2a744b8c18e0b4a5b85d9b644e8fff74ed239e168f4eda77be0ba5fc5e9cee9",
    (
        "django.db.models.sql.compiler:SQLCompiler.execute_sql",
        "../compiled_queries.py Pinned.queryset: it must still take its SQL and parameters "
        "from `self.as_sql()` and need nothing else `as_sql` sets up at each call",
    ): "c1be0e0faedcb93e80c84e4da1e4f3b8c5982f0bf62bb350dedcb9fb7d6857ab",
    (
        "django.db.models.sql.compiler:SQLCompiler.results_iter",
        "../compiled_queries.py Pinned.queryset: rows converted from the compiler's select "
        "as set up when the query was first compiled",
    ): "d279d61b80a3a1158af6029d13d8410a7aa2a2ab25b67929dda125a6fd459313",
}


def source_digest(name: str) -> str:
    module, qualname = name.split(":")
    found = importlib.import_module(module)
    for part in qualname.split("."):
        found = getattr(found, part)
    return hashlib.sha256(inspect.getsource(found).encode()).hexdigest()


@pytest.mark.parametrize(("upstream", "digest"), list(PINNED.items()), ids=lambda v: v[0])
def test_the_mirrored_upstream_function_is_unchanged(
    upstream: tuple[str, str], digest: str
) -> None:
    name, recheck = upstream
    assert source_digest(name) == digest, (
        f"{name} changed upstream: re-check cms/api/{recheck}; then store the new sha256 here."
    )
