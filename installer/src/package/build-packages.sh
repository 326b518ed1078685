#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds the installed form of the station from Maven's output (called by the installer's -Ppackage profile):
#   1. jlink   a trimmed Java runtime               -> target/jpackage/runtime
#   2. jpackage the app image (launcher + jars)    -> target/jpackage/linesight
#   3. dpkg-deb the Debian package                 -> target/<package>_<version>_amd64.deb
# jpackage's own --type deb cannot ship conffiles under /etc, systemd units or sysctl.d, so step 3 lays out the
# package root itself around jpackage's app image. Environment (set by the pom): JAVA_HOME APP_VERSION APP_PACKAGE
# APP_FLAVOUR APP_MAINTAINER JLINK_MODULES SERVICE_JAR INPUT_DIR TARGET_DIR SRC_DIR PACKAGE_BUDGET_MB.
set -euo pipefail
: "${JAVA_HOME:?}" "${APP_VERSION:?}" "${APP_MAINTAINER:?}" "${APP_PACKAGE:?}" "${APP_FLAVOUR:?}" "${JLINK_MODULES:?}"
: "${SERVICE_JAR:?}" "${INPUT_DIR:?}" "${TARGET_DIR:?}" "${SRC_DIR:?}" "${PACKAGE_BUDGET_MB:?}"
started=$(date +%s)
work="$TARGET_DIR/jpackage"
rm -rf "$work" "$TARGET_DIR/debroot"
mkdir -p "$work"

step() { echo "[installer] $* ($(( $(date +%s) - started )) s)"; }

step "jlink runtime: $JLINK_MODULES"
"$JAVA_HOME/bin/jlink" --add-modules "$JLINK_MODULES" --strip-debug --no-header-files --no-man-pages \
  --compress=zip-6 --output "$work/runtime"

# A package for Linux on x86-64: the natives other platforms would load are dead weight (ONNX Runtime's jar carries
# macOS (with debug symbols), Windows and ARM builds, sqlite-jdbc one per OS). zip -d exits 12 when nothing matched.
step "drop other platforms' natives"
drop() { zip -q -d "$1" "${@:2}" >/dev/null 2>&1 || [ $? -eq 12 ]; }
for jar in "$INPUT_DIR"/onnxruntime*.jar; do
  [ -e "$jar" ] && drop "$jar" 'ai/onnxruntime/native/osx-*' 'ai/onnxruntime/native/win-*' 'ai/onnxruntime/native/linux-aarch64/*'
done
for jar in "$INPUT_DIR"/sqlite-jdbc-*.jar; do
  [ -e "$jar" ] && drop "$jar" 'org/sqlite/native/Windows/*' 'org/sqlite/native/Mac/*' 'org/sqlite/native/FreeBSD/*' \
    'org/sqlite/native/Linux-Android/*' 'org/sqlite/native/Linux-Musl/*' 'org/sqlite/native/Linux/aarch64/*' \
    'org/sqlite/native/Linux/arm*' 'org/sqlite/native/Linux/x86/*' 'org/sqlite/native/Linux/ppc64/*' \
    'org/sqlite/native/Linux/riscv64/*' 'org/sqlite/native/Linux/s390x/*'
done
if ls "$INPUT_DIR" | grep -q '^hivemq-'; then
  echo "[installer] error: the embedded demo broker (HiveMQ CE) is in the package input; the pom excludes it" >&2
  exit 1
fi

# The app image's class path is every jar of --input; the service wrapper jar is the main jar.
cp "$SERVICE_JAR" "$INPUT_DIR/linesight-service.jar"
java_opts=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -XX:+UseZGC -Xms256m
  -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError)
jp_opts=()
for o in "${java_opts[@]}"; do jp_opts+=(--java-options "$o"); done

step "jpackage app image"
"$JAVA_HOME/bin/jpackage" --type app-image --name linesight --app-version "$APP_VERSION" \
  --vendor "Linesight" --description "Linesight inline defect inspection station ($APP_FLAVOUR)" \
  --input "$INPUT_DIR" --main-jar linesight-service.jar --main-class io.linesight.installer.service.ServiceMain \
  --runtime-image "$work/runtime" "${jp_opts[@]}" --dest "$work"

