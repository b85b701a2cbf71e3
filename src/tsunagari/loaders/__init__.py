"""Loaders: one module per source format; each returns a LoadResult and never prints."""
