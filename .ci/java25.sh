# SPDX-License-Identifier: Apache-2.0
# Sourced by ./station, ./test and .ci/run: prints the home of a JDK 25 (JAVA_HOME if it is one, else the first found
# in the usual places), or returns 1. The machine's default `java` may well be another version.
find_java25() {
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  for d in /usr/lib/jvm/temurin-25* /usr/lib/jvm/java-25* /usr/lib/jvm/jdk-25* /opt/java/openjdk; do
    [ -d "$d" ] && candidates+=("$d")
  done
  local home
  for home in "${candidates[@]}"; do
    if [ -x "$home/bin/java" ] && "$home/bin/java" -version 2>&1 | grep -q 'version "25'; then
      echo "$home"; return 0
    fi
  done
  return 1
}
