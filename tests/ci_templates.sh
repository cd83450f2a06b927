#!/bin/sh
# The ready-to-copy CI configurations parse, publish the JUnit reports even
# when the gate fails, and gate on the exit status.
set -eu
dir="${top_srcdir:-.}/examples/ci"
py="${PYTHON3_SYSTEM:-/usr/bin/python3}"
"$py" - "$dir" <<'PY'
import sys, yaml
d = sys.argv[1]
gh = yaml.safe_load(open(d + "/github-actions.yml"))
steps = gh["jobs"]["evaluate"]["steps"]
report = [s for s in steps if "junit-report" in str(s.get("uses", ""))]
assert report, "GitHub Actions: no JUnit report action"
assert report[0].get("if") == "always()", "GitHub Actions: report must run when the gate fails"
assert any("make" in str(s.get("run", "")) and "check" in str(s.get("run", "")) for s in steps)
gl = yaml.safe_load(open(d + "/gitlab-ci.yml"))
job = gl["llm-eval"]
assert job["artifacts"]["when"] == "always"
assert job["artifacts"]["reports"]["junit"].endswith(".junit.xml")
print("github-actions.yml and gitlab-ci.yml: ok")
PY
grep -q "junit testResults: 'test-reports/\*.junit.xml'" "$dir/Jenkinsfile"
grep -q "always {" "$dir/Jenkinsfile"
echo "Jenkinsfile: ok"
