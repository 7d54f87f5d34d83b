#!/bin/sh
# $BROWSER for tests: runs headless-browser.ts with this repo's pinned bun. Uses no external
# commands, so it works even when the caller passes an environment without PATH.
case "$0" in
  */*) here=${0%/*} ;;
  *) here=. ;;
esac
here=$(cd "$here" && pwd) || exit 2
exec "$here/../../node_modules/.bin/bun" "$here/headless-browser.ts" "$@"
