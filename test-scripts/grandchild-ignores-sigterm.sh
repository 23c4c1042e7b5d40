#!/bin/sh
# Starts a grandchild that ignores SIGTERM and prints its pid; the shell itself then waits.
trap '' TERM
node "$(dirname "$0")/ignore-sigterm.js" &
echo "grandchild $!"
wait