step "Debian package root"
root="$TARGET_DIR/debroot"
mkdir -p "$root/opt"
cp -a "$work/linesight" "$root/opt/linesight"
cp -a "$SRC_DIR/deb/root/." "$root/"
# the shipped recipe is the demo's, taken from the station core jar so the two cannot drift apart
station_jar=$(ls "$INPUT_DIR"/linesight-station-core-*.jar | head -1)
mkdir -p "$root/etc/linesight/recipes" "$root/etc/linesight/certs"
(cd "$root/etc/linesight" && "$JAVA_HOME/bin/jar" xf "$station_jar" demo/recipes/bracket.yaml \
  demo/recipes/models/bracket-defects.onnx demo/recipes/models/bracket-defects.onnx.eval.json \
  && mv demo/recipes/bracket.yaml recipes/ && mkdir -p recipes/models \
  && mv demo/recipes/models/bracket-defects.onnx demo/recipes/models/bracket-defects.onnx.eval.json recipes/models/ \
  && rm -r demo)
mkdir -p "$root/usr/bin" "$root/usr/share/doc/$APP_PACKAGE"
ln -s /opt/linesight/bin/linesight "$root/usr/bin/linesight"
cp "$SRC_DIR/../README.md" "$root/usr/share/doc/$APP_PACKAGE/README.md"
cat > "$root/usr/share/doc/$APP_PACKAGE/copyright" <<COPY
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: linesight
License: Apache-2.0
 The bundled Java runtime is OpenJDK (GPL-2.0 with Classpath Exception); the jars under
 /opt/linesight/lib/app keep the licences named in their own META-INF folders.
COPY
find "$root" -type d -exec chmod 0755 {} +
chmod 0750 "$root/etc/linesight/certs"

mkdir -p "$root/DEBIAN"
cp "$SRC_DIR"/deb/DEBIAN/{postinst,prerm,postrm,conffiles} "$root/DEBIAN/"
chmod 0755 "$root/DEBIAN"/{postinst,prerm,postrm}
if [ "$APP_FLAVOUR" = cuda ]; then
  relations="Provides: linesight
Conflicts: linesight
Replaces: linesight"
  flavour_note=" This build runs YOLO on ONNX Runtime GPU: it needs the NVIDIA driver, CUDA 12 and cuDNN 9."
else
  relations="Conflicts: linesight-cuda"
  flavour_note=" This build runs YOLO on ONNX Runtime for the CPU."
fi
size_kb=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat > "$root/DEBIAN/control" <<CONTROL
Package: $APP_PACKAGE
Version: $APP_VERSION
Architecture: amd64
Maintainer: $APP_MAINTAINER
Installed-Size: $size_kb
Depends: adduser, libc6 (>= 2.31), libstdc++6, zlib1g, libaravis-0.8-0
Recommends: systemd
Suggests: cage, xwayland, libgtk-3-0, mosquitto
$relations
Section: misc
Priority: optional
Description: Linesight inline defect inspection station
 Takes pictures of every part with industrial cameras under synchronized light,
 decides PASS or REJECT with OpenCV rules and a YOLO detector, and tells the
 PLC over MQTT. Runs as the systemd service linesight.service; the operator
 HMI runs full screen on a touchscreen from linesight-kiosk.service.
$flavour_note
CONTROL

deb="$TARGET_DIR/${APP_PACKAGE}_${APP_VERSION}_amd64.deb"
step "dpkg-deb $deb"
# xz rather than gzip: 119 instead of 126 MB for the CPU package (most of it is zip-compressed jars and jlink's
# compressed modules, so it cannot gain much), at the price of minutes instead of seconds on a busy build machine
dpkg-deb --root-owner-group -Zxz -z6 --build "$root" "$deb" >/dev/null
step "done: $(du -h "$deb" | cut -f1) package, $(du -sh "$work/runtime" | cut -f1) runtime, $(du -sh "$root/opt/linesight" | cut -f1) installed"
deb_mb=$(( ($(stat -c %s "$deb") + 1048575) / 1048576 ))
echo "[installer] package size: $deb_mb MB (budget $PACKAGE_BUDGET_MB MB); largest jars:"
(cd "$root/opt/linesight/lib/app" && ls -S -s --block-size=M -- *.jar | head -8 | sed 's/^/[installer]   /')
if [ "$deb_mb" -gt "$PACKAGE_BUDGET_MB" ]; then
  echo "[installer] error: $deb is $deb_mb MB, over the budget of $PACKAGE_BUDGET_MB MB (package.budget.mb)" >&2
  exit 1
fi
