#!/usr/bin/python3
"""Read a JUnit file with junitparser (Debian's python3-junitparser) and print
its own count of cases and results: an independent check that what llmassert
writes is read the way CI reporters read it."""
import sys

from junitparser import Error, Failure, JUnitXml, Skipped

xml = JUnitXml.fromfile(sys.argv[1])
suites = [xml] if xml._tag == "testsuite" else list(xml)
tests = failures = errors = skipped = 0
for suite in suites:
    for case in suite:
        tests += 1
        kinds = {type(r) for r in case.result}
        failures += Failure in kinds
        errors += Error in kinds
        skipped += Skipped in kinds
        case.name, case.classname, case.time  # must be readable
print(f"tests={tests} failures={failures} errors={errors} skipped={skipped}")
