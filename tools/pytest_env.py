"""Loaded with `-p tools.pytest_env` so it runs before Django reads settings:
the suite talks plain HTTP to 127.0.0.1; production settings otherwise apply.
With REDIS_URL the suite's cache keys get a prefix of their own, so the
cache clearing before each test (tests/conftest.py) touches only this run's
keys, never a running site's, a benchmark's or another test run's."""

import os

os.environ.setdefault("HTTPS", "0")
os.environ.setdefault("CACHE_KEY_PREFIX", f"khabar-test-{os.getpid()}")
