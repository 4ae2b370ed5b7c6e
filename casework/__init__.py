"""The rules of support casework, between the routes and the engine."""
