#!/bin/sh
# Starts a grandchild that sleeps for $1 seconds (default 30), prints its pid, then waits for it.
# Usage: spawn-grandchild.sh [seconds]
sleep "${1:-30}" &
echo "grandchild $!"
wait
