#!/usr/bin/env bash
# Regenerates release-0.1-fixture.tar.gz: a data directory and two repositories made by Cortex 0.1 (commit 0f2bc6e,
# the last release before versioned migrations), for the upgrade tests (io.cortex.upgrade.UpgradeFromRelease01Test,
# io.cortex.cluster.PostgresUpgradeTest). See README.md beside this script.
#
#   git worktree add /tmp/cortex-0.1 0f2bc6e && (cd /tmp/cortex-0.1 && mvn -q -B -DskipTests package)
#   bash make-release-0.1-fixture.sh /tmp/cortex-0.1
#
# The fixture is made at a fixed place, ROOT below, because the catalogue and the process variables record absolute
# repository paths; the tests move them to where they unpack it (FixtureRoot in the tests).
set -euo pipefail
OLD="${1:?path of a built Cortex 0.1 checkout (with target/cortex.jar)}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT=/tmp/cortex-release-0.1-fixture
H2_JAR="$(ls ~/.m2/repository/com/h2database/h2/2.3.232/h2-2.3.232.jar)"
export GIT_AUTHOR_NAME=dev GIT_AUTHOR_EMAIL=dev@example.com GIT_COMMITTER_NAME=dev GIT_COMMITTER_EMAIL=dev@example.com
export GIT_AUTHOR_DATE="2026-12-01T10:00:00Z" GIT_COMMITTER_DATE="2026-12-01T10:00:00Z"
cortex() { "$OLD/cortex" --data "$ROOT/data" "$@"; }
sql() { java -cp "$H2_JAR" org.h2.tools.Shell -url "jdbc:h2:file:$ROOT/data/cortex" -user sa -sql "$1" >/dev/null; }

rm -rf "$ROOT" && mkdir -p "$ROOT"

# --- 1. a healthy TDD session with a rollback: checkpoints session-start, red-1, green-1, user-1, pre-rollback-1 ---
git init -q -b main "$ROOT/repo"
cd "$ROOT/repo"
printf '# calc\n' > README.md
printf 'int add(int a, int b) { return 0; }\n' > calc.c
printf 'build/\n*.log\n' > .gitignore
git add . && git commit -qm "calculator skeleton"
cortex start tdd --repo "$ROOT/repo" --session calc-001
printf 'assert(add(2, 3) == 5);\n' > test_calc.c
printf 'red run\n' > build.log                                   # ignored: never in a snapshot, never touched
cortex phase complete --session calc-001 --phase RED --metric failing_tests=1
printf 'int add(int a, int b) { return a + b; }\n' > calc.c
cortex phase complete --session calc-001 --phase GREEN --metric passing_tests=1
git add calc.c test_calc.c && git commit -qm "add works"
printf 'int add(int a, int b) { return a + b; } /* refactor in progress */\n' > calc.c
mkdir -p docs && printf 'notes\n' > docs/notes.md                 # untracked
printf 'staged\n' > staged.txt && git add staged.txt               # staged, uncommitted
cortex checkpoint create --session calc-001 --id before-experiment --metric note=manual
printf 'broken experiment\n' > calc.c && rm README.md
cortex rollback "rollback session calc-001 to before-experiment" --force   # takes pre-rollback-1 first
# the state the upgrade test expects on disk at the start: what before-experiment holds

# --- 2. the damage seen in the field, in a second repository: rows lost while refs remained -----------------------
git init -q -b main "$ROOT/damaged"
cd "$ROOT/damaged"
printf 'a\n' > a.txt && git add . && git commit -qm init
cortex start tdd --repo "$ROOT/damaged" --session slfs
for i in 1 2 3; do printf '%s\n' "$i" >> a.txt; cortex checkpoint create --session slfs; done   # user-1..3, sequence 2..4
sql "DELETE FROM CORTEX_CHECKPOINT WHERE SESSION_ID_ = 'slfs' AND CHECKPOINT_ID_ IN ('user-2', 'user-3')"
printf 'red\n' >> a.txt
cortex phase complete --session slfs --phase RED               # red-1 takes sequence 3 again: the reuse
git update-ref refs/cortex/checkpoints/slfs/user-1 "$(git rev-parse refs/cortex/checkpoints/slfs/user-3)"  # moved ref
git update-ref refs/cortex/checkpoints/slfs/notes-1 HEAD        # a ref on a commit that is no Cortex snapshot
garbled="$(printf 'cortex checkpoint slfs/garbled-1 (USER_REQUESTED)\n\n{"sessionId": "slfs", "sequence": \n' \
  | git commit-tree "HEAD^{tree}" -p HEAD)"
git update-ref refs/cortex/checkpoints/slfs/garbled-1 "$garbled"  # metadata that does not parse
# 0.1's rebuild fails on this state: "Unique index or primary key violation: CORTEX_IDX_CP_SEQ ... 'slfs', 3"
if cortex rebuild --repo "$ROOT/damaged" 2>"$ROOT/old-rebuild.txt"; then
  echo "expected Cortex 0.1's rebuild to fail on the damaged repository" >&2; exit 1
fi

# --- 3. pack it --------------------------------------------------------------------------------------------------
rm -rf "$ROOT/data/cortex-app" "$ROOT/data/"*.trace.db
echo "$ROOT" > "$ROOT/fixture-root.txt"
tar -C "$ROOT" -czf "$HERE/release-0.1-fixture.tar.gz" fixture-root.txt old-rebuild.txt data repo damaged
ls -l "$HERE/release-0.1-fixture.tar.gz"
