"""The browser tests drive Debian's Chromium (a test tool's own browser
download cannot work on our machines). Install it when we may, else say how."""

import os
import shutil
import subprocess
import sys

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


def main() -> int:
    if shutil.which(CHROMIUM):
        return 0
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("installing Debian's chromium for the browser tests…", file=sys.stderr)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], check=True, env=env)
        return 0
    print(
        f"{CHROMIUM} not found: install Debian's chromium (sudo apt-get install chromium) "
        "or set CHROMIUM to a Chromium binary.",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(main())
