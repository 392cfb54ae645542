#!/usr/bin/env bash
# A CI job for any CI system: on every push to the data, build, test the content and deploy.
# Needs the repository checked out and, for a remote host, a deploy key in DEPLOY_SSH_KEY.
#
#   DEPLOY_DEST   where to publish: /var/www/clearwater, or deploy@web1.example.org:/var/www/clearwater
#   DEPLOY_SSH_KEY   (optional) private key for the host, from the CI's secret store
set -euo pipefail
cd "$(dirname "$0")/../.."

script/build-release                              # installs libcmark-dev, libxxhash-dev, libssl-dev, pkg-config, rsync when missing
clearwater=.build/release/clearwater

# A content error stops the job here: exit status 1, every error as PATH:LINE:COLUMN.
"$clearwater" check
"$clearwater" build

ssh_command="ssh"
if [ -n "${DEPLOY_SSH_KEY:-}" ]; then
  key_file="$(mktemp)"
  trap 'rm -f "$key_file"' EXIT
  printf '%s\n' "$DEPLOY_SSH_KEY" > "$key_file"
  chmod 600 "$key_file"
  ssh_command="ssh -i $key_file -o StrictHostKeyChecking=accept-new"
fi
# deploy checks the content again, copies, verifies SHA256SUMS on the host, then switches `current`.
"$clearwater" deploy --keep 10 --ssh "$ssh_command" "${DEPLOY_DEST:?set DEPLOY_DEST}"
