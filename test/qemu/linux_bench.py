# SPDX-License-Identifier: MIT
"""The Linux side of `./run bench --linux`: boots a Debian kernel under the
same QEMU flags as our ISO (q35, -cpu max, TCG, -icount shift=0,sleep=off,
one CPU) with a tiny initramfs whose /init is apps/ipcbench/linux/
bench_linux.c, built static by the host's gcc, and reads its BENCH lines.

The recipe, all cached under build/linux/ and nothing of it in git:
  apt-get download linux-image-<version>-cloud-amd64   (the version that
      Debian's linux-image-cloud-amd64 depends on; LINUX_IMAGE overrides)
  dpkg-deb -x, keeping only boot/vmlinuz-*          -> vmlinuz
  gcc -static -O2 bench_linux.c                     -> init
  a newc cpio of /init and /dev/console, gzipped    -> initrd
Any step that fails gives a message and None: our own figures never depend
on Linux being available."""

import gzip
import glob
import os
import re
import shutil
import subprocess
import tempfile

from harness import Machine

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(HERE, "..", "..", "apps", "ipcbench", "linux", "bench_linux.c")
META_PACKAGE = "linux-image-cloud-amd64"
APPEND = "console=ttyS0 quiet panic=-1"


class LinuxUnavailable(Exception):
    """A step of the recipe failed; the message says which and why."""


def _sh(argv, cwd=None):
    result = subprocess.run(argv, cwd=cwd, capture_output=True, text=True)
    if result.returncode != 0:
        tail = (result.stderr or result.stdout).strip().splitlines()[-1:]
        raise LinuxUnavailable(f"{' '.join(argv)} failed: {' '.join(tail)}")
    return result.stdout


def image_package():
    """The kernel package: $LINUX_IMAGE, or what the meta-package names."""
    if os.environ.get("LINUX_IMAGE"):
        return os.environ["LINUX_IMAGE"]
    if shutil.which("apt-cache") is None:
        raise LinuxUnavailable("no apt-cache: not a Debian host")
    found = re.search(r"Depends: (linux-image-\S+)", _sh(["apt-cache", "depends", META_PACKAGE]))
    if not found:
        raise LinuxUnavailable(f"apt-cache knows no {META_PACKAGE} (apt-get update?)")
    return found.group(1)


def fetch_kernel(cache):
    """build/linux/vmlinuz, downloaded and unpacked once."""
    vmlinuz = os.path.join(cache, "vmlinuz")
    if os.path.exists(vmlinuz):
        return vmlinuz
    package = image_package()
    with tempfile.TemporaryDirectory(dir=cache) as tmp:
        os.chmod(tmp, 0o755)  # apt's sandbox user writes the .deb here
        _sh(["apt-get", "download", package], cwd=tmp)
        debs = glob.glob(os.path.join(tmp, "*.deb"))
        _sh(["dpkg-deb", "-x", debs[0], os.path.join(tmp, "root")])
        kernels = glob.glob(os.path.join(tmp, "root", "boot", "vmlinuz-*"))
        if not kernels:
            raise LinuxUnavailable(f"{package} holds no boot/vmlinuz-*")
        shutil.move(kernels[0], vmlinuz + ".part")
        with open(os.path.join(cache, "version"), "w") as f:
            f.write(os.path.basename(kernels[0])[len("vmlinuz-"):] + "\n")
    os.rename(vmlinuz + ".part", vmlinuz)
    return vmlinuz


def _cpio_entry(name, mode, data=b"", rdev=(0, 0)):
    """One newc record: a 110-byte ASCII header, the name, the data, padded to 4."""
    fields = [0, mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1], len(name) + 1, 0]
    header = b"070701" + b"".join(b"%08X" % v for v in fields)
    record = header + name.encode() + b"\0"
    record += b"\0" * (-len(record) % 4) + data
    return record + b"\0" * (-len(record) % 4)


def make_initrd(init_path, initrd):
    """A gzipped newc cpio: /dev, /dev/console (5, 1) and /init."""
    with open(init_path, "rb") as f:
        init = f.read()
    archive = (_cpio_entry("dev", 0o040755) + _cpio_entry("dev/console", 0o020600, rdev=(5, 1))
               + _cpio_entry("init", 0o100755, init) + _cpio_entry("TRAILER!!!", 0))
    with open(initrd, "wb") as f:
        f.write(gzip.compress(archive, mtime=0))


def build_initrd(cache):
    """build/linux/init from bench_linux.c, and the initrd holding it."""
    if shutil.which("gcc") is None:
        raise LinuxUnavailable("no host gcc to build bench_linux.c")
    init, initrd = os.path.join(cache, "init"), os.path.join(cache, "initrd.gz")
    _sh(["gcc", "-static", "-O2", "-Wall", "-o", init, SOURCE])
    make_initrd(init, initrd)
    return initrd


class LinuxMachine(Machine):
    """A Machine that boots a kernel and initrd instead of our ISO."""

    def __init__(self, vmlinuz, initrd, **kwargs):
        super().__init__(vmlinuz, **kwargs)
        self.name = f"Linux {os.path.basename(vmlinuz)}"
        self.initrd = initrd

    def command_line(self):
        argv = super().command_line()
        cut = argv.index("-cdrom")
        return argv[:cut] + ["-kernel", self.iso, "-initrd", self.initrd,
                             "-append", APPEND] + argv[cut + 4:]


def boot(vmlinuz, initrd, pattern):
    """The BENCH lines' figures from one Linux boot, as {name: value}."""
    with LinuxMachine(vmlinuz, initrd, icount=True, timeout=600) as m:
        m.start()
        m.wait_for(r"BENCH done", timeout=600)
        m.wait_exit(60)
        return {g[1]: int(g[2]) for g in (re.search(pattern, x) for x in m.lines()) if g}


def measure(cache, pattern):
    """(figures, kernel version), or (None, why not)."""
    try:
        os.makedirs(cache, exist_ok=True)
        vmlinuz = fetch_kernel(cache)
        initrd = build_initrd(cache)
        with open(os.path.join(cache, "version")) as f:
            version = f.read().strip()
        return boot(vmlinuz, initrd, pattern), version
    except Exception as e:  # any failure: our figures alone, with the reason
        return None, f"{type(e).__name__}: {e}"
