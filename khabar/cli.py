"""`khabar` console script: Django's management commands with khabar's
settings, so `khabar migrate`, `khabar import-text FILE`, `khabar serve` work
from any directory."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    # Management command modules cannot contain a dash; accept both spellings.
    if len(argv) > 1 and "-" in argv[1] and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
