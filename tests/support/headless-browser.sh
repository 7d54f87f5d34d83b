#!/bin/sh
# $BROWSER for tests: runs headless-browser.ts with this repo's pinned bun.
here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd) || exit 2
exec "$here/../../node_modules/.bin/bun" "$here/headless-browser.ts" "$@"
