#!/usr/bin/env bash
# Lighthouse (npm `lighthouse`) on the demo article page, served by gunicorn
# the production way (DEBUG off, whitenoise static) on loopback, in Debian's
# Chromium. Prints the four category scores; the JSON report goes to
# test-artifacts/. Not part of `make test`: it needs npm and takes a minute.
#
#   bash benchmarks/lighthouse.sh            # or: make lighthouse
#   PORT=8123 LIGHTHOUSE_VERSION=13 bash benchmarks/lighthouse.sh
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${PORT:-8765}"
LIGHTHOUSE_VERSION="${LIGHTHOUSE_VERSION:-12}"
export CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}"
work="$(mktemp -d)"
# A throwaway site: its own SQLite file, static and media, so a run never
# touches var/ or the database of whoever runs it.
export KHABAR_VAR_DIR="$work/var" DATABASE_URL="sqlite:///$work/var/site.sqlite3"
export SECRET_KEY="lighthouse-$(date +%s)-only-for-this-local-run-$RANDOM$RANDOM" HTTPS=0
export ALLOWED_HOSTS=127.0.0.1 SITE_URL="http://127.0.0.1:$PORT" REDIS_URL=""
mkdir -p "$work/var" test-artifacts

server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

.venv/bin/khabar migrate --no-input -v0
.venv/bin/khabar load_demo >/dev/null
.venv/bin/khabar collectstatic --no-input -v0
.venv/bin/gunicorn config.wsgi --bind "127.0.0.1:$PORT" --workers 2 --log-level warning &
server=$!

# The demo's sample article, found from its headline's slug in the front page.
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$PORT/" >"$work/front.html" && break; sleep 0.2; done
path="$(.venv/bin/python - "$work/front.html" <<'EOF'
import re, sys
html = open(sys.argv[1], encoding="utf-8").read()
print(re.search(r'href="(/news/\d+/[^"]+/)"', html).group(1))
EOF
)"
url="http://127.0.0.1:$PORT$path"
echo "article: $url"

# npx fetches the pinned major from the npm registry once, then uses its cache.
# On a busy machine Lighthouse sometimes loses the trace (NO_NAVSTART): try again.
for try in 1 2 3; do
  npx --yes "lighthouse@$LIGHTHOUSE_VERSION" "$url" \
    --quiet --output=json --output-path=test-artifacts/lighthouse-article.json \
    --only-categories=performance,accessibility,best-practices,seo \
    --chrome-flags="--headless --no-sandbox --disable-gpu --disable-background-networking" && break
  [ "$try" = 3 ] && exit 1
  echo "lighthouse failed (try $try), running it again" >&2
done

.venv/bin/python - test-artifacts/lighthouse-article.json <<'EOF'
import json, sys
report = json.load(open(sys.argv[1], encoding="utf-8"))
print("lighthouse", report["lighthouseVersion"], "form factor", report["configSettings"]["formFactor"])
for key, category in report["categories"].items():
    print(f"{key:>15}: {round(category['score'] * 100)}")
for key in ["first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift"]:
    print(f"{key:>25}: {report['audits'][key]['displayValue']}")
EOF
