#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Installs Aravis 0.8 (libaravis-0.8-0) and its tools (arv-fake-gv-camera-0.8, arv-tool-0.8) so the camera-genicam
# tests run for real instead of skipping. Idempotent: does nothing when both are already there.
set -eu

if ldconfig -p 2>/dev/null | grep -q 'libaravis-0\.8\.so\.0' && command -v arv-fake-gv-camera-0.8 >/dev/null 2>&1; then
    echo "install-aravis: libaravis-0.8 and aravis tools already installed"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# Debian bookworm: arv-fake-gv-camera-0.8 is in aravis-tools (with the viewer), arv-tool-0.8 in aravis-tools-cli.
PKGS="libaravis-0.8-0 aravis-tools"
if apt-cache show aravis-tools-cli >/dev/null 2>&1; then
    PKGS="$PKGS aravis-tools-cli"
fi
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $PKGS
command -v arv-fake-gv-camera-0.8 >/dev/null 2>&1 || { echo "install-aravis: arv-fake-gv-camera-0.8 missing after install" >&2; exit 1; }
echo "install-aravis: done"
