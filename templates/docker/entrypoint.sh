#!/bin/sh
# Entrypoint of an estuary-cdk connector image. Flow starts the image once per request (spec,
# discover, validate, apply, open) and speaks the capture protocol on stdin/stdout; `estuary run`
# serves it. Logs go to stderr as JSON lines at LOG_LEVEL, which Flow sets.
#
#   CONNECTOR_DIR  the connector's folder (holding connector.ts or connector.js); default /connector
#   ESTUARY_BIN    the estuary command; default the one installed in $CONNECTOR_DIR/node_modules
set -eu
dir="${CONNECTOR_DIR:-/connector}"
bin="${ESTUARY_BIN:-$dir/node_modules/.bin/estuary}"
if [ ! -x "$bin" ]; then
  echo "connector-entrypoint: $bin is missing; install estuary-cdk in $dir or set ESTUARY_BIN" >&2
  exit 1
fi
# exec: Flow's signals and stdin's end reach the connector itself, not this shell.
exec "$bin" run "$dir"
