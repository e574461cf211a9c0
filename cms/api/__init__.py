"""The public GraphQL API: root fields, the page interface, the HTTP view, errors, previews."""
