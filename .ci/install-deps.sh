#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs the real peers the test suite starts: Mosquitto (MQTT), Aravis (GenICam fake cameras), Xvfb (HMI tests),
# systemd-analyze (the installer's unit checks) and zip (the package build drops other platforms' natives).
# Idempotent: packages already present are not fetched again.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive

want=(mosquitto xvfb xauth fonts-dejavu-core postgresql systemd zip python3-torch python3-torchvision python3-onnx python3-numpy python3-pil)
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
# The packaged broker service is not used (tests start their own on free ports); keep 1883 free for the demo.
($SUDO service mosquitto stop >/dev/null 2>&1 || true)
sh "$here/install-aravis.sh"
