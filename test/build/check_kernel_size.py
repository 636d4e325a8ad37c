#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The kernel image (kernel.elf as it goes on the ISO, without debug info)
must stay within its budget: 512 KiB. Prints the figure either way."""
import os
import sys

LIMIT = 512 * 1024


def main():
    size = os.path.getsize(sys.argv[1])
    print(f"FIGURE kernel_image_bytes {size}")
    if size > LIMIT:
        print(f"FAIL: kernel image is {size} bytes, over the {LIMIT}-byte budget")
        return 1
    print(f"ok: kernel image {size} bytes <= {LIMIT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
