"""Loaded with `-p tools.pytest_env` so it runs before Django reads settings:
the suite talks plain HTTP to 127.0.0.1; production settings otherwise apply."""

import os

os.environ.setdefault("HTTPS", "0")
