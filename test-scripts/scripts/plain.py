# No shebang: run by python3 because of the .py extension.
import sys
print("plain-py")
for arg in sys.argv[1:]:
    print(arg)
