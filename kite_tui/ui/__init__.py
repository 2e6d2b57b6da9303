"""The Textual UI. Imports the core; the core never imports this package."""
