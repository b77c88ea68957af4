#!/usr/bin/env bash
# Sets up the tools and runs the project's own pipeline (build/build.cake): format check,
# build with warnings as errors, every test. Any failure exits non-zero.
# Usage: ./build.sh [--target=Test|Build|Format] [--configuration=Release]
set -euo pipefail
cd "$(dirname "$0")"
dotnet tool restore >/dev/null
exec dotnet cake build/build.cake "$@"
