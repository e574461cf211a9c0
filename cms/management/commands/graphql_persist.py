import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from graphene_django.settings import graphene_settings
from graphql import GraphQLError, parse, validate

from cms.api.limits import check_document, limits
from cms.api.persisted import register, sha256_of
from cms.api.rules import SPEC_RULES


class Command(BaseCommand):
    help = (
        "Register the front ends' GraphQL queries as persisted queries (the allowlist of "
        "GRAPHQL_PERSISTED_QUERIES_ONLY), pinned: never dropped by the cap on the queries "
        "clients register. Each query must parse, pass the query limits and validate; nothing "
        "is registered if any fails."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths",
            nargs="+",
            type=Path,
            help="A .graphql file holding one query exactly as the client sends it, or an "
            "Apollo persisted query manifest (.json, from generate-persisted-query-manifest)",
        )

    def handle(self, *args, paths: list[Path], **options):
        queries = [query for path in paths for query in self.read(path)]
        schema = graphene_settings.SCHEMA.graphql_schema
        problems = []
        for name, query in queries:
            try:
                document = parse(query, max_tokens=limits()["MAX_TOKENS"])
            except GraphQLError as error:
                problems.append(f"{name}: {error.message}")
                continue
            errors = check_document(schema, document)[0] or validate(schema, document, SPEC_RULES)
            problems += [f"{name}: {error.message}" for error in errors]
        if problems:
            raise CommandError("Nothing registered:\n" + "\n".join(problems))
        for name, query in queries:
            sha = sha256_of(query)
            register(sha, query, pinned=True)
            self.stdout.write(f"{sha} {name}")
        self.stdout.write(f"{len(queries)} persisted queries registered.")

    @staticmethod
    def read(path: Path) -> list[tuple[str, str]]:
        """(name, query) pairs: the file's text, or the operations of a manifest."""
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            raise CommandError(f"{path}: {error}") from error
        if path.suffix != ".json":
            return [(str(path), text)]
        try:
            operations = json.loads(text)["operations"]
            pairs = [(f"{path} {op.get('name', '')}", op["body"]) for op in operations]
        except (ValueError, KeyError, TypeError) as error:
            raise CommandError(f"{path}: not an Apollo persisted query manifest") from error
        for (name, body), operation in zip(pairs, operations, strict=True):
            if "id" in operation and operation["id"] != sha256_of(body):
                raise CommandError(f"{name}: its id is not the SHA-256 of its body")
        return pairs
