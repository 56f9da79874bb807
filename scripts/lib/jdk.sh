# shellcheck shell=bash
# Sourced by ./mvnw, ./parley and scripts/*: finds a JDK 21 or newer.
#
#   . scripts/lib/jdk.sh && parley_find_jdk || exit 1
#
# parley_find_jdk sets and exports JAVA_HOME, trying in order: $JAVA_HOME,
# the `java` on PATH, then the newest suitable JDK under /usr/lib/jvm.

PARLEY_MIN_JAVA=21

# Prints the major version (8, 17, 21, 25, ...) of the JDK at $1; fails if $1
# is not a JDK (it needs bin/java and bin/javac) or its version can't be read.
parley_jdk_major() {
  local home=$1 v=""
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 1
  if [ -r "$home/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\{0,1\}\([^"]*\)"\{0,1\}[[:space:]]*$/\1/p' "$home/release")
  fi
  if [ -z "$v" ]; then
    v=$("$home/bin/java" -version 2>&1 | sed -n '/ version "/{s/.* version "\([^"]*\)".*/\1/p;q;}') || true
  fi
  case $v in 1.*) v=${v#1.} ;; esac # 1.8.0_392 -> 8.0_392
  v=${v%%[!0-9]*}                   # 17.0.15 -> 17, 21-ea -> 21, 25 -> 25
  [ -n "$v" ] || return 1
  echo "$v"
}

parley_find_jdk() {
  local home major best="" best_major=0 java_bin
  if [ -n "${JAVA_HOME:-}" ] && major=$(parley_jdk_major "$JAVA_HOME") &&
    [ "$major" -ge "$PARLEY_MIN_JAVA" ]; then
    export JAVA_HOME
    return 0
  fi
  if java_bin=$(command -v java) && java_bin=$(readlink -f "$java_bin"); then
    home=$(dirname "$(dirname "$java_bin")")
    if major=$(parley_jdk_major "$home") && [ "$major" -ge "$PARLEY_MIN_JAVA" ]; then
      export JAVA_HOME=$home
      return 0
    fi
  fi
  for home in /usr/lib/jvm/*; do
    [ -d "$home" ] || continue
    if major=$(parley_jdk_major "$home") && [ "$major" -ge "$PARLEY_MIN_JAVA" ] &&
      [ "$major" -gt "$best_major" ]; then
      best=$home best_major=$major
    fi
  done
  if [ -n "$best" ]; then
    export JAVA_HOME=$best
    return 0
  fi
  echo "parley: a JDK $PARLEY_MIN_JAVA or newer is needed but none was found (checked \$JAVA_HOME, java on PATH and /usr/lib/jvm); install one and point JAVA_HOME at its directory, e.g. export JAVA_HOME=/path/to/jdk-$PARLEY_MIN_JAVA." >&2
  return 1
}
