"""Documents on disk: discovery, metadata and identity."""
