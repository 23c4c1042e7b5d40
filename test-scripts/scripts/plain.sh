# No shebang: run by /bin/sh because of the .sh extension.
echo "plain-sh"
for arg in "$@"; do echo "$arg"; done
