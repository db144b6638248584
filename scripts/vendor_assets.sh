#!/usr/bin/env bash
# Re-vendor the two front-end libraries the web platform serves itself (no CDN anywhere).
# htmx is pinned to 2.x on purpose: htmx.org@latest is 4.x, which breaks the django-htmx idioms we use.
set -euo pipefail
ECHARTS_VERSION="${ECHARTS_VERSION:-6}"
HTMX_VERSION="${HTMX_VERSION:-2}"
here="$(cd "$(dirname "$0")/.." && pwd)"
dest="$here/src/wendao/web/static/vendor"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
npm init -y >/dev/null
npm install --no-save --no-audit --no-fund "echarts@${ECHARTS_VERSION}" "htmx.org@${HTMX_VERSION}" >/dev/null
mkdir -p "$dest"
cp node_modules/echarts/dist/echarts.min.js "$dest/echarts.min.js"
cp node_modules/echarts/LICENSE "$dest/ECHARTS-LICENSE"
[ -f node_modules/echarts/NOTICE ] && cp node_modules/echarts/NOTICE "$dest/ECHARTS-NOTICE"
cp node_modules/htmx.org/dist/htmx.min.js "$dest/htmx.min.js"
cp node_modules/htmx.org/LICENSE "$dest/HTMX-LICENSE"
{
  echo "echarts $(node -p "require('./node_modules/echarts/package.json').version") (Apache-2.0)"
  echo "htmx.org $(node -p "require('./node_modules/htmx.org/package.json').version") (0BSD)"
} > "$dest/VERSIONS.txt"
cat "$dest/VERSIONS.txt"
