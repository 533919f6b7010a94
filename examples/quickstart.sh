#!/usr/bin/env bash
# Plans the example spec in a fresh temporary git repository, offline: no GitHub, no Redis, no model.
# Installs planbot into .venv first when it is not there yet.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../scripts/venv.sh
source "$here/scripts/venv.sh"
ensure_venv ""

demo="$(mktemp -d "${TMPDIR:-/tmp}/planbot-demo.XXXXXX")/repo"
mkdir -p "$demo"
cp -R "$here/examples/repo/." "$demo/"
git -C "$demo" init --quiet --initial-branch=main
git -C "$demo" -c user.name="planbot demo" -c user.email="demo@planbot.invalid" add -A
git -C "$demo" -c user.name="planbot demo" -c user.email="demo@planbot.invalid" commit --quiet -m "Start the demo repository"
git -C "$demo" config user.name "planbot demo"
git -C "$demo" config user.email "demo@planbot.invalid"

"$VENV/bin/planbot" plan "$here/examples/spec.md" --repo "$demo" --yes
folder="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["feature_directory"])' "$demo/.specify/feature.json")"
"$VENV/bin/planbot" validate "$demo/$folder"
echo
echo "The plan is in $demo/$folder (branch $(git -C "$demo" branch --show-current))."
