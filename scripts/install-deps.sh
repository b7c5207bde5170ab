#!/usr/bin/env bash
# Installs what blocksim needs to build, test and analyse, from Debian 12 packages only.
# Runs apt-get through sudo when not root. Safe to run again: installed packages are skipped.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git
  libsimgrid-dev libboost-dev
  libprotobuf-dev protobuf-compiler
  libgtest-dev libbenchmark-dev
  zlib1g-dev
  python3 python3-dev pybind11-dev
  python3-pytest python3-protobuf python3-numpy python3-pandas python3-matplotlib
  python3-nbclient python3-nbformat python3-ipykernel
  clang libclang-rt-14-dev  # libFuzzer targets (scripts/fuzz.sh)
  valgrind                  # the C++ unit tests under memcheck (scripts/memcheck.sh)
  python3-distributed python3-tqdm
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
