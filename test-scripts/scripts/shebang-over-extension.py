#!/bin/sh
# The shebang wins over the .py extension: this is sh, not Python.
echo "sh-over-py"
