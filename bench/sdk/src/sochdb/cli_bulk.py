import subprocess
import sys

from . import bin_path


def main():
    return subprocess.call([bin_path("sochdb-bulk")] + sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
