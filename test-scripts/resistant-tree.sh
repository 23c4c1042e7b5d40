#!/bin/bash
# A process tree that resists termination, for the cancel-storm stress test: bash, a background
# sleep holding stdout/stderr, and a grandchild that ignores SIGTERM. Prints "ready" once the tree
# is complete. Usage: resistant-tree.sh [churn]
# With "churn" the grandchild keeps forking short-lived children (which ignore SIGTERM too).
sleep 1000 &
if [ "$1" = churn ]; then
  (trap '' TERM; echo ready; while :; do sleep 0.05; done) &
else
  (trap '' TERM; echo ready; exec sleep 1000) &
fi
wait
