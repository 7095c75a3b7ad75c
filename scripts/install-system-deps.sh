#!/usr/bin/env bash
# Installs the Debian packages the test suites need, when missing. As root it runs apt-get itself;
# otherwise it prints the exact command to run and exits 1.
set -euo pipefail
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v rg >/dev/null || need+=(ripgrep)
[ -e /usr/include/gssapi/gssapi.h ] || need+=(libkrb5-dev)
{ command -v g++ >/dev/null && command -v make >/dev/null; } || need+=(g++ make)
/usr/bin/python3 -c 'import torch' 2>/dev/null || need+=(python3-torch)
/usr/bin/python3 -c 'import threadpoolctl' 2>/dev/null || need+=(python3-threadpoolctl)
# Without it Debian's PyTorch runs on the reference BLAS, 3-8x slower: bench:compare would compare
# against a handicapped baseline (it refuses to).
dpkg-query -W -f='${Status}' libopenblas0-pthread 2>/dev/null | grep -q 'install ok installed' || need+=(libopenblas0-pthread)
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "[install-system-deps] apt-get install ${need[*]}" >&2
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -q "${need[@]}" >/dev/null
else
  echo "Missing Debian packages. Run:" >&2
  echo "  sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
