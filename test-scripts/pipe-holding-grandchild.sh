#!/bin/sh
# Exits at once with code 0, leaving a grandchild that holds stdout/stderr open for $1 seconds.
# Usage: pipe-holding-grandchild.sh [seconds]
sleep "${1:-30}" &
echo "grandchild $!"
exit 0
