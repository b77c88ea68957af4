#!/usr/bin/env bash
# Sets up the tools and runs the project's own pipeline (build/build.cake): format check,
# build with warnings as errors, every test. Any failure exits non-zero.
# Usage: ./build.sh [--target=Test|Build|Format|Install|Uninstall] [--configuration=Release]
# (Install and Uninstall run contrib/install.sh and contrib/uninstall.sh: the system command, as root.)
set -euo pipefail
cd "$(dirname "$0")"
dotnet tool restore >/dev/null
exec dotnet cake build/build.cake "$@"
